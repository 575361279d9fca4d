//! Serves the jewelry shop. Configuration: see the README's table.

use jewelry_server::config::{Loaded, Settings};
use jewelry_server::logs::LogSink;
use jewelry_server::startup::Application;
use jewelry_server::telemetry;
use std::process::ExitCode;
use std::time::Duration;

/// mimalloc: requests allocate and free many small buffers across threads, where
/// it is markedly faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Reading the settings (and the secrets they name) gives up after this long.
const LOAD_WITHIN: Duration = Duration::from_secs(25);
/// On SIGTERM, the shipper gets this long to send what waits in the spool.
const SHIP_AT_EXIT_WITHIN: Duration = Duration::from_secs(10);

#[tokio::main]
async fn main() -> ExitCode {
    // `jewelry-server export …`: the log's lines of a range of days, then exit.
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|a| a == "export") {
        return jewelry_server::export::main(&args[1..]).await;
    }
    // `jewelry-server insights rebuild …`: the counters counted again from the log.
    if args.first().is_some_and(|a| a == "insights") {
        return jewelry_server::rebuild::main(&args[1..]).await;
    }
    // The metrics recorder first: counts made before it is installed are lost.
    jewelry_server::metrics::handle();
    let loaded = match tokio::time::timeout(LOAD_WITHIN, Settings::load()).await {
        Ok(Ok(loaded)) => loaded,
        Ok(Err(e)) => return failed_to_start(&e),
        Err(_) => {
            let e = anyhow::anyhow!("reading the settings and secrets took longer than {} s", LOAD_WITHIN.as_secs());
            return failed_to_start(&e);
        }
    };
    let (logs, shipper) = match telemetry::log_sink(&loaded.settings).await {
        Ok(sink) => sink,
        Err(e) => return failed_to_start(&e),
    };
    telemetry::init_tracing(&loaded.settings, logs.clone());
    let drain = shipper.map(|shipper| shipper.spawn());

    let result = serve(loaded, logs.clone()).await;
    if let Err(e) = &result {
        tracing::error!(error = %format!("{e:#}"), "the server stopped on an error");
    }
    // Every accepted event reaches the log (and the spool) before the process exits.
    logs.flush(Duration::from_secs(10));
    if let Some(drain) = drain {
        // What cannot be shipped now stays in the spool for the next start.
        let caught_up = drain.finish(SHIP_AT_EXIT_WITHIN).await;
        let pending = logs.spool_bytes().unwrap_or(0);
        if caught_up {
            tracing::info!("every log line is in CloudWatch Logs");
        } else {
            tracing::warn!(
                spool_bytes = pending,
                "CloudWatch Logs did not take every line in time; the rest stays in the spool for the next start"
            );
        }
        logs.flush(Duration::from_secs(2));
    }
    if result.is_ok() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

fn failed_to_start(e: &anyhow::Error) -> ExitCode {
    telemetry::startup_failure(e);
    ExitCode::FAILURE
}

async fn serve(loaded: Loaded, logs: LogSink) -> anyhow::Result<()> {
    let app = Application::build_loaded(loaded, logs).await?;
    tracing::info!(address = %app.local_addr(), "serving the shop at {}", app.url());
    if let Some(redirect) = app.redirect_addr() {
        tracing::info!(address = %redirect, "redirecting plain HTTP at {redirect} to HTTPS");
    }
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
