//! Serves the jewelry shop. Configuration: see the README's table.

use jewelry_server::config::{self, Settings};
use jewelry_server::logs::LogSink;
use jewelry_server::startup::Application;
use jewelry_server::telemetry;
use std::time::Duration;

/// mimalloc: requests allocate and free many small buffers across threads, where
/// it is markedly faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let settings = Settings::load()?;
    let logs = telemetry::log_sink(&settings)?;
    telemetry::init_tracing(&settings, logs.clone());

    let result = serve(settings, logs.clone()).await;
    if let Err(e) = &result {
        tracing::error!(error = %format!("{e:#}"), "the server stopped on an error");
    }
    // Every accepted event reaches the log before the process exits.
    logs.flush(Duration::from_secs(10));
    result
}

async fn serve(settings: Settings, logs: LogSink) -> anyhow::Result<()> {
    let app = Application::build(settings, logs, config::site_addr()?).await?;
    tracing::info!(address = %app.local_addr(), "serving the shop at http://{}", app.local_addr());
    app.run_until(shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}
