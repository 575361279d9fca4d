//! The clickstream's work behind `POST /events` (declared as the server function
//! `jewelry_app::events::ingest_events`; the contract is `docs/events.md`), and the
//! route that serves it.
//!
//! A request's origin and the log's state are checked, its events parsed and
//! validated (the root crate), duplicates dropped, identity and request context
//! added on the server, and every accepted event becomes one log line, written
//! (to stdout, the file and the spool) before the answer goes out: [`Ingest`]
//! waits for its lines. Shoppers' accepted events (not bots') are then counted
//! for the insights page, off the request path.

use crate::attribution::Attributions;
use crate::dedup::RecentIds;
use crate::insights::Insights;
use crate::logs::lines::{ClickstreamLine, LineContext, RejectedLine, SourceIp};
use crate::logs::{LogSink, rfc3339_millis};
use crate::origin::EventOrigins;
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use jewelry::events::{self, IngestReport};
use jewelry_app::events::Clickstream;
use jewelry_app::events::{EventsError, Received};
use jewelry_app::request::RequestContext;
use std::sync::{Arc, LazyLock};
use std::time::Duration;
use time::OffsetDateTime;

/// isbot's list of crawlers, bots and tools, compiled once.
static BOTS: LazyLock<isbot::Bots> = LazyLock::new(isbot::Bots::default);
/// Verdicts on the user agents seen lately: a shop's traffic comes from a few
/// thousand browsers' strings, and a lookup costs less than the patterns.
static VERDICTS: LazyLock<moka::sync::Cache<String, bool>> = LazyLock::new(|| moka::sync::Cache::new(10_000));

/// Whether a request with this `User-Agent` comes from a crawler, a bot or a
/// script rather than a shopper's browser: isbot's maintained patterns (every
/// browser sends the header, so a request without one is not a shopper's).
pub fn is_bot(user_agent: Option<&str>) -> bool {
    match user_agent.map(str::trim) {
        None | Some("") => true,
        Some(ua) => VERDICTS.get(ua).unwrap_or_else(|| {
            let bot = BOTS.is_bot(ua);
            VERDICTS.insert(ua.to_owned(), bot);
            bot
        }),
    }
}

pub struct Ingest {
    logs: LogSink,
    recent: RecentIds,
    /// Whose pages may send events besides the shop's own.
    origins: EventOrigins,
    /// The insights page's counters, told of every shopper's accepted event.
    insights: Arc<Insights>,
    /// Each session's campaign and referring site.
    attributions: Arc<Attributions>,
    /// How much of the shopper's address lines keep.
    source_ip: SourceIp,
}

/// What [`Ingest`] works with.
pub struct IngestParts {
    pub logs: LogSink,
    pub dedup_window: Duration,
    pub dedup_capacity: usize,
    pub origins: EventOrigins,
    pub insights: Arc<Insights>,
    pub attributions: Arc<Attributions>,
    pub source_ip: SourceIp,
}

impl Ingest {
    pub fn new(parts: IngestParts) -> Self {
        let IngestParts { logs, dedup_window, dedup_capacity, origins, insights, attributions, source_ip } = parts;
        Ingest {
            logs,
            recent: RecentIds::new(dedup_window, dedup_capacity),
            origins,
            insights,
            attributions,
            source_ip,
        }
    }
}

#[async_trait::async_trait]
impl Clickstream for Ingest {
    async fn ingest(
        &self,
        headers: &HeaderMap,
        body: Received,
        request: &RequestContext,
    ) -> Result<IngestReport, EventsError> {
        // The browser's CORS check protects only readers of the answer: a `text/plain`
        // beacon needs no preflight and arrives whatever the origin, so the server judges.
        if !self.origins.accepts(headers) {
            return Err(EventsError::OriginNotAllowed);
        }
        // Nothing is taken while the spool is full or the log cannot be written: the
        // browser keeps the events and sends them later.
        if self.logs.spool_full() {
            return Err(EventsError::SpoolFull);
        }
        if self.logs.failing() {
            return Err(EventsError::LogUnavailable);
        }
        let body = match body {
            Received::Body(bytes) => bytes,
            Received::Refused(e) => return Err(e),
        };
        let host = headers.get(axum::http::header::HOST).and_then(|h| h.to_str().ok());
        self.take(&body, request, host).await
    }
}

impl Ingest {
    /// Judges `body`'s events, logs them, and waits until the lines are written.
    async fn take(
        &self,
        body: &[u8],
        request: &RequestContext,
        host: Option<&str>,
    ) -> Result<IngestReport, EventsError> {
        let now = OffsetDateTime::now_utc();
        let verdicts = events::parse_body(body, now).map_err(EventsError::Body)?;
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
        let status = report.status_code();
        let latency = request.latency_ms();
        let timestamp = rfc3339_millis(now);
        let bot = is_bot(request.user_agent.as_deref());
        let attributions = self.attributions.of(&accepted, host).await;
        let mut lines = Vec::with_capacity(1024 * (accepted.len() + 1));
        for (event, attribution) in accepted.iter().zip(&attributions) {
            let context = LineContext {
                status_code: status,
                latency_ms: latency,
                is_bot: bot,
                source_ip: self.source_ip,
                attribution,
            };
            LogSink::frame_at(&mut lines, &timestamp, &ClickstreamLine::new(event, request, context));
        }
        if !report.rejected.is_empty() {
            LogSink::frame_at(&mut lines, &timestamp, &RejectedLine::new(&report.rejected, request, status, latency));
        }
        // An event is taken once its line is in every output: until then it is
        // neither counted nor remembered, so the tracker's retry is no duplicate.
        // The lines and the wait go together, so the answer is their batch's.
        if self.logs.write_and_wait(lines).await.is_err() {
            for event in &accepted {
                self.recent.forget(event.id().as_uuid());
            }
            return Err(EventsError::LogUnavailable);
        }
        metrics::counter!("jewelry_events_accepted_total").increment(accepted.len() as u64);
        metrics::counter!("jewelry_events_rejected_total").increment(report.rejected.len() as u64);
        metrics::counter!("jewelry_events_duplicate_total").increment(report.duplicates as u64);
        if !bot {
            self.insights.record(&accepted, &attributions, now);
        }
        Ok(report)
    }
}

/// `POST /events`: what [`jewelry_app::events::ingest_events`] does, called
/// directly. The server function stays the browser's name for the route, but its
/// machinery (a reactive owner, the request's parts copied into its context, the
/// function looked up by path) cost more than the rest of an event's work. The
/// answer is the function's: the report or the contract's error as JSON, with its
/// status and `Retry-After`. It waits for its lines itself (and answers
/// `log_unavailable` when they cannot be written), so the request layer need not
/// wait again.
pub async fn post_events(State(clickstream): State<Arc<dyn Clickstream>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = jewelry_app::events::receive(&parts.headers, body).await;
    let outcome = match parts.extensions.get::<RequestContext>() {
        Some(context) => clickstream.ingest(&parts.headers, body, context).await,
        None => Err(EventsError::Unavailable("no request context".into())),
    };
    let (status, retry_after) = jewelry_app::events::answer_status(&outcome);
    let json = match &outcome {
        Ok(report) => serde_json::to_vec(report),
        Err(error) => serde_json::to_vec(error),
    };
    let mut response =
        (status, [(axum::http::header::CONTENT_TYPE, "application/json")], json.unwrap_or_default()).into_response();
    if let Some(secs) = retry_after {
        response.headers_mut().insert(axum::http::header::RETRY_AFTER, secs.into());
    }
    if outcome.is_err() {
        // As server_fn marks an error answer, for its clients.
        response.headers_mut().insert(
            leptos::server_fn::error::SERVER_FN_ERROR_HEADER,
            axum::http::HeaderValue::from_static(jewelry_app::events::EVENTS_PATH),
        );
    }
    response.extensions_mut().insert(crate::request::LinesWritten);
    response
}

#[cfg(test)]
mod tests {
    use super::is_bot;

    #[test]
    fn crawlers_and_scripts_are_bots_and_browsers_are_not() {
        for bot in [
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
            "curl/8.5.0",
            "python-requests/2.32.3",
            "",
        ] {
            assert!(is_bot(Some(bot)), "{bot}");
        }
        assert!(is_bot(None), "no User-Agent at all");
        for browser in [
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.6; rv:132.0) Gecko/20100101 Firefox/132.0",
        ] {
            assert!(!is_bot(Some(browser)), "{browser}");
        }
    }
}
