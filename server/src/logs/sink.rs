//! The lossless line writer: one thread writes every line to stdout (and the
//! other outputs) and, with CloudWatch on, to the spool, in batches; a handler
//! that must not answer before its lines are written awaits [`LogSink::written`].

use super::spool::{SpoolGauge, SpoolWriter};
use std::io::{self, Write};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

enum Message {
    Line(Vec<u8>),
    /// Answered once every line sent before it has been written and flushed.
    Flush(mpsc::SyncSender<()>),
    /// The same, for async callers.
    Written(tokio::sync::oneshot::Sender<()>),
}

/// Where finished log lines go. Cheap to clone; every clone feeds the same writer.
#[derive(Clone)]
pub struct LogSink {
    tx: Sender<Message>,
    /// What waits in the spool, when there is one.
    spool: Option<Arc<SpoolGauge>>,
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
const BATCH: usize = 4096;
/// After writing a batch the writer waits this long before looking again, so that
/// under load it wakes a few hundred times a second instead of once per line (each
/// wake-up is a context switch the request threads pay for). Idle, it simply blocks.
const LINGER: Duration = Duration::from_millis(1);

impl LogSink {
    /// Starts the writer thread over `outputs` (stdout, a file, memory, ...).
    pub fn start(outputs: Vec<Box<dyn Write + Send>>) -> LogSink {
        Self::start_with_spool(outputs, None)
    }

    /// [`LogSink::start`], every line also appended to `spool`.
    pub fn start_with_spool(outputs: Vec<Box<dyn Write + Send>>, spool: Option<SpoolWriter>) -> LogSink {
        let (tx, rx) = mpsc::channel();
        let gauge = spool.as_ref().map(SpoolWriter::gauge);
        thread::Builder::new()
            .name("log-writer".into())
            .spawn(move || writer(rx, outputs, spool))
            .expect("the log writer thread starts");
        LogSink { tx, spool: gauge }
    }

    /// Bytes waiting in the spool, when there is one.
    pub fn spool_bytes(&self) -> Option<u64> {
        self.spool.as_ref().map(|g| g.bytes())
    }

    /// The spool is at its limit (or cannot be written): take no new events.
    pub fn spool_full(&self) -> bool {
        self.spool.as_ref().is_some_and(|g| g.is_full())
    }

    /// A sink that writes to stdout.
    pub fn stdout() -> LogSink {
        LogSink::start(vec![Box::new(io::stdout())])
    }

    /// A sink that keeps lines in memory, for tests.
    pub fn memory() -> (LogSink, MemoryLog) {
        let memory = MemoryLog::default();
        (LogSink::start(vec![Box::new(memory.clone())]), memory)
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

    /// Resolves once every line handed over before this call is written to every
    /// output and the spool (handed to the operating system; the spool is synced
    /// within [`super::spool::SYNC_EVERY`]). Lines handed over together by many
    /// requests share one write.
    pub async fn written(&self) {
        let (done_tx, done_rx) = tokio::sync::oneshot::channel();
        if self.tx.send(Message::Written(done_tx)).is_ok() {
            let _ = done_rx.await;
        }
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

fn writer(rx: Receiver<Message>, mut outputs: Vec<Box<dyn Write + Send>>, mut spool: Option<SpoolWriter>) {
    let mut pending_flush: Vec<mpsc::SyncSender<()>> = Vec::new();
    let mut pending_written: Vec<tokio::sync::oneshot::Sender<()>> = Vec::new();
    let mut buf: Vec<u8> = Vec::with_capacity(64 * 1024);
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
            }
            taken += 1;
            if taken < BATCH {
                next = rx.try_recv().ok();
            }
        }
        write_all(&mut outputs, &buf);
        if let Some(writer) = spool.as_mut() {
            append_to_spool(writer, &buf);
        }
        buf.clear();
        if !pending_flush.is_empty() {
            sync_spool(&mut spool);
        }
        for done in pending_flush.drain(..) {
            let _ = done.send(());
        }
        for done in pending_written.drain(..) {
            let _ = done.send(());
        }
        thread::sleep(LINGER);
    }
    write_all(&mut outputs, &buf);
    if let Some(writer) = spool.as_mut() {
        append_to_spool(writer, &buf);
    }
    sync_spool(&mut spool);
}

fn append_to_spool(spool: &mut SpoolWriter, buf: &[u8]) {
    let now_ms = (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64;
    if let Err(e) = spool.append(buf, now_ms) {
        spool.failed("appending to", &e);
    }
}

fn sync_spool(spool: &mut Option<SpoolWriter>) {
    if let Some(writer) = spool.as_mut()
        && let Err(e) = writer.sync_now()
    {
        writer.failed("syncing", &e);
    }
}

fn write_all(outputs: &mut [Box<dyn Write + Send>], buf: &[u8]) {
    if buf.is_empty() {
        for out in outputs.iter_mut() {
            let _ = out.flush();
        }
        return;
    }
    for out in outputs.iter_mut() {
        // A full disk or a closed stdout must not take the shop down; the other
        // outputs still get the lines.
        if out.write_all(buf).is_err() {
            continue;
        }
        let _ = out.flush();
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

    struct Broken;
    impl Write for Broken {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::other("disk full"))
        }
        fn flush(&mut self) -> io::Result<()> {
            Err(io::Error::other("disk full"))
        }
    }

    #[test]
    fn a_failing_output_does_not_stop_the_others() {
        let memory = MemoryLog::default();
        let sink = LogSink::start(vec![Box::new(Broken), Box::new(memory.clone())]);
        sink.write_line(b"{\"a\":1}".to_vec());
        assert!(sink.flush(Duration::from_secs(5)));
        assert_eq!(memory.lines().len(), 1);
    }
}
