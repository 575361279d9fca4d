//! The durable spool between the log writer and CloudWatch Logs: append-only
//! segment files in the data directory, read in order by the shipper, deleted only
//! once CloudWatch accepted everything in them.
//!
//! A record is `len: u32 | crc32: u32 | seq: u64 | timestamp_ms: i64 | line`
//! (little-endian; the checksum covers `seq`, `timestamp_ms` and the line). The
//! writer appends a whole batch of records with one `write` (group commit: every
//! request in the batch shares it); a thread of its own syncs at least every 100 ms. A record cut
//! short by a crash, or whose checksum fails, ends the valid part of its segment:
//! it is dropped at the next start, and the records before it are kept. The
//! shipper's position is a checkpoint file (written, synced, renamed).
//!
//! Why a format of our own rather than a crate: `okaywal` syncs on every commit and
//! decides itself when to checkpoint (here only CloudWatch's answer may release a
//! segment, and a request must not wait on a sync); `redb` and `fjall` are
//! key-value stores whose B-tree or compaction rewrite data that only needs to be
//! appended once and deleted once. What is needed is small: records with a
//! checksum and a sequence number, segments, and a checkpoint.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// A record's header: the line's length and CRC-32 (4 bytes each), its sequence
/// number and timestamp in ms (8 bytes each).
pub const RECORD_HEADER_BYTES: usize = 24;
/// A segment is closed and a new one begun past this size.
pub const SEGMENT_BYTES: u64 = 16 * 1024 * 1024;
/// The writer syncs the spool at least this often while it has unsynced records.
pub const SYNC_EVERY: Duration = Duration::from_millis(100);
/// The longest line a record holds (longer ones never come from this server).
const MAX_RECORD: usize = 64 * 1024 * 1024;

/// One record as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub seq: u64,
    pub timestamp_ms: i64,
    pub line: Vec<u8>,
    /// Where the next record starts in the segment.
    pub end: u64,
}

/// Where the shipper is: the segment and the offset of the next record to ship.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub segment: u64,
    pub offset: u64,
}

fn segment_path(dir: &Path, segment: u64) -> PathBuf {
    dir.join(format!("{segment:016}.seg"))
}

/// The segments in `dir`, oldest first.
pub fn segments(dir: &Path) -> io::Result<Vec<u64>> {
    let mut ids: Vec<u64> = fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str()?.strip_suffix(".seg")?.parse().ok())
        .collect();
    ids.sort_unstable();
    Ok(ids)
}

pub fn encode(seq: u64, timestamp_ms: i64, line: &[u8], out: &mut Vec<u8>) {
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(&seq.to_le_bytes());
    hasher.update(&timestamp_ms.to_le_bytes());
    hasher.update(line);
    out.extend_from_slice(&(line.len() as u32).to_le_bytes());
    out.extend_from_slice(&hasher.finalize().to_le_bytes());
    out.extend_from_slice(&seq.to_le_bytes());
    out.extend_from_slice(&timestamp_ms.to_le_bytes());
    out.extend_from_slice(line);
}

/// Reads the record at the reader's position; `None` at the end of the valid part
/// (the end of the file, a record cut short, or a checksum that fails).
fn read_record(reader: &mut impl Read, at: u64) -> io::Result<Option<Record>> {
    let mut header = [0u8; RECORD_HEADER_BYTES];
    match read_full(reader, &mut header)? {
        0 => return Ok(None),
        n if n < RECORD_HEADER_BYTES => return Ok(None),
        _ => {}
    }
    let len = u32::from_le_bytes(header[0..4].try_into().unwrap()) as usize;
    let crc = u32::from_le_bytes(header[4..8].try_into().unwrap());
    let seq = u64::from_le_bytes(header[8..16].try_into().unwrap());
    let timestamp_ms = i64::from_le_bytes(header[16..24].try_into().unwrap());
    if len > MAX_RECORD {
        return Ok(None);
    }
    let mut line = vec![0u8; len];
    if read_full(reader, &mut line)? < len {
        return Ok(None);
    }
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(&header[8..24]);
    hasher.update(&line);
    if hasher.finalize() != crc {
        return Ok(None);
    }
    Ok(Some(Record { seq, timestamp_ms, line, end: at + (RECORD_HEADER_BYTES + len) as u64 }))
}

fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// How much one read of the spool returns: at most `records` records, and records
/// until their size passes `bytes`, counting each line's bytes plus `per_record`
/// (the reader's own overhead per record). The last one read is the one that
/// passes, so a reader can tell that a full batch was waiting.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    pub records: usize,
    pub bytes: usize,
    pub per_record: usize,
}

impl Budget {
    /// Only a count of records.
    pub const fn records(records: usize) -> Budget {
        Budget { records, bytes: usize::MAX, per_record: 0 }
    }
}

/// The valid records of a segment from `offset`, within `budget`. Reading no more
/// than one batch needs matters: what is read past it is read again next time.
pub fn read_from(dir: &Path, segment: u64, offset: u64, budget: Budget) -> io::Result<Vec<Record>> {
    let mut file = match File::open(segment_path(dir, segment)) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    file.seek(SeekFrom::Start(offset))?;
    let mut reader = BufReader::with_capacity(256 * 1024, file);
    let mut records = Vec::new();
    let mut at = offset;
    let mut bytes = 0usize;
    while records.len() < budget.records {
        let Some(record) = read_record(&mut reader, at)? else { break };
        bytes = bytes.saturating_add(record.line.len() + budget.per_record);
        at = record.end;
        records.push(record);
        if bytes > budget.bytes {
            break;
        }
    }
    Ok(records)
}

/// How many bytes wait to be shipped, shared by the writer (which adds), the
/// shipper (which takes away) and `/events` (which refuses events when full).
#[derive(Debug)]
pub struct SpoolGauge {
    bytes: AtomicU64,
    pub max_bytes: u64,
}

impl SpoolGauge {
    pub fn new(max_bytes: u64) -> Arc<SpoolGauge> {
        Arc::new(SpoolGauge { bytes: AtomicU64::new(0), max_bytes })
    }
    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }
    pub fn is_full(&self) -> bool {
        self.bytes() >= self.max_bytes
    }
    fn add(&self, n: u64) {
        self.bytes.fetch_add(n, Ordering::Relaxed);
    }
    pub fn set(&self, n: u64) {
        self.bytes.store(n, Ordering::Relaxed);
    }

    /// Writing or syncing the spool failed: `/events` refuses new events
    /// (`spool_full`) until the shipper has made room, and the error goes to
    /// stderr, not through the log sink (it is the sink; the lines are on stdout).
    pub fn failed(&self, doing: &str, e: &io::Error) {
        self.set(self.max_bytes);
        super::to_stderr("ERROR", &format!("{doing} the log spool failed"), "spool", Some(e));
    }
}

/// The checkpoint: where the shipper goes on.
pub fn read_checkpoint(dir: &Path) -> Option<Position> {
    let text = fs::read_to_string(dir.join("shipped")).ok()?;
    let (segment, offset) = text.trim().split_once(' ')?;
    Some(Position { segment: segment.parse().ok()?, offset: offset.parse().ok()? })
}

/// Writes the checkpoint so that a crash leaves either the old one or the new one.
pub fn write_checkpoint(dir: &Path, at: Position) -> io::Result<()> {
    let tmp = dir.join("shipped.tmp");
    let mut file = File::create(&tmp)?;
    file.write_all(format!("{} {}\n", at.segment, at.offset).as_bytes())?;
    file.sync_all()?;
    fs::rename(&tmp, dir.join("shipped"))?;
    File::open(dir)?.sync_all()
}

/// Bytes from `at` to the end of every segment: what waits to be shipped.
pub fn pending_bytes(dir: &Path, at: Position) -> io::Result<u64> {
    let mut total = 0;
    for segment in segments(dir)? {
        if segment < at.segment {
            continue;
        }
        let len = fs::metadata(segment_path(dir, segment))?.len();
        total += if segment == at.segment { len.saturating_sub(at.offset) } else { len };
    }
    Ok(total)
}

/// Deletes segments before `at.segment` (all their records were shipped).
pub fn delete_before(dir: &Path, at: Position) -> io::Result<()> {
    for segment in segments(dir)? {
        if segment < at.segment {
            fs::remove_file(segment_path(dir, segment))?;
        }
    }
    Ok(())
}

/// The writer's side: appends batches of lines, rotates segments, syncs.
pub struct SpoolWriter {
    dir: PathBuf,
    file: File,
    segment: u64,
    len: u64,
    next_seq: u64,
    last_timestamp_ms: i64,
    /// Shared with the thread that syncs the current segment.
    sync: Arc<SyncState>,
    /// Dropping it tells the sync thread to make its last sync and end.
    stop: Option<std::sync::mpsc::Sender<()>>,
    syncer: Option<std::thread::JoinHandle<()>>,
    gauge: Arc<SpoolGauge>,
    buf: Vec<u8>,
    /// A failed append left part of a record that could not be cut off then.
    torn: bool,
}

impl Drop for SpoolWriter {
    /// Ends the sync thread after its last sync, so nothing appended is left unsynced
    /// by a writer that was closed.
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(syncer) = self.syncer.take() {
            let _ = syncer.join();
        }
    }
}

/// The segment being written, for the sync thread: the writer never waits on a
/// sync (the requests in its batch would), another thread makes them.
struct SyncState {
    file: std::sync::Mutex<File>,
    dirty: std::sync::atomic::AtomicBool,
}

/// Syncs the current segment whenever records were appended since the last sync,
/// looking twice per [`SYNC_EVERY`] so no record waits longer than that; when the
/// writer is dropped (`stop` disconnects) it syncs once more and ends.
fn sync_thread(state: Arc<SyncState>, gauge: Arc<SpoolGauge>, stop: std::sync::mpsc::Receiver<()>) {
    use std::sync::mpsc::RecvTimeoutError;
    loop {
        let last = matches!(stop.recv_timeout(SYNC_EVERY / 2), Err(RecvTimeoutError::Disconnected));
        if state.dirty.swap(false, Ordering::AcqRel) {
            let file = state.file.lock().ok().and_then(|f| f.try_clone().ok());
            if let Some(Err(e)) = file.map(|f| f.sync_data()) {
                gauge.failed("syncing", &e);
            }
        }
        if last {
            return;
        }
    }
}

/// What opening found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Recovered {
    /// Bytes cut from the end of the last segment: a record a crash cut short.
    pub torn_bytes: u64,
}

impl SpoolWriter {
    /// Opens the spool in `dir`, cutting a torn record from the end of the last
    /// segment (the ones before it stay).
    pub fn open(dir: &Path, gauge: Arc<SpoolGauge>) -> io::Result<(SpoolWriter, Recovered)> {
        fs::create_dir_all(dir)?;
        let existing = segments(dir)?;
        let mut recovered = Recovered::default();
        let (segment, len, next_seq, last_timestamp_ms) = match existing.last() {
            Some(&last) => {
                let path = segment_path(dir, last);
                let file_len = fs::metadata(&path)?.len();
                let (valid, last_record) = scan(&path)?;
                if valid < file_len {
                    recovered.torn_bytes = file_len - valid;
                    OpenOptions::new().write(true).open(&path)?.set_len(valid)?;
                }
                let (seq, ts) = last_record.map_or((0, 0), |r| (r.seq + 1, r.timestamp_ms));
                (last, valid, seq, ts)
            }
            None => (1, 0, 0, 0),
        };
        let file = OpenOptions::new().create(true).append(true).open(segment_path(dir, segment))?;
        let at =
            read_checkpoint(dir).unwrap_or(Position { segment: existing.first().copied().unwrap_or(1), offset: 0 });
        gauge.set(pending_bytes(dir, at)?);
        let sync = Arc::new(SyncState {
            file: std::sync::Mutex::new(file.try_clone()?),
            dirty: std::sync::atomic::AtomicBool::new(false),
        });
        let (stop, stopped) = std::sync::mpsc::channel();
        let syncer = {
            let (sync, gauge) = (sync.clone(), gauge.clone());
            std::thread::Builder::new().name("spool-sync".into()).spawn(move || sync_thread(sync, gauge, stopped))?
        };
        let writer = SpoolWriter {
            dir: dir.to_owned(),
            file,
            segment,
            len,
            next_seq,
            last_timestamp_ms,
            sync,
            stop: Some(stop),
            syncer: Some(syncer),
            gauge,
            buf: Vec::with_capacity(64 * 1024),
            torn: false,
        };
        Ok((writer, recovered))
    }

    /// Appends every line of `lines` (each ending in `\n`, which is not stored) as
    /// one record, stamped `now_ms` (never earlier than the record before), in one write.
    pub fn append(&mut self, lines: &[u8], now_ms: i64) -> io::Result<()> {
        if lines.is_empty() {
            return Ok(());
        }
        if self.len >= SEGMENT_BYTES {
            self.rotate()?;
        }
        if self.torn {
            self.file.set_len(self.len)?;
            self.torn = false;
        }
        let timestamp_ms = now_ms.max(self.last_timestamp_ms);
        let first_seq = self.next_seq;
        self.buf.clear();
        for line in lines.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
            encode(self.next_seq, timestamp_ms, line, &mut self.buf);
            self.next_seq += 1;
        }
        if let Err(e) = self.file.write_all(&self.buf) {
            // What part of the record was written is cut back off, so the next
            // record follows the last whole one (a full disk frees space for that).
            self.next_seq = first_seq;
            self.torn = self.file.set_len(self.len).is_err();
            return Err(e);
        }
        self.last_timestamp_ms = timestamp_ms;
        self.len += self.buf.len() as u64;
        self.gauge.add(self.buf.len() as u64);
        self.sync.dirty.store(true, Ordering::Release);
        Ok(())
    }

    /// Syncs now (at shutdown, or when a caller must know the records are on
    /// disk); otherwise the sync thread does it within [`SYNC_EVERY`].
    pub fn sync_now(&mut self) -> io::Result<()> {
        if self.sync.dirty.swap(false, Ordering::AcqRel) {
            self.file.sync_data()?;
        }
        Ok(())
    }

    pub fn gauge(&self) -> Arc<SpoolGauge> {
        self.gauge.clone()
    }

    /// A write or sync failed: `/events` refuses new events (`spool_full`) until
    /// the shipper has made room; the log sink says so on stderr.
    pub fn failed(&self) {
        self.gauge.set(self.gauge.max_bytes);
    }

    fn rotate(&mut self) -> io::Result<()> {
        self.file.sync_data()?;
        self.segment += 1;
        self.file = OpenOptions::new().create(true).append(true).open(segment_path(&self.dir, self.segment))?;
        File::open(&self.dir)?.sync_all()?;
        if let Ok(mut current) = self.sync.file.lock() {
            *current = self.file.try_clone()?;
        }
        self.sync.dirty.store(false, Ordering::Release);
        self.len = 0;
        Ok(())
    }
}

/// The length of a segment's valid part, and its last valid record.
fn scan(path: &Path) -> io::Result<(u64, Option<Record>)> {
    let mut reader = BufReader::with_capacity(256 * 1024, File::open(path)?);
    let (mut at, mut last) = (0, None);
    while let Some(record) = read_record(&mut reader, at)? {
        at = record.end;
        last = Some(record);
    }
    Ok((at, last))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(dir: &Path) -> (SpoolWriter, Recovered, Arc<SpoolGauge>) {
        let gauge = SpoolGauge::new(u64::MAX);
        let (writer, recovered) = SpoolWriter::open(dir, gauge.clone()).unwrap();
        (writer, recovered, gauge)
    }

    fn lines(records: &[Record]) -> Vec<String> {
        records.iter().map(|r| String::from_utf8(r.line.clone()).unwrap()).collect()
    }

    #[test]
    fn records_read_back_in_order_with_their_sequence_and_timestamp() {
        let dir = tempfile::tempdir().unwrap();
        let (mut writer, _, gauge) = open(dir.path());
        writer.append(b"{\"a\":1}\n{\"a\":2}\n", 1_000).unwrap();
        writer.append(b"{\"a\":3}\n", 900).unwrap();
        let records = read_from(dir.path(), 1, 0, Budget::records(100)).unwrap();
        assert_eq!(lines(&records), ["{\"a\":1}", "{\"a\":2}", "{\"a\":3}"]);
        assert_eq!(records.iter().map(|r| r.seq).collect::<Vec<_>>(), [0, 1, 2]);
        assert_eq!(records[2].timestamp_ms, 1_000, "never earlier than the record before");
        assert_eq!(gauge.bytes(), records[2].end);
        // Reading on from a record's end gives the ones after it.
        assert_eq!(
            lines(&read_from(dir.path(), 1, records[0].end, Budget::records(100)).unwrap()),
            ["{\"a\":2}", "{\"a\":3}"]
        );
    }

    #[test]
    fn a_torn_last_record_is_cut_and_the_records_before_it_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let (mut writer, _, _) = open(dir.path());
        writer.append(b"{\"kept\":1}\n{\"kept\":2}\n{\"torn\":3}\n", 5).unwrap();
        drop(writer);
        // A crash mid-write: the last record lost its final bytes.
        let path = segment_path(dir.path(), 1);
        let len = fs::metadata(&path).unwrap().len();
        OpenOptions::new().write(true).open(&path).unwrap().set_len(len - 3).unwrap();
        let (mut writer, recovered, _) = open(dir.path());
        assert_eq!(recovered.torn_bytes, (RECORD_HEADER_BYTES + "{\"torn\":3}".len() - 3) as u64);
        writer.append(b"{\"after\":4}\n", 6).unwrap();
        let records = read_from(dir.path(), 1, 0, Budget::records(100)).unwrap();
        assert_eq!(lines(&records), ["{\"kept\":1}", "{\"kept\":2}", "{\"after\":4}"]);
        assert_eq!(records[2].seq, 2, "the sequence goes on from the last kept record");
    }

    #[test]
    fn a_record_whose_checksum_fails_ends_the_valid_part() {
        let dir = tempfile::tempdir().unwrap();
        let (mut writer, _, _) = open(dir.path());
        writer.append(b"{\"a\":1}\n{\"b\":2}\n", 5).unwrap();
        drop(writer);
        let path = segment_path(dir.path(), 1);
        let mut bytes = fs::read(&path).unwrap();
        let last = bytes.len() - 2;
        bytes[last] ^= 0x20; // a flipped bit in the second record's line
        fs::write(&path, &bytes).unwrap();
        assert_eq!(lines(&read_from(dir.path(), 1, 0, Budget::records(100)).unwrap()), ["{\"a\":1}"]);
        let (_, recovered, _) = open(dir.path());
        assert_eq!(recovered.torn_bytes, (RECORD_HEADER_BYTES + 7) as u64);
    }

    #[test]
    fn the_checkpoint_survives_a_restart_and_pending_bytes_count_from_it() {
        let dir = tempfile::tempdir().unwrap();
        let (mut writer, _, _) = open(dir.path());
        writer.append(b"{\"a\":1}\n{\"a\":2}\n", 5).unwrap();
        let first = read_from(dir.path(), 1, 0, Budget::records(1)).unwrap().remove(0);
        write_checkpoint(dir.path(), Position { segment: 1, offset: first.end }).unwrap();
        drop(writer);
        assert_eq!(read_checkpoint(dir.path()), Some(Position { segment: 1, offset: first.end }));
        let (_, _, gauge) = open(dir.path());
        assert_eq!(gauge.bytes(), (RECORD_HEADER_BYTES + 7) as u64, "only the unshipped record waits");
    }

    #[test]
    fn the_sync_thread_syncs_what_was_appended_without_the_writer() {
        let dir = tempfile::tempdir().unwrap();
        let (mut writer, _, _) = open(dir.path());
        writer.append(b"{\"a\":1}\n", 5).unwrap();
        assert!(writer.sync.dirty.load(Ordering::Acquire), "appended, not yet synced");
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while writer.sync.dirty.load(Ordering::Acquire) {
            assert!(std::time::Instant::now() < deadline, "the sync thread never synced");
            std::thread::sleep(Duration::from_millis(10));
        }
        writer.append(b"{\"a\":2}\n", 6).unwrap();
        let sync = Arc::downgrade(&writer.sync);
        drop(writer);
        assert!(sync.upgrade().is_none(), "the thread ended with the writer");
    }

    #[test]
    fn closing_the_writer_syncs_what_it_appended_last() {
        let dir = tempfile::tempdir().unwrap();
        let (mut writer, _, _) = open(dir.path());
        writer.append(b"{\"a\":1}\n", 5).unwrap();
        let sync = writer.sync.clone();
        drop(writer);
        assert!(!sync.dirty.load(Ordering::Acquire), "the last append was synced on close");
    }

    #[test]
    fn a_read_stops_at_the_first_record_past_its_byte_budget() {
        let dir = tempfile::tempdir().unwrap();
        let (mut writer, _, _) = open(dir.path());
        writer.append(b"{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n{\"a\":4}\n", 5).unwrap();
        // Each line is 7 bytes, 10 with the reader's overhead: 20 fit, the third passes.
        let budget = Budget { records: 100, bytes: 20, per_record: 3 };
        let records = read_from(dir.path(), 1, 0, budget).unwrap();
        assert_eq!(lines(&records), ["{\"a\":1}", "{\"a\":2}", "{\"a\":3}"]);
        let one = Budget { records: 100, bytes: 0, per_record: 0 };
        assert_eq!(lines(&read_from(dir.path(), 1, 0, one).unwrap()), ["{\"a\":1}"], "a read always returns a record");
        assert_eq!(read_from(dir.path(), 1, 0, Budget::records(2)).unwrap().len(), 2);
    }

    #[test]
    fn segments_rotate_and_shipped_ones_are_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let (mut writer, _, _) = open(dir.path());
        let big = vec![b'x'; (SEGMENT_BYTES as usize) + 1];
        let mut line = big.clone();
        line.push(b'\n');
        writer.append(&line, 1).unwrap();
        writer.append(b"{\"next\":1}\n", 2).unwrap();
        assert_eq!(segments(dir.path()).unwrap(), [1, 2]);
        assert_eq!(lines(&read_from(dir.path(), 2, 0, Budget::records(10)).unwrap()), ["{\"next\":1}"]);
        delete_before(dir.path(), Position { segment: 2, offset: 0 }).unwrap();
        assert_eq!(segments(dir.path()).unwrap(), [2]);
    }
}
