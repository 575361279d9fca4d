//! `jewelry-server export`: the log's lines of a range of days, as gzipped JSON
//! lines, one file per day and type, in the layout the AWS template's Firehose
//! archive writes (`clickstream/dt=YYYY-MM-DD/…`), so one reader serves both:
//!
//! ```text
//! jewelry-server export --since 2026-12-01 --until 2026-12-07 --out export \
//!     (--log-group /lumen/shop | --file data/shop.log.2026-12-07 ...) [--all-types]
//! ```
//!
//! Only `clickstream` lines unless `--all-types`. Days are UTC days of each line's
//! `timestamp`, as Firehose's `!{timestamp:yyyy-MM-dd}` partitions. A day's file is
//! its lines sorted (by timestamp, then text), gzipped without a time in its header
//! and written whole or not at all: the same range exported twice gives the same
//! files, byte for byte.

use anyhow::Context;
use flate2::Compression;
use flate2::write::GzEncoder;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, Time};

/// Where the lines come from.
#[derive(Debug, PartialEq, Eq)]
pub enum Source {
    /// A CloudWatch Logs group, read with `FilterLogEvents`.
    LogGroup(String),
    /// Log files this server wrote (`APP_LOGS__FILE` and its daily files).
    Files(Vec<PathBuf>),
}

#[derive(Debug, PartialEq, Eq)]
pub struct ExportArgs {
    pub source: Source,
    pub since: Date,
    /// The last day, included.
    pub until: Date,
    pub out: PathBuf,
    /// Every log type, not only `clickstream`.
    pub all_types: bool,
}

/// What an export wrote.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub lines: u64,
    pub files: Vec<PathBuf>,
}

pub const USAGE: &str = "usage: jewelry-server export --since YYYY-MM-DD --until YYYY-MM-DD --out DIR \
(--log-group NAME | --file PATH [--file PATH ...]) [--all-types]";

/// Reads the arguments after `export`.
pub fn parse_args(args: &[String]) -> Result<ExportArgs, String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let day = |name: &str, value: Option<&String>| -> Result<Date, String> {
        let value = value.ok_or_else(|| format!("{name} needs a day, YYYY-MM-DD"))?;
        Date::parse(value, &format).map_err(|_| format!("{name} {value:?} is not a day, YYYY-MM-DD"))
    };
    let (mut since, mut until, mut out, mut group, mut files, mut all_types) =
        (None, None, None, None, Vec::new(), false);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--since" => since = Some(day("--since", args.next())?),
            "--until" => until = Some(day("--until", args.next())?),
            "--out" => out = Some(PathBuf::from(args.next().ok_or("--out needs a directory")?)),
            "--log-group" => group = Some(args.next().ok_or("--log-group needs a name")?.clone()),
            "--file" => files.push(PathBuf::from(args.next().ok_or("--file needs a path")?)),
            "--all-types" => all_types = true,
            other => return Err(format!("{other:?} is not an argument of export")),
        }
    }
    let source = match (group, files.is_empty()) {
        (Some(group), true) => Source::LogGroup(group),
        (None, false) => Source::Files(files),
        _ => return Err("name one source: --log-group, or one or more --file".into()),
    };
    let (Some(since), Some(until), Some(out)) = (since, until, out) else {
        return Err("--since, --until and --out are needed".into());
    };
    if until < since {
        return Err("--until is before --since".into());
    }
    Ok(ExportArgs { source, since, until, out, all_types })
}

/// The lines kept so far, by type and day.
#[derive(Default)]
struct Days {
    by: BTreeMap<(String, Date), Vec<(String, String)>>,
    lines: u64,
}

impl Days {
    /// Keeps `line` if it is a JSON line of a wanted type within the range.
    fn take(&mut self, line: &str, args: &ExportArgs) {
        let Ok(value) = serde_json::from_str::<Value>(line) else { return };
        let Some(log_type) = value["logType"].as_str() else { return };
        if !args.all_types && log_type != "clickstream" {
            return;
        }
        let Some(stamp) = value["timestamp"].as_str() else { return };
        let Ok(at) = OffsetDateTime::parse(stamp, &Rfc3339) else { return };
        let day = at.to_offset(time::UtcOffset::UTC).date();
        if day < args.since || day > args.until {
            return;
        }
        self.lines += 1;
        self.by.entry((log_type.to_owned(), day)).or_default().push((stamp.to_owned(), line.trim_end().to_owned()));
    }

    /// Writes each day's file; answers them.
    fn write(mut self, out: &Path) -> anyhow::Result<Summary> {
        let mut files = Vec::new();
        for ((log_type, day), lines) in &mut self.by {
            lines.sort();
            lines.dedup();
            let dir = out.join(log_type).join(format!("dt={day}"));
            std::fs::create_dir_all(&dir).with_context(|| format!("making {}", dir.display()))?;
            let path = dir.join(format!("{log_type}-{day}.json.gz"));
            let partial = dir.join(format!(".{log_type}-{day}.json.gz.partial"));
            let mut gz = GzEncoder::new(Vec::new(), Compression::default());
            for (_, line) in lines.iter() {
                gz.write_all(line.as_bytes())?;
                gz.write_all(b"\n")?;
            }
            std::fs::write(&partial, gz.finish()?).with_context(|| format!("writing {}", partial.display()))?;
            std::fs::rename(&partial, &path)?;
            files.push(path);
        }
        Ok(Summary { lines: self.lines, files })
    }
}

/// Runs the export.
pub async fn run(args: &ExportArgs) -> anyhow::Result<Summary> {
    let mut days = Days::default();
    match &args.source {
        Source::Files(files) => {
            for file in files {
                let reader = std::io::BufReader::new(
                    std::fs::File::open(file).with_context(|| format!("opening {}", file.display()))?,
                );
                for line in reader.lines() {
                    days.take(&line.with_context(|| format!("reading {}", file.display()))?, args);
                }
            }
        }
        Source::LogGroup(group) => read_log_group(group, args, &mut days).await?,
    }
    days.write(&args.out)
}

/// Every event of the range from the log group, page by page (the SDK retries each
/// call), with a progress bar on a terminal.
async fn read_log_group(group: &str, args: &ExportArgs, days: &mut Days) -> anyhow::Result<()> {
    let millis = |day: Date| (day.with_time(Time::MIDNIGHT).assume_utc().unix_timestamp()) * 1000;
    let (start, end) = (millis(args.since), millis(args.until.next_day().unwrap_or(args.until)));
    each_message(group, start, end, |message| days.take(message, args)).await
}

/// Hands `take` the message of every event of `group` from `start` (Unix
/// milliseconds, included) to `end` (excluded), through `FilterLogEvents` page by
/// page (the SDK retries each call), with a progress bar on a terminal. Shared by
/// the export and the insights' rebuild.
pub(crate) async fn each_message(group: &str, start: i64, end: i64, mut take: impl FnMut(&str)) -> anyhow::Result<()> {
    let config = crate::aws::sdk_config(None).await;
    let client = aws_sdk_cloudwatchlogs::Client::new(&config);
    let progress = indicatif::ProgressBar::new((end - start).max(0) as u64);
    if !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        progress.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let mut token: Option<String> = None;
    loop {
        let page = client
            .filter_log_events()
            .log_group_name(group)
            .start_time(start)
            .end_time(end - 1)
            .set_next_token(token.take())
            .send()
            .await
            .with_context(|| format!("reading the log group {group}"))?;
        for event in page.events() {
            if let Some(message) = event.message() {
                take(message);
            }
            if let Some(at) = event.timestamp() {
                progress.set_position((at - start).clamp(0, end - start) as u64);
            }
        }
        match page.next_token() {
            Some(next) if !next.is_empty() => token = Some(next.to_owned()),
            _ => break,
        }
    }
    progress.finish_and_clear();
    Ok(())
}

/// `jewelry-server export …`: runs it and says what it wrote; the exit code says whether it worked.
pub async fn main(args: &[String]) -> std::process::ExitCode {
    let parsed = match parse_args(args) {
        Ok(parsed) => parsed,
        Err(problem) => {
            eprintln!("{problem}\n{USAGE}");
            return std::process::ExitCode::from(2);
        }
    };
    match run(&parsed).await {
        Ok(summary) => {
            println!(
                "exported {} lines into {} files under {}",
                summary.lines,
                summary.files.len(),
                parsed.out.display()
            );
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("the export failed: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Result<ExportArgs, String> {
        parse_args(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn reads_one_source_a_range_and_where_to_write() {
        let parsed =
            args(&["--since", "2026-12-01", "--until", "2026-12-07", "--out", "x", "--file", "a", "--file", "b"])
                .unwrap();
        assert_eq!(parsed.source, Source::Files(vec!["a".into(), "b".into()]));
        assert!(!parsed.all_types);
        let group = args(&[
            "--log-group",
            "/lumen/shop",
            "--since",
            "2026-12-01",
            "--until",
            "2026-12-01",
            "--out",
            "x",
            "--all-types",
        ]);
        assert_eq!(group.unwrap().source, Source::LogGroup("/lumen/shop".into()));
        assert!(
            args(&["--since", "2026-12-01", "--until", "2026-12-07", "--out", "x"]).unwrap_err().contains("one source")
        );
        assert!(args(&["--file", "a", "--since", "2026-12-08", "--until", "2026-12-07", "--out", "x"]).is_err());
        assert!(args(&["--file", "a", "--since", "yesterday", "--until", "2026-12-07", "--out", "x"]).is_err());
        assert!(
            args(&["--file", "a", "--since", "2026-12-01", "--until", "2026-12-07", "--out", "x", "--bogus"]).is_err()
        );
    }
}
