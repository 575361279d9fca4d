//! The request layer: a request id, the client's address and user agent, and the
//! start time on every request (as [`RequestContext`] in its extensions, and an
//! `x-request-id` response header), then one `request` log line when the response
//! head is ready.

use crate::auth::{Auth, Identified};
use crate::logs::LogSink;
use crate::logs::lines::RequestLine;
use crate::metrics::RouteSlot;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;
use jewelry_app::services::RequestContext;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;
use tracing::Instrument;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

#[derive(Clone)]
pub struct RequestLayer {
    pub logs: LogSink,
    /// Establishes who the request is from its token (cookie or bearer).
    pub auth: Option<Arc<Auth>>,
    /// Read the client's address from this header instead of the socket.
    pub trusted_proxy_header: Option<HeaderName>,
}

impl RequestLayer {
    fn source_ip(&self, headers: &HeaderMap, socket: Option<SocketAddr>) -> Option<IpAddr> {
        match &self.trusted_proxy_header {
            Some(name) => headers.get(name).and_then(|v| v.to_str().ok()).and_then(|v| address_from_header(name, v)),
            None => socket.map(|s| s.ip()),
        }
    }
}

/// The client address a trusted proxy put in `value`. For `X-Forwarded-For` that is
/// the last entry (the one the proxy itself appended); other headers hold one
/// address, with or without a port.
fn address_from_header(name: &HeaderName, value: &str) -> Option<IpAddr> {
    let entry = if name.as_str() == "x-forwarded-for" { value.rsplit(',').next()? } else { value };
    let entry = entry.trim();
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| entry.rsplit_once(':').and_then(|(ip, _port)| ip.parse().ok()))
}

pub async fn track(State(layer): State<Arc<RequestLayer>>, mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let request_id: Arc<str> = Arc::from(uuid::Uuid::new_v4().hyphenated().to_string());
    let socket = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
    let identified = match &layer.auth {
        Some(auth) => Some(auth.identify(request.headers()).await),
        None => None,
    };
    let context = RequestContext {
        request_id: request_id.clone(),
        identity: identified.as_ref().map(|i| i.identity.clone()).unwrap_or_default(),
        source_ip: layer.source_ip(request.headers(), socket),
        user_agent: request
            .headers()
            .get(axum::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| Arc::from(jewelry::truncate_chars(ua, 512))),
        method: request.method().clone(),
        path: Arc::from(request.uri().path()),
        started,
    };
    request.extensions_mut().insert(context.clone());
    let route = RouteSlot::default();
    request.extensions_mut().insert(route.clone());
    // A refused token never loses the request: it goes ahead as a guest's.
    if let (Some(auth), Some(Identified { rejected: Some(reason), .. })) = (&layer.auth, &identified) {
        auth.log_rejected(*reason, &context);
    }
    let span = tracing::info_span!("request", request_id = %request_id);
    let mut response = next.run(request).instrument(span).await;
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    if let (Some(auth), Some(Identified { clear_cookie: true, .. })) = (&layer.auth, &identified) {
        response.headers_mut().append(SET_COOKIE, auth.id_cookie(None, 0));
    }
    // What the request logged (an accepted event, an order, an admin's change) is
    // written before the answer says it happened.
    if !matches!(context.method, Method::GET | Method::HEAD | Method::OPTIONS) {
        layer.logs.written().await;
    }
    layer.logs.emit(&RequestLine::new(&context, response.status().as_u16(), context.identity.user_id()));
    crate::metrics::record_request(route.label(), response.status().as_u16(), started.elapsed().as_secs_f64());
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_client_address_a_proxy_appended() {
        let xff = HeaderName::from_static("x-forwarded-for");
        assert_eq!(address_from_header(&xff, "203.0.113.9"), "203.0.113.9".parse().ok());
        assert_eq!(address_from_header(&xff, "10.0.0.1, 198.51.100.7"), "198.51.100.7".parse().ok());
        assert_eq!(address_from_header(&xff, "garbage"), None);
        let viewer = HeaderName::from_static("cloudfront-viewer-address");
        assert_eq!(address_from_header(&viewer, "198.51.100.7:46532"), "198.51.100.7".parse().ok());
        assert_eq!(address_from_header(&viewer, "2001:db8::1:46532"), "2001:db8::1".parse().ok());
        assert_eq!(address_from_header(&viewer, "[2001:db8::1]:46532"), "2001:db8::1".parse().ok());
    }

    #[test]
    fn without_a_trusted_header_the_socket_is_the_source() {
        let layer = RequestLayer { logs: LogSink::memory().0, auth: None, trusted_proxy_header: None };
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_static("1.2.3.4"));
        let socket: SocketAddr = "127.0.0.1:5555".parse().unwrap();
        assert_eq!(layer.source_ip(&headers, Some(socket)), Some(socket.ip()), "a client cannot claim an address");
    }
}
