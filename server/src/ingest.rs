//! `POST /events`: the clickstream's way in (`shared/contracts/events.md`).
//!
//! The body is read up to 64 KiB, parsed into validated events (the root crate),
//! duplicates are dropped, identity and request context are added on the server,
//! and every accepted event becomes one log line, written (to stdout and the spool)
//! before the answer goes out: the request layer waits for it.

use crate::dedup::RecentIds;
use crate::logs::lines::{ClickstreamLine, RejectedLine};
use crate::logs::{LogSink, rfc3339_millis};
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jewelry::events::{self, BodyError, IngestReport, MAX_BODY_BYTES, RejectCode};
use jewelry::identity::Identity;
use jewelry_app::backend::RequestContext;
use serde::Serialize;
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;

pub struct Ingest {
    logs: LogSink,
    recent: RecentIds,
}

impl Ingest {
    pub fn new(logs: LogSink, dedup_window: Duration, dedup_capacity: usize) -> Self {
        Ingest { logs, recent: RecentIds::new(dedup_window, dedup_capacity) }
    }

    /// Judges a body, logs what it accepted and refused, and says what happened.
    pub fn ingest(
        &self,
        body: &[u8],
        identity: &Identity,
        request: &RequestContext,
    ) -> Result<IngestReport, BodyError> {
        let now = OffsetDateTime::now_utc();
        let verdicts = events::parse_body(body, now)?;
        let mut report = IngestReport::default();
        let mut accepted = Vec::with_capacity(verdicts.len());
        for verdict in verdicts {
            match verdict {
                Ok(event) if self.recent.first_time(event.id().as_uuid()) => accepted.push(event),
                Ok(_) => report.duplicates += 1,
                Err(rejection) => report.rejected.push(rejection),
            }
        }
        report.accepted = accepted.len();
        metrics::counter!("jewelry_events_accepted_total").increment(accepted.len() as u64);
        metrics::counter!("jewelry_events_rejected_total").increment(report.rejected.len() as u64);
        metrics::counter!("jewelry_events_duplicate_total").increment(report.duplicates as u64);
        let status = report.status_code();
        let latency = request.latency_ms();
        let timestamp = rfc3339_millis(now);
        for event in &accepted {
            ClickstreamLine::new(&timestamp, event, identity, request, status, latency).emit(&self.logs);
        }
        if !report.rejected.is_empty() {
            RejectedLine::new(&report.rejected, identity, request, status, latency).emit(&self.logs);
        }
        Ok(report)
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    code: &'a str,
    message: &'a str,
}

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (status, axum::Json(ErrorBody { code, message })).into_response()
}

/// JSON, or `text/plain` as `navigator.sendBeacon` sends a string.
fn acceptable_content_type(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/json") || essence.eq_ignore_ascii_case("text/plain")
}

pub async fn events(
    State(ingest): State<Arc<Ingest>>,
    axum::Extension(request): axum::Extension<RequestContext>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    if ingest.logs.spool_full() {
        // Nothing is dropped: the browser keeps the events and sends them later.
        let mut response = error(
            StatusCode::SERVICE_UNAVAILABLE,
            "spool_full",
            "the server cannot take events right now; send them again later",
        );
        response.headers_mut().insert(header::RETRY_AFTER, axum::http::HeaderValue::from_static("30"));
        return response;
    }
    if !acceptable_content_type(&headers) {
        return error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the events as application/json (or text/plain from navigator.sendBeacon)",
        );
    }
    let too_large = || error(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "a request body holds at most 64 KiB");
    let declared = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES) {
        return too_large();
    }
    let bytes: Bytes = match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(e) if is_length_limit(&e) => return too_large(),
        Err(_) => {
            return error(StatusCode::BAD_REQUEST, RejectCode::MalformedBody.as_str(), "the body could not be read");
        }
    };
    match ingest.ingest(&bytes, &request.identity, &request) {
        Ok(report) => {
            let status = StatusCode::from_u16(report.status_code()).unwrap_or(StatusCode::OK);
            (status, axum::Json(report)).into_response()
        }
        Err(e) => error(StatusCode::BAD_REQUEST, e.code.as_str(), &e.message),
    }
}

fn is_length_limit(e: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if err.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = err.source();
    }
    false
}
