//! The lossless line writer: one thread writes every line to each output (stdout,
//! the log file) and, with CloudWatch on, to the spool, in batches; a handler that
//! must not answer before its lines are written awaits [`LogSink::written`], which
//! says whether every output took them.
//!
//! Every configured output is required: a line is written when stdout, the file
//! (when set) and the spool (when there is one) all hold it. An output that
//! cannot take a batch (a full disk, a closed pipe) fails that batch's waiters
//! (`/events` answers `503 log_unavailable` and the tracker sends again), is
//! reported on stderr, in `jewelry_log_write_errors_total{output}` and
//! `/health`, and is tried again with the next batch; the outputs that still work
//! keep every line. A batch cut short mid-line leaves a fragment without its
//! newline: the output's next write starts with one, so the fragment stays a
//! line of its own and the lines after it are whole.

use super::lines::{Framed, LineHeader, LogLine};
use super::spool::{SpoolGauge, SpoolWriter};
use super::{rfc3339_millis, to_stderr};
use serde::Serialize;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;
use time::OffsetDateTime;

enum Message {
    Line(Vec<u8>),
    /// Answered once every line sent before it has been written and flushed.
    Flush(mpsc::SyncSender<()>),
    /// The same, for async callers, with whether every output took the lines.
    Written(tokio::sync::oneshot::Sender<Result<(), WriteFailed>>),
    /// Lines with their waiter, in one message: the writer always takes them in
    /// the same wake, so the answer is that of the batch that held them.
    LinesWritten(Vec<u8>, tokio::sync::oneshot::Sender<Result<(), WriteFailed>>),
}

/// Lines could not be written to these outputs (`stdout`, the file's path,
/// `spool`); the other outputs have them.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("log lines could not be written to {}", .outputs.join(", "))]
pub struct WriteFailed {
    pub outputs: Vec<String>,
}

/// One place lines are written to, with the name it is reported by.
pub struct Output {
    name: String,
    writer: Box<dyn Write + Send>,
    /// A write stopped mid-line: the next one must start on a new line.
    torn: bool,
}

impl Output {
    pub fn new(name: impl Into<String>, writer: impl Write + Send + 'static) -> Output {
        Output { name: name.into(), writer: Box::new(writer), torn: false }
    }

    /// The process's standard output, written without a buffer of its own (Rust's
    /// `Stdout` keeps what it could not write and retries it later, out of order
    /// with the batch's other outputs): a second descriptor of it, so a failed write
    /// is seen where it happens.
    pub fn stdout() -> Output {
        use std::os::fd::AsFd;
        match io::stdout().as_fd().try_clone_to_owned() {
            Ok(fd) => Output::new("stdout", std::fs::File::from(fd)),
            Err(_) => Output::new("stdout", io::stdout()),
        }
    }

    /// Writes all of `buf` (whole lines) and flushes; a fragment an earlier failed
    /// write left is ended first.
    fn write_batch(&mut self, buf: &[u8]) -> io::Result<()> {
        if self.torn {
            self.write_fully(b"\n")?;
            self.torn = false;
        }
        self.write_fully(buf)?;
        self.writer.flush()
    }

    fn write_fully(&mut self, mut buf: &[u8]) -> io::Result<()> {
        while !buf.is_empty() {
            match self.writer.write(buf) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => {
                    self.torn = buf[n - 1] != b'\n';
                    buf = &buf[n..];
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}

/// Where finished log lines go. Cheap to clone; every clone feeds the same writer.
#[derive(Clone)]
pub struct LogSink {
    tx: Sender<Message>,
    /// What waits in the spool, when there is one.
    spool: Option<Arc<SpoolGauge>>,
    health: Arc<Health>,
}

/// Which outputs failed their last write, as the writer thread last saw them.
#[derive(Default)]
struct Health {
    /// Some output is failing: read on every `/events` request, so an atomic.
    failing: AtomicBool,
    names: Mutex<Vec<String>>,
}

impl Health {
    fn set(&self, output: &str, failing: bool) {
        let mut names = self.names.lock().unwrap_or_else(|p| p.into_inner());
        let known = names.iter().position(|n| n == output);
        match (failing, known) {
            (true, None) => names.push(output.to_owned()),
            (false, Some(i)) => {
                names.remove(i);
            }
            _ => {}
        }
        self.failing.store(!names.is_empty(), Ordering::Release);
    }
}

/// Lines written to memory, for tests that assert on what a request logged.
#[derive(Clone, Default)]
pub struct MemoryLog(Arc<Mutex<Vec<u8>>>);

impl MemoryLog {
    /// Every line so far, parsed.
    pub fn lines(&self) -> Vec<serde_json::Value> {
        let bytes = self.0.lock().map(|b| b.clone()).unwrap_or_default();
        String::from_utf8_lossy(&bytes)
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("log line is not JSON ({e}): {l}")))
            .collect()
    }

    /// The raw text written so far.
    pub fn text(&self) -> String {
        let bytes = self.0.lock().map(|b| b.clone()).unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl Write for MemoryLog {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().map_err(|_| io::Error::other("poisoned"))?.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// How many messages the writer takes per wake-up before it writes and flushes.
const MESSAGES_PER_WAKE: usize = 4096;
/// After writing a batch the writer waits this long before looking again, so that
/// under load it wakes a few hundred times a second instead of once per line (each
/// wake-up is a context switch the request threads pay for). Idle, it simply blocks.
const WRITER_PAUSE: Duration = Duration::from_millis(1);
/// The name the spool is reported by.
const SPOOL: &str = "spool";

impl LogSink {
    /// Starts the writer thread over `outputs` (stdout, a file, memory, ...).
    pub fn start(outputs: Vec<Output>) -> LogSink {
        Self::start_with_spool(outputs, None)
    }

    /// [`LogSink::start`], every line also appended to `spool`.
    pub fn start_with_spool(outputs: Vec<Output>, spool: Option<SpoolWriter>) -> LogSink {
        let (tx, rx) = mpsc::channel();
        let gauge = spool.as_ref().map(SpoolWriter::gauge);
        let health = Arc::new(Health::default());
        let writer_health = health.clone();
        thread::Builder::new()
            .name("log-writer".into())
            .spawn(move || writer(rx, outputs, spool, &writer_health))
            .expect("the log writer thread starts");
        LogSink { tx, spool: gauge, health }
    }

    /// Bytes waiting in the spool, when there is one.
    pub fn spool_bytes(&self) -> Option<u64> {
        self.spool.as_ref().map(|g| g.bytes())
    }

    /// The spool is at its limit (or cannot be written): take no new events.
    pub fn spool_full(&self) -> bool {
        self.spool.as_ref().is_some_and(|g| g.is_full())
    }

    /// Some output (or the spool) failed its last write: lines handed over now
    /// may not reach it.
    pub fn failing(&self) -> bool {
        self.health.failing.load(Ordering::Acquire)
    }

    /// The outputs that failed their last write, by name.
    pub fn failing_outputs(&self) -> Vec<String> {
        self.health.names.lock().map(|n| n.clone()).unwrap_or_default()
    }

    /// A sink that writes to stdout.
    pub fn stdout() -> LogSink {
        LogSink::start(vec![Output::stdout()])
    }

    /// A sink that keeps lines in memory, for tests.
    pub fn memory() -> (LogSink, MemoryLog) {
        let memory = MemoryLog::default();
        (LogSink::start(vec![Output::new("memory", memory.clone())]), memory)
    }

    /// Hands one line (without its newline) to the writer. Never blocks.
    pub fn write_line(&self, mut line: Vec<u8>) {
        line.push(b'\n');
        self.write_lines(line);
    }

    /// Hands several finished lines (each ending in a newline) to the writer at
    /// once, in order. Never blocks.
    pub fn write_lines(&self, lines: Vec<u8>) {
        if lines.is_empty() {
            return;
        }
        // Only fails once the writer thread is gone, which happens only if an
        // output panicked; there is nowhere left to write then.
        let _ = self.tx.send(Message::Line(lines));
    }

    /// Hands `lines` (each ending in a newline) to the writer and resolves once
    /// they are written to every output and the spool, or have failed to be (see
    /// [`LogSink::written`]). The lines and the wait go as one message, so a
    /// failure of the batch that held them is never missed: [`LogSink::written`]
    /// after [`LogSink::write_lines`] is answered by the wake it lands in, which
    /// need not be the one that took the lines.
    pub async fn write_and_wait(&self, lines: Vec<u8>) -> Result<(), WriteFailed> {
        let (done_tx, done_rx) = tokio::sync::oneshot::channel();
        let gone = || WriteFailed { outputs: vec!["the log writer".into()] };
        self.tx.send(Message::LinesWritten(lines, done_tx)).map_err(|_| gone())?;
        done_rx.await.map_err(|_| gone())?
    }

    /// Resolves once every line handed over before this call is written to every
    /// output and the spool (handed to the operating system; the spool is synced
    /// within [`super::spool::SYNC_EVERY`]), or has failed to be: then it names
    /// the outputs that did not take them. Lines handed over together by many
    /// requests share one write.
    pub async fn written(&self) -> Result<(), WriteFailed> {
        let (done_tx, done_rx) = tokio::sync::oneshot::channel();
        let gone = || WriteFailed { outputs: vec!["the log writer".into()] };
        self.tx.send(Message::Written(done_tx)).map_err(|_| gone())?;
        done_rx.await.map_err(|_| gone())?
    }

    /// Waits until every line handed over before this call is written and flushed,
    /// or `timeout` passes. Returns whether it finished.
    pub fn flush(&self, timeout: Duration) -> bool {
        let (done_tx, done_rx) = mpsc::sync_channel(1);
        if self.tx.send(Message::Flush(done_tx)).is_err() {
            return false;
        }
        done_rx.recv_timeout(timeout).is_ok()
    }
}

impl LogSink {
    /// Writes `line` (one of [`super::lines`]), stamped now.
    pub fn emit<L: LogLine>(&self, line: &L) {
        self.emit_at(&rfc3339_millis(OffsetDateTime::now_utc()), line);
    }

    /// Writes `line` stamped `timestamp` (one request's events share theirs).
    pub fn emit_at<L: LogLine>(&self, timestamp: &str, line: &L) {
        self.emit_framed(LineHeader { timestamp, level: line.level(), log_type: L::LOG_TYPE }, line);
    }

    /// Writes `line` behind `header` as it is: the diagnostics layer's lines,
    /// whose level and type are not the line's to say.
    pub(super) fn emit_framed(&self, header: LineHeader<'_>, line: &impl Serialize) {
        let mut bytes = Vec::new();
        if frame(&mut bytes, header, line) {
            self.write_lines(bytes);
        }
    }

    /// Adds `line` stamped `timestamp`, with its newline, to `lines`: for
    /// [`LogSink::write_and_wait`].
    pub fn frame_at<L: LogLine>(lines: &mut Vec<u8>, timestamp: &str, line: &L) {
        frame(lines, LineHeader { timestamp, level: line.level(), log_type: L::LOG_TYPE }, line);
    }
}

/// Adds the line with its newline to `lines`; false if it could not be serialized.
fn frame(lines: &mut Vec<u8>, header: LineHeader<'_>, line: &impl Serialize) -> bool {
    let start = lines.len();
    match serde_json::to_writer(&mut *lines, &Framed { header, line }) {
        Ok(()) => {
            lines.push(b'\n');
            true
        }
        // Only non-string map keys or failing Serialize impls can fail, and no
        // line has either; say so loudly rather than lose the line silently.
        Err(e) => {
            lines.truncate(start);
            tracing::error!(error = %e, "a log line could not be serialized");
            false
        }
    }
}

fn writer(rx: Receiver<Message>, mut outputs: Vec<Output>, mut spool: Option<SpoolWriter>, health: &Health) {
    let mut pending_flush: Vec<mpsc::SyncSender<()>> = Vec::new();
    let mut pending_written: Vec<tokio::sync::oneshot::Sender<Result<(), WriteFailed>>> = Vec::new();
    let mut buf: Vec<u8> = Vec::with_capacity(64 * 1024);
    // Outputs that failed since the waiters were last answered: a waiter's lines
    // may lie in an earlier batch when that one was cut at `MESSAGES_PER_WAKE` messages.
    let mut failed: Vec<String> = Vec::new();
    loop {
        // Block for the first message, then take what else is already waiting.
        let Ok(first) = rx.recv() else { break };
        let mut next = Some(first);
        let mut taken = 0;
        while let Some(message) = next.take() {
            match message {
                Message::Line(line) => buf.extend_from_slice(&line),
                Message::Flush(done) => pending_flush.push(done),
                Message::Written(done) => pending_written.push(done),
                Message::LinesWritten(lines, done) => {
                    buf.extend_from_slice(&lines);
                    pending_written.push(done);
                }
            }
            taken += 1;
            if taken < MESSAGES_PER_WAKE {
                next = rx.try_recv().ok();
            }
        }
        write_batch(&mut outputs, spool.as_mut(), &buf, health, &mut failed);
        buf.clear();
        if !pending_flush.is_empty() {
            sync_spool(spool.as_mut(), health, &mut failed);
        }
        for done in pending_flush.drain(..) {
            let _ = done.send(());
        }
        if !pending_written.is_empty() {
            let outcome = match failed.is_empty() {
                true => Ok(()),
                false => Err(WriteFailed { outputs: failed.clone() }),
            };
            for done in pending_written.drain(..) {
                let _ = done.send(outcome.clone());
            }
        }
        if taken < MESSAGES_PER_WAKE {
            failed.clear();
        }
        thread::sleep(WRITER_PAUSE);
    }
    write_batch(&mut outputs, spool.as_mut(), &buf, health, &mut failed);
    sync_spool(spool.as_mut(), health, &mut failed);
}

/// Writes one batch to every output and the spool; the names of those that
/// failed are added to `failed`, and each output's health is updated.
fn write_batch(
    outputs: &mut [Output],
    spool: Option<&mut SpoolWriter>,
    buf: &[u8],
    health: &Health,
    failed: &mut Vec<String>,
) {
    if buf.is_empty() {
        return;
    }
    for out in outputs.iter_mut() {
        let outcome = out.write_batch(buf);
        record(&out.name, outcome, health, failed);
    }
    if let Some(writer) = spool {
        let now_ms = (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64;
        let outcome = writer.append(buf, now_ms);
        if outcome.is_err() {
            writer.failed();
        }
        record(SPOOL, outcome, health, failed);
    }
}

fn sync_spool(spool: Option<&mut SpoolWriter>, health: &Health, failed: &mut Vec<String>) {
    if let Some(writer) = spool {
        let outcome = writer.sync_now();
        if outcome.is_err() {
            writer.failed();
        }
        record(SPOOL, outcome, health, failed);
    }
}

/// Notes how a write to `output` went: a failure is counted, said on stderr when
/// the output starts failing, and shown by `/health` until a write works again
/// (which stderr is told too).
fn record(output: &str, outcome: io::Result<()>, health: &Health, failed: &mut Vec<String>) {
    let was_failing = health.names.lock().map(|n| n.iter().any(|o| o == output)).unwrap_or(false);
    match outcome {
        Ok(()) if was_failing => {
            health.set(output, false);
            to_stderr("INFO", &format!("log lines are written to {output} again"), output, None);
        }
        Ok(()) => {}
        Err(e) => {
            metrics::counter!("jewelry_log_write_errors_total", "output" => output.to_owned()).increment(1);
            if !failed.iter().any(|f| f == output) {
                failed.push(output.to_owned());
            }
            if !was_failing {
                health.set(output, true);
                to_stderr(
                    "ERROR",
                    &format!(
                        "log lines could not be written to {output}; events are refused (503) until it works again"
                    ),
                    output,
                    Some(&e),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_every_line_in_order_and_flush_waits_for_them() {
        let (sink, memory) = LogSink::memory();
        let writers: Vec<_> = (0..4)
            .map(|t| {
                let sink = sink.clone();
                thread::spawn(move || {
                    for i in 0..2_000 {
                        sink.write_line(format!("{{\"t\":{t},\"i\":{i}}}").into_bytes());
                    }
                })
            })
            .collect();
        for w in writers {
            w.join().unwrap();
        }
        assert!(sink.flush(Duration::from_secs(10)));
        let lines = memory.lines();
        assert_eq!(lines.len(), 8_000);
        for t in 0..4 {
            let seq: Vec<i64> = lines.iter().filter(|l| l["t"] == t).map(|l| l["i"].as_i64().unwrap()).collect();
            assert_eq!(seq, (0..2_000).collect::<Vec<_>>(), "thread {t}'s lines keep their order");
        }
    }

    /// A disk with `room` bytes left: a write takes what fits, then fails.
    #[derive(Clone)]
    struct SmallDisk {
        room: Arc<Mutex<usize>>,
        bytes: MemoryLog,
    }

    impl SmallDisk {
        fn new(room: usize) -> SmallDisk {
            SmallDisk { room: Arc::new(Mutex::new(room)), bytes: MemoryLog::default() }
        }
        fn free(&self, room: usize) {
            *self.room.lock().unwrap() = room;
        }
    }

    impl Write for SmallDisk {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            let mut room = self.room.lock().unwrap();
            if *room == 0 {
                return Err(io::Error::from(io::ErrorKind::StorageFull));
            }
            let n = buf.len().min(*room);
            *room -= n;
            self.bytes.write(&buf[..n])
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
    }

    #[test]
    fn a_failing_output_fails_the_waiters_and_the_others_still_get_every_line() {
        let memory = MemoryLog::default();
        let disk = SmallDisk::new(0);
        let sink = LogSink::start(vec![Output::new("memory", memory.clone()), Output::new("/full/shop.log", disk)]);
        let outcome = runtime().block_on(sink.write_and_wait(b"{\"a\":1}\n".to_vec()));
        assert_eq!(outcome, Err(WriteFailed { outputs: vec!["/full/shop.log".into()] }));
        assert_eq!(memory.lines().len(), 1, "the working output has the line");
        assert!(sink.failing());
        assert_eq!(sink.failing_outputs(), vec!["/full/shop.log".to_owned()]);
    }

    #[test]
    fn lines_and_their_waiter_hear_of_their_own_batch_whenever_the_writer_wakes() {
        let disk = SmallDisk::new(0);
        let sink = LogSink::start(vec![Output::new("/full/shop.log", disk.clone())]);
        let rt = runtime();
        for _ in 0..50 {
            // However the writer's wakes fall, the failed lines' waiter hears of it.
            assert!(rt.block_on(sink.write_and_wait(b"{\"a\":1}\n".to_vec())).is_err());
        }
        // An earlier failure, with nobody waiting, is not a later batch's.
        sink.write_line(b"{\"lost\":1}".to_vec());
        assert!(sink.flush(Duration::from_secs(5)));
        disk.free(1_000);
        assert_eq!(rt.block_on(sink.write_and_wait(b"{\"b\":2}\n".to_vec())), Ok(()));
    }

    #[test]
    fn a_line_cut_short_by_a_full_disk_is_ended_before_the_next_and_the_output_recovers() {
        let disk = SmallDisk::new(10);
        let sink = LogSink::start(vec![Output::new("disk", disk.clone())]);
        let rt = runtime();
        // Written and waited for as one batch: a waiter that came after the writer
        // had already failed the line would not hear of it (nor should it).
        let cut = rt.block_on(sink.write_and_wait(b"{\"first\":\"cut short\"}\n".to_vec()));
        assert!(cut.is_err(), "10 bytes of 23 fit");
        disk.free(1_000);
        sink.write_line(b"{\"second\":2}".to_vec());
        assert_eq!(rt.block_on(sink.written()), Ok(()));
        assert!(!sink.failing(), "a write that works clears the failure");
        assert!(sink.failing_outputs().is_empty());
        let text = disk.bytes.text();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines, ["{\"first\":\"", "{\"second\":2}"], "the fragment is a line of its own");
    }

    #[test]
    fn waiters_whose_lines_all_went_out_are_told_so() {
        let (sink, memory) = LogSink::memory();
        sink.write_line(b"{\"a\":1}".to_vec());
        assert_eq!(runtime().block_on(sink.written()), Ok(()));
        assert_eq!(memory.lines().len(), 1);
        assert!(!sink.failing());
    }
}
