//! Where log lines go, and the server's own diagnostics as JSON lines.

use crate::config::Settings;
use crate::logs::LogSink;
use crate::logs::cloudwatch::Shipper;
use crate::logs::sink::Output;
use crate::logs::spool::{SpoolGauge, SpoolWriter};
use crate::logs::tracing_layer::JsonLines;
use anyhow::Context;
use std::path::Path;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// The sink for every log line: stdout, plus a daily-rotated file when configured,
/// plus the spool when CloudWatch Logs is on (then also its shipper, not yet started).
pub async fn log_sink(settings: &Settings) -> anyhow::Result<(LogSink, Option<Shipper>)> {
    let mut outputs = vec![Output::stdout()];
    if let Some(file) = &settings.logs.file {
        let dir = file.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
        let name = file.file_name().ok_or_else(|| anyhow::anyhow!("APP_LOGS__FILE must name a file"))?;
        std::fs::create_dir_all(dir)?;
        // The privacy page's promise: no line is kept longer than `privacy.log_retention_days`.
        let appender = tracing_appender::rolling::RollingFileAppender::builder()
            .rotation(tracing_appender::rolling::Rotation::DAILY)
            .filename_prefix(name.to_string_lossy())
            .max_log_files(settings.privacy.log_retention_days as usize)
            .build(dir)
            .with_context(|| format!("opening the log file in {}", dir.display()))?;
        outputs.push(Output::new(file.display().to_string(), appender));
    }
    let cloudwatch = &settings.logs.cloudwatch;
    let Some(group) = cloudwatch.group.clone() else {
        return Ok((LogSink::start(outputs), None));
    };
    let dir = settings.data_dir.join("log-spool");
    let gauge = SpoolGauge::new(cloudwatch.spool_max_bytes);
    let (spool, recovered) = SpoolWriter::open(&dir, gauge.clone())
        .with_context(|| format!("opening the log spool in {}", dir.display()))?;
    let stream = match &cloudwatch.stream {
        Some(stream) => stream.clone(),
        None => instance_id(&settings.data_dir)?,
    };
    let sdk = crate::aws::sdk_config(None).await;
    let shipper = Shipper {
        client: aws_sdk_cloudwatchlogs::Client::new(&sdk),
        group,
        stream,
        rejected_file: settings.data_dir.join("rejected-log-lines.jsonl"),
        dir,
        gauge,
        torn_bytes: recovered.torn_bytes,
    };
    let sink = LogSink::start_with_spool(outputs, Some(spool));
    Ok((sink, Some(shipper)))
}

/// This instance's id, made on first start and kept in the data directory, so a
/// restarted instance continues its own log stream.
pub fn instance_id(data_dir: &Path) -> anyhow::Result<String> {
    let path = data_dir.join("instance-id");
    if let Ok(id) = std::fs::read_to_string(&path) {
        let id = id.trim();
        if !id.is_empty() {
            return Ok(id.to_owned());
        }
    }
    std::fs::create_dir_all(data_dir)?;
    let id = format!("shop-{}", uuid::Uuid::new_v4().simple());
    std::fs::write(&path, format!("{id}\n")).with_context(|| format!("writing {}", path.display()))?;
    Ok(id)
}

/// Sends `tracing` events (the server's diagnostics) through `sink` as
/// `logType: "app"` lines, at `settings.logs.level` unless `RUST_LOG` says otherwise.
pub fn init_tracing(settings: &Settings, sink: LogSink) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        EnvFilter::new(format!("{},sqlx=warn,hyper=warn,tower=warn", settings.logs.level.as_str()))
    });
    let _ = tracing_subscriber::registry().with(filter).with(JsonLines::new(sink)).try_init();
}

/// Says why the server could not start, as one `app` line on stdout, before the
/// configured sink exists (the settings that name it may be what failed).
pub fn startup_failure(error: &anyhow::Error) {
    let sink = LogSink::stdout();
    let subscriber = tracing_subscriber::registry().with(JsonLines::new(sink.clone()));
    tracing::subscriber::with_default(subscriber, || {
        tracing::error!(error = %format!("{error:#}"), "the server could not start");
    });
    sink.flush(std::time::Duration::from_secs(5));
}
