//! The shipper: reads the spool in order and sends its lines to CloudWatch Logs
//! with `PutLogEvents`, within the service's limits, retrying every failure until
//! it succeeds; moves the checkpoint on and deletes segments only after CloudWatch
//! accepted them.
//!
//! Delivery is at least once: a batch is sent again after a send that timed out
//! (CloudWatch may have stored it) or after the process was killed mid-send.

use super::spool::{self, Position, Record, SpoolGauge};
use aws_sdk_cloudwatchlogs::Client;
use aws_sdk_cloudwatchlogs::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_cloudwatchlogs::operation::put_log_events::PutLogEventsError;
use aws_sdk_cloudwatchlogs::types::InputLogEvent;
use rand::Rng;
use std::borrow::Cow;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{oneshot, watch};

/// `PutLogEvents`' limits: events per batch, bytes per batch (each message's
/// UTF-8 bytes plus [`EVENT_OVERHEAD`]), bytes per event, and the span of one batch.
pub const MAX_EVENTS: usize = 10_000;
pub const MAX_BATCH_BYTES: usize = 1_048_576;
pub const EVENT_OVERHEAD: usize = 26;
pub const MAX_EVENT_BYTES: usize = MAX_BATCH_BYTES - EVENT_OVERHEAD;
pub const MAX_SPAN_MS: i64 = 24 * 60 * 60 * 1000;
/// What one read of the spool takes: a batch's worth, so nothing is read twice
/// but the few records a truncated line or the span limit leaves for the next one.
const READ_BUDGET: spool::Budget =
    spool::Budget { records: MAX_EVENTS, bytes: MAX_BATCH_BYTES, per_record: EVENT_OVERHEAD };
/// A batch that is not full waits this long after the last send, so a quiet
/// shop makes about one call a second (and lines never wait more than two).
pub const SEND_EVERY: Duration = Duration::from_secs(1);
/// Backoff after a failed send: full jitter, doubling from the base up to the cap.
pub const BACKOFF_BASE: Duration = Duration::from_millis(200);
pub const BACKOFF_CAP: Duration = Duration::from_secs(30);

/// One event as it will be sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Outgoing<'a> {
    pub timestamp_ms: i64,
    pub message: Cow<'a, str>,
    pub truncated: bool,
}

/// How many of `records` (from the first) make the next batch, and their events:
/// at most [`MAX_EVENTS`], [`MAX_BATCH_BYTES`] counted as CloudWatch counts them,
/// spanning at most [`MAX_SPAN_MS`], in chronological order. A line over
/// [`MAX_EVENT_BYTES`] is replaced by a short one naming it.
pub fn next_batch(records: &[Record]) -> Vec<Outgoing<'_>> {
    let mut batch = Vec::new();
    let mut bytes = 0;
    let mut first_ms = None;
    let mut last_ms = i64::MIN;
    for record in records.iter().take(MAX_EVENTS) {
        let outgoing = outgoing(record);
        let size = outgoing.message.len() + EVENT_OVERHEAD;
        // The spool's timestamps never go back; this keeps a batch ordered even if
        // a clock did.
        let timestamp_ms = outgoing.timestamp_ms.max(last_ms);
        let first = *first_ms.get_or_insert(timestamp_ms);
        if bytes + size > MAX_BATCH_BYTES || timestamp_ms - first > MAX_SPAN_MS {
            break;
        }
        bytes += size;
        last_ms = timestamp_ms;
        batch.push(Outgoing { timestamp_ms, ..outgoing });
    }
    batch
}

fn outgoing(record: &Record) -> Outgoing<'_> {
    // The writer wrote UTF-8: `from_utf8`'s fast path checks it; a corrupt byte that
    // the checksum missed is replaced rather than refused.
    let message = match std::str::from_utf8(&record.line) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(&record.line),
    };
    if message.len() <= MAX_EVENT_BYTES {
        return Outgoing { timestamp_ms: record.timestamp_ms, message, truncated: false };
    }
    Outgoing { timestamp_ms: record.timestamp_ms, message: Cow::Owned(truncated_line(&record.line)), truncated: true }
}

/// What stands in for a line too long for CloudWatch: its ids, its type and its length.
pub fn truncated_line(line: &[u8]) -> String {
    #[derive(serde::Deserialize, Default)]
    #[serde(rename_all = "camelCase")]
    struct Ids {
        timestamp: Option<String>,
        level: Option<String>,
        log_type: Option<String>,
        event_id: Option<String>,
        request_id: Option<String>,
        action: Option<String>,
    }
    let ids: Ids = serde_json::from_slice(line).unwrap_or_default();
    serde_json::json!({
        "timestamp": ids.timestamp,
        "level": ids.level,
        "logType": ids.log_type,
        "eventId": ids.event_id,
        "requestId": ids.request_id,
        "action": ids.action,
        "truncated": true,
        "originalBytes": line.len(),
    })
    .to_string()
}

/// How long to wait before the `attempt`th retry (from 0): a random time up to
/// `min(cap, base * 2^attempt)`.
pub fn backoff(attempt: u32, rng: &mut impl Rng) -> Duration {
    let ceiling = BACKOFF_BASE.saturating_mul(2u32.saturating_pow(attempt.min(16))).min(BACKOFF_CAP);
    Duration::from_millis(rng.random_range(0..=ceiling.as_millis() as u64))
}

/// Which events of a batch CloudWatch refused, from `rejectedLogEventsInfo`:
/// `tooNew` from its index on, `tooOld` and `expired` up to theirs. AWS documents
/// those two end indices as exclusive, while moto sends the index of the last
/// refused event; they are read as inclusive, which never loses a line (at worst
/// one line CloudWatch took is also kept in the rejected file).
pub fn refused_indices(
    len: usize,
    too_new_start: Option<i32>,
    too_old_end: Option<i32>,
    expired_end: Option<i32>,
) -> Vec<usize> {
    let through = |i: Option<i32>| i.filter(|i| *i >= 0).map(|i| i as usize);
    let old_through = through(too_old_end).max(through(expired_end));
    let new_start = too_new_start.map_or(len, |i| (i.max(0) as usize).min(len));
    (0..len).filter(|&i| old_through.is_some_and(|end| i <= end) || i >= new_start).collect()
}

/// Where the lines go and what the shipper keeps.
pub struct Shipper {
    pub client: Client,
    pub group: String,
    pub stream: String,
    /// The spool's directory.
    pub dir: PathBuf,
    /// Lines CloudWatch refused (too old, too new, expired, or invalid alone).
    pub rejected_file: PathBuf,
    pub gauge: Arc<SpoolGauge>,
    /// Bytes opening the spool cut from its end (a record a crash cut short).
    pub torn_bytes: u64,
}

/// Tells a running shipper to drain: ship without lingering, say when caught up.
pub struct Drain {
    start: watch::Sender<bool>,
    caught_up: oneshot::Receiver<()>,
}

impl Drain {
    /// Ships what it can within `within`; what is left stays in the spool.
    pub async fn finish(self, within: Duration) -> bool {
        let _ = self.start.send(true);
        tokio::time::timeout(within, self.caught_up).await.is_ok_and(|r| r.is_ok())
    }
}

enum Sent {
    Accepted {
        refused: Vec<usize>,
    },
    /// The group or stream is missing.
    NotFound,
    /// CloudWatch refuses the batch as it is (split it, or keep a lone line aside).
    Invalid(String),
    Failed(String),
}

impl Shipper {
    /// Starts shipping on the current runtime (after `tracing` is set up: it
    /// first says what opening the spool found).
    pub fn spawn(self) -> Drain {
        if self.torn_bytes > 0 {
            tracing::warn!(
                bytes = self.torn_bytes,
                "the log spool ended in a record cut short (a crash mid-write); it was dropped, the records before it are kept"
            );
        }
        let (start, draining) = watch::channel(false);
        let (done, caught_up) = oneshot::channel();
        tokio::spawn(self.run(draining, done));
        Drain { start, caught_up }
    }

    async fn run(self, mut draining: watch::Receiver<bool>, done: oneshot::Sender<()>) {
        let dir = self.dir.clone();
        let mut at = spool::read_checkpoint(&dir).unwrap_or(Position {
            segment: spool::segments(&dir).ok().and_then(|s| s.first().copied()).unwrap_or(1),
            offset: 0,
        });
        let mut last_send = Instant::now() - SEND_EVERY;
        let mut done = Some(done);
        loop {
            // Off the async workers: reading the spool, and listing it when idle.
            let read = {
                let dir = dir.clone();
                tokio::task::spawn_blocking(move || {
                    let records = spool::read_from(&dir, at.segment, at.offset, READ_BUDGET)?;
                    // A newer segment means this one is complete: go on there.
                    let next = match records.is_empty() {
                        true => spool::segments(&dir)?.into_iter().find(|&s| s > at.segment),
                        false => None,
                    };
                    Ok::<_, std::io::Error>((records, next))
                })
                .await
                .unwrap_or_else(|e| Err(std::io::Error::other(e)))
            };
            let (records, next) = match read {
                Ok(read) => read,
                Err(e) => {
                    tracing::warn!(error = %e, "reading the log spool failed; trying again");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            };
            let draining_now = *draining.borrow();
            if let Some(next) = next {
                at = Position { segment: next, offset: 0 };
                self.checkpoint(at).await;
                continue;
            }
            if records.is_empty() {
                if draining_now && let Some(done) = done.take() {
                    let _ = done.send(());
                }
                tokio::select! {
                    () = tokio::time::sleep(Duration::from_millis(200)) => {},
                    _ = draining.changed() => {},
                }
                continue;
            }
            let batch = next_batch(&records);
            // A limit cut the batch: no reason to wait for more.
            let full = batch.len() < records.len() || batch.len() == MAX_EVENTS;
            if !draining_now && !full && last_send.elapsed() < SEND_EVERY {
                tokio::select! {
                    () = tokio::time::sleep(SEND_EVERY - last_send.elapsed()) => {},
                    _ = draining.changed() => {},
                }
                continue;
            }
            let end = records[batch.len() - 1].end;
            self.ship(batch, &mut draining).await;
            last_send = Instant::now();
            at.offset = end;
            self.checkpoint(at).await;
        }
    }

    /// Writes the checkpoint and deletes shipped segments, off the async workers
    /// (both sync the disk, and requests must not wait behind that).
    async fn checkpoint(&self, at: Position) {
        let (dir, gauge) = (self.dir.clone(), self.gauge.clone());
        let written = tokio::task::spawn_blocking(move || {
            spool::write_checkpoint(&dir, at).and_then(|()| spool::delete_before(&dir, at))?;
            gauge.set(spool::pending_bytes(&dir, at)?);
            Ok::<(), std::io::Error>(())
        })
        .await
        .unwrap_or_else(|e| Err(std::io::Error::other(e)));
        if let Err(e) = written {
            tracing::warn!(error = %e, "writing the log spool's checkpoint failed");
        }
    }

    /// Sends `batch` until CloudWatch has taken every event of it (or a refused
    /// one is kept in the rejected file).
    async fn ship(&self, batch: Vec<Outgoing<'_>>, draining: &mut watch::Receiver<bool>) {
        let truncated = batch.iter().filter(|e| e.truncated).count();
        if truncated > 0 {
            metrics::counter!("jewelry_log_lines_truncated_total").increment(truncated as u64);
        }
        // Invalid batches are split in halves until the refused line is found alone.
        let mut pending: Vec<Vec<Outgoing<'_>>> = vec![batch];
        let mut attempt = 0u32;
        let mut failing_since: Option<Instant> = None;
        while let Some(part) = pending.pop() {
            match self.put(&part).await {
                Sent::Accepted { refused } => {
                    metrics::counter!("jewelry_log_lines_shipped_total").increment((part.len() - refused.len()) as u64);
                    if !refused.is_empty() {
                        self.keep_rejected(
                            refused.iter().map(|&i| &part[i]),
                            "refused by CloudWatch (too old, too new or expired)",
                        );
                    }
                    if let Some(since) = failing_since.take() {
                        tracing::info!(after_secs = since.elapsed().as_secs(), "CloudWatch Logs takes log lines again");
                    }
                    attempt = 0;
                }
                Sent::NotFound => {
                    self.create_group_and_stream().await;
                    pending.push(part);
                }
                Sent::Invalid(reason) if part.len() > 1 => {
                    tracing::warn!(error = %reason, events = part.len(), "CloudWatch Logs refused a batch; sending it in halves");
                    let mut part = part;
                    let second = part.split_off(part.len() / 2);
                    pending.push(second);
                    pending.push(part);
                }
                Sent::Invalid(reason) => {
                    tracing::warn!(error = %reason, "CloudWatch Logs refused a log line; it is kept in the rejected file");
                    self.keep_rejected(part.iter(), "refused by CloudWatch as invalid");
                }
                Sent::Failed(reason) => {
                    metrics::counter!("jewelry_log_ship_errors_total").increment(1);
                    if failing_since.is_none() {
                        failing_since = Some(Instant::now());
                        tracing::warn!(error = %reason, "sending log lines to CloudWatch Logs failed; retrying with backoff");
                    }
                    let wait = if *draining.borrow() {
                        backoff(attempt.min(2), &mut rand::rng())
                    } else {
                        backoff(attempt, &mut rand::rng())
                    };
                    attempt = attempt.saturating_add(1);
                    tokio::select! {
                        () = tokio::time::sleep(wait) => {},
                        _ = draining.changed() => {},
                    }
                    pending.push(part);
                }
            }
        }
    }

    async fn put(&self, batch: &[Outgoing<'_>]) -> Sent {
        let events: Vec<InputLogEvent> = batch
            .iter()
            .filter_map(|e| InputLogEvent::builder().timestamp(e.timestamp_ms).message(e.message.as_ref()).build().ok())
            .collect();
        let sent = self
            .client
            .put_log_events()
            .log_group_name(&self.group)
            .log_stream_name(&self.stream)
            .set_log_events(Some(events))
            .send()
            .await;
        match sent {
            Ok(output) => {
                let refused = output.rejected_log_events_info().map_or_else(Vec::new, |info| {
                    refused_indices(
                        batch.len(),
                        info.too_new_log_event_start_index(),
                        info.too_old_log_event_end_index(),
                        info.expired_log_event_end_index(),
                    )
                });
                Sent::Accepted { refused }
            }
            Err(SdkError::ServiceError(e)) => match e.err() {
                PutLogEventsError::ResourceNotFoundException(_) => Sent::NotFound,
                PutLogEventsError::InvalidParameterException(e) => Sent::Invalid(e.to_string()),
                other => {
                    Sent::Failed(format!("{}: {}", other.code().unwrap_or("error"), other.message().unwrap_or("")))
                }
            },
            Err(e) => Sent::Failed(aws_sdk_cloudwatchlogs::error::DisplayErrorContext(&e).to_string()),
        }
    }

    async fn create_group_and_stream(&self) {
        let group = self.client.create_log_group().log_group_name(&self.group).send().await;
        if let Err(e) = group.map_err(|e| e.into_service_error()) {
            if !e.is_resource_already_exists_exception() {
                tracing::warn!(error = %e, group = self.group.as_str(), "creating the log group failed");
            }
        } else {
            tracing::info!(group = self.group.as_str(), "created the log group");
        }
        let stream =
            self.client.create_log_stream().log_group_name(&self.group).log_stream_name(&self.stream).send().await;
        if let Err(e) = stream.map_err(|e| e.into_service_error()) {
            if !e.is_resource_already_exists_exception() {
                tracing::warn!(error = %e, stream = self.stream.as_str(), "creating the log stream failed");
                // The retry that follows waits, rather than spinning on a missing group.
                tokio::time::sleep(BACKOFF_BASE).await;
            }
        } else {
            tracing::info!(group = self.group.as_str(), stream = self.stream.as_str(), "created the log stream");
        }
    }

    fn keep_rejected<'e>(&self, events: impl Iterator<Item = &'e Outgoing<'e>>, why: &str) {
        let mut text = String::new();
        let mut n = 0;
        for event in events {
            text.push_str(&event.message);
            text.push('\n');
            n += 1;
        }
        metrics::counter!("jewelry_log_lines_rejected_total").increment(n);
        let written = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.rejected_file)
            .and_then(|mut f| f.write_all(text.as_bytes()).and_then(|()| f.sync_data()));
        match written {
            Ok(()) => {
                tracing::warn!(count = n, file = %self.rejected_file.display(), "log lines {why}; kept in the rejected file")
            }
            Err(e) => {
                tracing::error!(count = n, error = %e, "log lines {why}, and the rejected file could not be written")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(timestamp_ms: i64, line: Vec<u8>) -> Record {
        Record { seq: 0, timestamp_ms, line, end: 0 }
    }

    fn of_size(n: usize, timestamp_ms: i64) -> Record {
        record(timestamp_ms, vec![b'x'; n])
    }

    #[test]
    fn a_batch_holds_at_most_ten_thousand_events() {
        let records: Vec<Record> = (0..10_050).map(|i| of_size(10, i)).collect();
        assert_eq!(next_batch(&records).len(), 10_000);
        assert_eq!(next_batch(&records[10_000..]).len(), 50);
    }

    #[test]
    fn a_batch_holds_at_most_a_mebibyte_counting_26_bytes_per_event() {
        // 1,022 x (1,000 + 26) = 1,048,572 fits; one more would be 1,049,598.
        let records: Vec<Record> = (0..2_000).map(|i| of_size(1_000, i)).collect();
        let batch = next_batch(&records);
        assert_eq!(batch.len(), 1_022);
        let bytes: usize = batch.iter().map(|e| e.message.len() + EVENT_OVERHEAD).sum();
        assert!(bytes <= MAX_BATCH_BYTES && bytes + 1_026 > MAX_BATCH_BYTES);
        // Exactly at the limit still fits.
        let exact =
            vec![of_size(MAX_BATCH_BYTES / 2 - EVENT_OVERHEAD, 0), of_size(MAX_BATCH_BYTES / 2 - EVENT_OVERHEAD, 1)];
        assert_eq!(next_batch(&exact).len(), 2);
    }

    #[test]
    fn a_batch_spans_at_most_24_hours_and_stays_in_order() {
        let records =
            vec![of_size(5, 1_000), of_size(5, 900), of_size(5, 1_000 + MAX_SPAN_MS), of_size(5, 1_001 + MAX_SPAN_MS)];
        let batch = next_batch(&records);
        assert_eq!(batch.iter().map(|e| e.timestamp_ms).collect::<Vec<_>>(), [1_000, 1_000, 1_000 + MAX_SPAN_MS]);
        assert_eq!(next_batch(&records[3..]).len(), 1);
    }

    #[test]
    fn a_line_over_the_event_limit_is_replaced_by_one_naming_it() {
        let mut line = br#"{"timestamp":"2026-12-01T10:00:00.000Z","level":"INFO","logType":"clickstream","eventId":"0b6f2c1e-8a4d-4f7e-9c3b-2d1e5f6a7b8c","requestId":"r-1","pad":""#.to_vec();
        line.extend(std::iter::repeat_n(b'y', MAX_EVENT_BYTES));
        line.extend_from_slice(b"\"}");
        let records = vec![record(7, line.clone()), of_size(MAX_EVENT_BYTES, 8)];
        let batch = next_batch(&records);
        assert!(batch[0].truncated);
        assert!(!next_batch(&records[1..])[0].truncated, "exactly the limit is not truncated");
        let short: serde_json::Value = serde_json::from_str(&batch[0].message).unwrap();
        assert_eq!(short["eventId"], "0b6f2c1e-8a4d-4f7e-9c3b-2d1e5f6a7b8c");
        assert_eq!(short["requestId"], "r-1");
        assert_eq!(short["logType"], "clickstream");
        assert_eq!(short["truncated"], true);
        assert_eq!(short["originalBytes"], line.len());
        assert_eq!(batch.len(), 1, "the second, at the event limit, goes in the next batch");
    }

    #[test]
    fn refused_events_are_read_from_the_answer_s_indices() {
        assert_eq!(refused_indices(5, None, None, None), Vec::<usize>::new());
        assert_eq!(refused_indices(5, Some(3), None, None), [3, 4]);
        assert_eq!(refused_indices(5, None, Some(2), None), [0, 1, 2], "through the end index");
        assert_eq!(refused_indices(5, None, Some(0), None), [0], "moto's answer for one old event");
        assert_eq!(refused_indices(5, None, Some(1), Some(2)), [0, 1, 2]);
        assert_eq!(refused_indices(5, Some(4), Some(1), None), [0, 1, 4]);
        assert_eq!(refused_indices(3, Some(9), Some(-1), None), Vec::<usize>::new());
    }

    #[test]
    fn backoff_has_full_jitter_doubling_to_a_cap() {
        let mut rng = rand::rng();
        for attempt in 0..20 {
            let ceiling = (BACKOFF_BASE * 2u32.pow(attempt.min(16))).min(BACKOFF_CAP);
            let waits: Vec<Duration> = (0..200).map(|_| backoff(attempt, &mut rng)).collect();
            assert!(waits.iter().all(|w| *w <= ceiling), "attempt {attempt}");
            if attempt >= 3 {
                assert!(waits.iter().any(|w| *w < ceiling / 4), "full jitter reaches low: attempt {attempt}");
            }
        }
        assert!((0..500).map(|_| backoff(30, &mut rng)).max().unwrap() > Duration::from_secs(20), "the cap is reached");
    }
}
