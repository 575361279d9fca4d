//! The clickstream's work behind `POST /events` (the server function
//! `jewelry_app::events::ingest_events`; the contract is `docs/events.md`).
//!
//! A body's events are parsed and validated (the root crate), duplicates are
//! dropped, identity and request context are added on the server, and every
//! accepted event becomes one log line, written (to stdout and the spool) before
//! the answer goes out: the request layer waits for it. Shoppers' accepted events
//! (not bots') are then counted for the insights page, off the request path.

use crate::dedup::RecentIds;
use crate::insights::Insights;
use crate::logs::lines::{ClickstreamLine, RejectedLine};
use crate::logs::{LogSink, rfc3339_millis};
use crate::origin::EventOrigins;
use jewelry::events::{self, IngestReport};
use jewelry_app::events::EventsError;
use jewelry_app::services::{Clickstream, RequestContext};
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
}

impl Ingest {
    pub fn new(
        logs: LogSink,
        dedup_window: Duration,
        dedup_capacity: usize,
        origins: EventOrigins,
        insights: Arc<Insights>,
    ) -> Self {
        Ingest { logs, recent: RecentIds::new(dedup_window, dedup_capacity), origins, insights }
    }
}

#[async_trait::async_trait]
impl Clickstream for Ingest {
    fn accepts_origin(&self, headers: &axum::http::HeaderMap) -> bool {
        self.origins.accepts(headers)
    }

    fn unavailable(&self) -> Option<EventsError> {
        if self.logs.spool_full() {
            Some(EventsError::SpoolFull)
        } else if self.logs.failing() {
            Some(EventsError::LogUnavailable)
        } else {
            None
        }
    }

    async fn ingest(&self, body: &[u8], request: &RequestContext) -> Result<IngestReport, EventsError> {
        let identity = &request.identity;
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
        for event in &accepted {
            self.logs.emit_at(&timestamp, &ClickstreamLine::new(event, identity, request, status, latency, bot));
        }
        if !report.rejected.is_empty() {
            self.logs.emit_at(&timestamp, &RejectedLine::new(&report.rejected, identity, request, status, latency));
        }
        // An event is taken once its line is in every output: until then it is
        // neither counted nor remembered, so the tracker's retry is no duplicate.
        if self.logs.written().await.is_err() {
            for event in &accepted {
                self.recent.forget(event.id().as_uuid());
            }
            return Err(EventsError::LogUnavailable);
        }
        metrics::counter!("jewelry_events_accepted_total").increment(accepted.len() as u64);
        metrics::counter!("jewelry_events_rejected_total").increment(report.rejected.len() as u64);
        metrics::counter!("jewelry_events_duplicate_total").increment(report.duplicates as u64);
        if !bot {
            self.insights.record(&accepted, now);
        }
        Ok(report)
    }
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
