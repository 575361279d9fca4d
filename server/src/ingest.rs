//! The clickstream's work behind `POST /events` (the server function
//! `jewelry_app::events::ingest_events`; the contract is `docs/events.md`).
//!
//! A body's events are parsed and validated (the root crate), duplicates are
//! dropped, identity and request context are added on the server, and every
//! accepted event becomes one log line, written (to stdout and the spool) before
//! the answer goes out: the request layer waits for it.

use crate::dedup::RecentIds;
use crate::logs::lines::{ClickstreamLine, RejectedLine};
use crate::logs::{LogSink, rfc3339_millis};
use crate::origin::EventOrigins;
use jewelry::events::{self, BodyError, IngestReport};
use jewelry_app::services::{Clickstream, RequestContext};
use std::time::Duration;
use time::OffsetDateTime;

pub struct Ingest {
    logs: LogSink,
    recent: RecentIds,
    /// Whose pages may send events besides the shop's own.
    origins: EventOrigins,
}

impl Ingest {
    pub fn new(logs: LogSink, dedup_window: Duration, dedup_capacity: usize, origins: EventOrigins) -> Self {
        Ingest { logs, recent: RecentIds::new(dedup_window, dedup_capacity), origins }
    }
}

impl Clickstream for Ingest {
    fn accepts_origin(&self, headers: &axum::http::HeaderMap) -> bool {
        self.origins.accepts(headers)
    }

    fn spool_full(&self) -> bool {
        self.logs.spool_full()
    }

    fn ingest(&self, body: &[u8], request: &RequestContext) -> Result<IngestReport, BodyError> {
        let identity = &request.identity;
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
            self.logs.emit_at(&timestamp, &ClickstreamLine::new(event, identity, request, status, latency));
        }
        if !report.rejected.is_empty() {
            self.logs.emit_at(&timestamp, &RejectedLine::new(&report.rejected, identity, request, status, latency));
        }
        Ok(report)
    }
}
