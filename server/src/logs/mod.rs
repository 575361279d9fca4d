//! Structured logs: one flat JSON object per line.
//!
//! Requests hand finished lines to a [`LogSink`]; one writer thread drains them to
//! stdout (and a daily-rotated file when configured) and, with CloudWatch on, to
//! the durable [`spool`], in batches. A request that changed something (every
//! method but GET, HEAD and OPTIONS: `/events`, checkout, admin changes, uploads)
//! answers only once its lines are written ([`LogSink::written`]), so an answered
//! event survives a crash; requests that share a batch share its write. The
//! [`cloudwatch`] shipper sends the spool to CloudWatch Logs off the request path.
//! Lines are never dropped: the channel is unbounded and [`LogSink::flush`] waits
//! until everything handed over so far is written, which shutdown does before the
//! process exits.
//!
//! The lines others read (clickstream, auth, crud, upload, business, request) are
//! named structs in [`lines`], written by one [`LogSink::emit`] behind the header
//! every line shares, so the schema lives in one place.

pub mod cloudwatch;
pub mod lines;
pub mod sink;
pub mod spool;
pub mod tracing_layer;

pub use sink::{LogSink, MemoryLog};

use std::io::{self, Write};
use time::OffsetDateTime;
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;

const RFC3339_MILLIS: &[BorrowedFormatItem<'_>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");

/// `2026-11-26T19:42:55.123Z`: RFC 3339, UTC, milliseconds, fixed width.
pub fn rfc3339_millis(at: OffsetDateTime) -> String {
    at.to_offset(time::UtcOffset::UTC).format(RFC3339_MILLIS).unwrap_or_default()
}

/// One `app` line on stderr, the one output the log sink does not write to (the
/// sink may be what fails). A failing stderr is ignored: there is nowhere left.
pub(crate) fn to_stderr(level: &str, message: &str, output: &str, error: Option<&io::Error>) {
    let line = serde_json::json!({
        "level": level,
        "logType": "app",
        "message": message,
        "output": output,
        "error": error.map(|e| e.to_string()),
    });
    let _ = writeln!(io::stderr().lock(), "{line}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn formats_fixed_width_utc_millis() {
        assert_eq!(rfc3339_millis(datetime!(2026-01-02 03:04:05.006 UTC)), "2026-01-02T03:04:05.006Z");
        assert_eq!(rfc3339_millis(datetime!(2026-01-02 03:04:05.006 +07:00)), "2026-01-01T20:04:05.006Z");
    }
}
