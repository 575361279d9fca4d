//! The listeners: binding, the limits every connection has, and the plain-HTTP
//! listener that redirects to HTTPS. What TLS serves is [`crate::tls`]'s.

use crate::idle::IdleAcceptor;
use crate::tls::Tls;
use anyhow::Context;
use axum::Router;
use axum::response::{IntoResponse, Response};
use axum_server::tls_rustls::RustlsAcceptor;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpListener;

/// A request's headers must arrive within this long of its connection or of the
/// request before it; a client that trickles them is cut off.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// A new connection's TLS handshake must finish within this long.
pub const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// An HTTP/2 connection is pinged this often, so a peer that vanished is noticed.
pub const H2_PING_EVERY: Duration = Duration::from_secs(20);
/// A ping not answered within this long closes the connection.
pub const H2_PING_TIMEOUT: Duration = Duration::from_secs(20);

pub(crate) async fn bind(addr: SocketAddr) -> anyhow::Result<std::net::TcpListener> {
    let listener = TcpListener::bind(addr).await.with_context(|| format!("binding {addr}"))?;
    Ok(listener.into_std()?)
}

/// The connection limits every listener has: headers within
/// [`HEADER_READ_TIMEOUT`], the first request too; HTTP/2 peers pinged every
/// [`H2_PING_EVERY`] and dropped when a ping is not answered within
/// [`H2_PING_TIMEOUT`]. (A connection with no request in flight for the idle
/// timeout is closed by [`IdleAcceptor`].)
fn hardened<A: axum_server::Address>(mut server: axum_server::Server<A>) -> axum_server::Server<A> {
    server.http_builder().http1().header_read_timeout(HEADER_READ_TIMEOUT);
    server.http_builder().http2().keep_alive_interval(H2_PING_EVERY).keep_alive_timeout(H2_PING_TIMEOUT);
    server.first_request_timeout(HEADER_READ_TIMEOUT)
}

/// The same host and path over HTTPS, on the port TLS is served on.
fn to_https(request: &axum::extract::Request, https_port: u16) -> Response {
    let host = request
        .headers()
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.parse::<axum::http::uri::Authority>().ok())
        .map(|a| a.host().to_owned())
        .unwrap_or_else(|| "localhost".to_owned());
    let port = if https_port == 443 { String::new() } else { format!(":{https_port}") };
    let path = request.uri().path_and_query().map_or("/", |p| p.as_str());
    axum::response::Redirect::permanent(&format!("https://{host}{port}{path}")).into_response()
}

/// Serves plain HTTP on `listener`, every request redirected to HTTPS on
/// `https_port`, in a task of its own.
pub(crate) fn spawn_redirects(
    listener: std::net::TcpListener,
    https_port: u16,
    handle: axum_server::Handle<SocketAddr>,
    idle: IdleAcceptor,
) -> std::io::Result<()> {
    let redirects =
        Router::new().fallback(move |request: axum::extract::Request| async move { to_https(&request, https_port) });
    let server = hardened(axum_server::from_tcp(listener)?.handle(handle)).acceptor(idle);
    tokio::spawn(async move {
        if let Err(e) = server.serve(redirects.into_make_service()).await {
            tracing::error!(error = %e, "the HTTP-to-HTTPS redirect stopped");
        }
    });
    Ok(())
}

/// Serves `router` on `listener` (over TLS when there is `tls`, whose certificate
/// is reloaded when its files change) until `handle` shuts it down.
pub(crate) async fn serve(
    listener: std::net::TcpListener,
    tls: Option<Tls>,
    router: Router,
    handle: axum_server::Handle<SocketAddr>,
    idle: IdleAcceptor,
) -> std::io::Result<()> {
    let service = router.into_make_service_with_connect_info::<SocketAddr>();
    let server = hardened(axum_server::from_tcp(listener)?.handle(handle));
    match tls {
        Some(tls) => {
            let acceptor =
                RustlsAcceptor::new(tls.config.clone()).handshake_timeout(TLS_HANDSHAKE_TIMEOUT).acceptor(idle);
            tokio::spawn(tls.reload_on_change());
            server.acceptor(acceptor).serve(service).await
        }
        None => server.acceptor(idle).serve(service).await,
    }
}
