//! Where log lines go, and the server's own diagnostics as JSON lines.

use crate::config::Settings;
use crate::logs::LogSink;
use crate::logs::tracing_layer::JsonLines;
use std::io::Write;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// The sink for every log line: stdout, plus a daily-rotated file when configured.
pub fn log_sink(settings: &Settings) -> anyhow::Result<LogSink> {
    let mut outputs: Vec<Box<dyn Write + Send>> = vec![Box::new(std::io::stdout())];
    if let Some(file) = &settings.logs.file {
        let dir = file.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
        let name = file.file_name().ok_or_else(|| anyhow::anyhow!("APP_LOGS__FILE must name a file"))?;
        std::fs::create_dir_all(dir)?;
        outputs.push(Box::new(tracing_appender::rolling::daily(dir, name)));
    }
    Ok(LogSink::start(outputs))
}

/// Sends `tracing` events (the server's diagnostics) through `sink` as
/// `logType: "app"` lines, at `settings.logs.level` unless `RUST_LOG` says otherwise.
pub fn init_tracing(settings: &Settings, sink: LogSink) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new(format!("{},sqlx=warn,hyper=warn,tower=warn", settings.logs.level)));
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
