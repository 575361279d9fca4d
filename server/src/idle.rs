//! Connections that go quiet are closed: one that has had no request in flight
//! for the idle timeout (`idle_timeout_secs`) is asked to close (HTTP/2's
//! `GOAWAY`, or the end of an HTTP/1.1 keep-alive), then closed outright if it has
//! not within [`CLOSE_GRACE`]. hyper has an HTTP/1.1 header timeout but nothing
//! for an HTTP/2 connection that made its requests and then sends nothing: each
//! such client held a connection and a file descriptor for as long as it liked.
//!
//! Requests are counted, not bytes: with keep-alive pings on, an idle HTTP/2
//! client still answers pings, so a socket-level timer would never fire. The
//! count lives in the connection's service ([`Idle`]), which an acceptor
//! ([`IdleAcceptor`]) puts around the app's for each connection; the close goes
//! through axum-server's per-connection [`ConnectionShutdown`].

use axum::http::Request;
use axum_server::ConnectionShutdown;
use axum_server::accept::Accept;
use std::future::{Future, Ready};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Once};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::Instant;
use tower::Service;

/// After asking an idle connection to close, it is closed outright this much later
/// (an HTTP/2 peer that never answers the `GOAWAY`'s ping would keep it half open).
pub const CLOSE_GRACE: Duration = Duration::from_secs(5);

/// Wraps each connection's service in [`Idle`]; the stream goes through as it is,
/// so it can be the inner acceptor of TLS's.
#[derive(Clone, Copy, Debug)]
pub struct IdleAcceptor {
    pub idle: Duration,
}

impl<I, S> Accept<I, S> for IdleAcceptor {
    type Stream = I;
    type Service = Idle<S>;
    type Future = Ready<std::io::Result<(I, Idle<S>)>>;

    fn accept(&self, stream: I, service: S) -> Self::Future {
        std::future::ready(Ok((stream, Idle { inner: service, connection: Arc::new(Connection::new(self.idle)) })))
    }
}

/// One connection's service: counts its requests in flight.
#[derive(Clone)]
pub struct Idle<S> {
    inner: S,
    connection: Arc<Connection>,
}

struct Connection {
    idle: Duration,
    in_flight: AtomicUsize,
    /// When the last request in flight ended (or the connection began).
    last: Mutex<Instant>,
    watching: Once,
}

impl Connection {
    fn new(idle: Duration) -> Connection {
        Connection { idle, in_flight: AtomicUsize::new(0), last: Mutex::new(Instant::now()), watching: Once::new() }
    }

    /// Starts the connection's watch, once: it ends when the connection is gone
    /// (the service that holds it dropped) or once it has closed it.
    fn watch(self: &Arc<Self>, shutdown: &ConnectionShutdown) {
        self.watching.call_once(|| {
            let connection = Arc::downgrade(self);
            let shutdown = shutdown.clone();
            tokio::spawn(async move {
                loop {
                    let Some(conn) = connection.upgrade() else { return };
                    let quiet_until = *conn.last.lock().unwrap_or_else(|p| p.into_inner()) + conn.idle;
                    let busy = conn.in_flight.load(Ordering::Acquire) > 0;
                    let idle = conn.idle;
                    drop(conn);
                    let now = Instant::now();
                    if !busy && now >= quiet_until {
                        shutdown.graceful_shutdown();
                        tokio::time::sleep(CLOSE_GRACE).await;
                        shutdown.shutdown();
                        return;
                    }
                    let wake = if busy { now + idle } else { quiet_until };
                    tokio::time::sleep_until(wake).await;
                }
            });
        });
    }
}

/// A request in flight, counted until its response is made (or it is dropped).
struct InFlight(Arc<Connection>);

impl InFlight {
    fn new(connection: Arc<Connection>) -> InFlight {
        connection.in_flight.fetch_add(1, Ordering::AcqRel);
        InFlight(connection)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        *self.0.last.lock().unwrap_or_else(|p| p.into_inner()) = Instant::now();
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

impl<S, B> Service<Request<B>> for Idle<S>
where
    S: Service<Request<B>>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        // axum-server puts the connection's shutdown in every request.
        if let Some(shutdown) = request.extensions().get::<ConnectionShutdown>() {
            self.connection.watch(shutdown);
        }
        let counted = InFlight::new(self.connection.clone());
        let response = self.inner.call(request);
        Box::pin(async move {
            let _counted = counted;
            response.await
        })
    }
}
