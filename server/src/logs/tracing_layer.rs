//! The server's own diagnostics (start-up, errors with their causes) as the same
//! flat JSON lines, `logType: "app"`, behind the same header and through the same
//! sink. Inside a request's span they carry its `requestId`.

use super::lines::{Level, LineHeader, LogType};
use super::{LogSink, rfc3339_millis};
use serde_json::{Map, Value};
use std::fmt;
use time::OffsetDateTime;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing::{Event, Subscriber};
use tracing_subscriber::Layer;
use tracing_subscriber::layer::Context;
use tracing_subscriber::registry::LookupSpan;

pub struct JsonLines {
    sink: LogSink,
}

impl JsonLines {
    pub fn new(sink: LogSink) -> Self {
        JsonLines { sink }
    }
}

/// The request id a span carries, kept in the span's extensions.
struct SpanRequestId(String);

/// Picks `request_id` out of a span's fields.
struct RequestIdField(Option<String>);

impl Visit for RequestIdField {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "request_id" {
            self.0 = Some(value.to_owned());
        }
    }
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "request_id" {
            self.0 = Some(format!("{value:?}"));
        }
    }
}

#[derive(Default)]
struct Fields(Map<String, Value>);

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), Value::from(value));
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.insert(field.name().to_owned(), Value::from(value));
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name().to_owned(), Value::from(value));
    }
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.0.insert(field.name().to_owned(), Value::from(value));
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.0.insert(field.name().to_owned(), Value::from(value));
    }
    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        // The whole cause chain, so a 500's log line says why.
        let mut text = value.to_string();
        let mut source = value.source();
        while let Some(cause) = source {
            text.push_str(": ");
            text.push_str(&cause.to_string());
            source = cause.source();
        }
        self.0.insert(field.name().to_owned(), Value::from(text));
    }
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name().to_owned(), Value::from(format!("{value:?}")));
    }
}

impl<S> Layer<S> for JsonLines
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        // Only the request id is kept, and only spans that carry one pay for it.
        if attrs.metadata().fields().field("request_id").is_none() {
            return;
        }
        let mut found = RequestIdField(None);
        attrs.record(&mut found);
        if let (Some(request_id), Some(span)) = (found.0, ctx.span(id)) {
            span.extensions_mut().insert(SpanRequestId(request_id));
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let mut line = Map::new();
        line.insert("target".into(), Value::from(event.metadata().target()));
        let request_id = ctx.event_scope(event).and_then(|scope| {
            scope.from_root().find_map(|span| span.extensions().get::<SpanRequestId>().map(|r| r.0.clone()))
        });
        line.insert("requestId".into(), request_id.map_or(Value::Null, Value::from));
        for (key, value) in fields.0 {
            // The header's keys are the header's: a field of that name is not written twice.
            if !matches!(key.as_str(), "timestamp" | "level" | "logType") {
                line.entry(key).or_insert(value);
            }
        }
        let timestamp = rfc3339_millis(OffsetDateTime::now_utc());
        let header =
            LineHeader { timestamp: &timestamp, level: Level::from(*event.metadata().level()), log_type: LogType::App };
        self.sink.emit_framed(header, &line);
    }
}
