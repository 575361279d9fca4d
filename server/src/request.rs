//! The request layer: a request id, the client's address and user agent, and the
//! start time on every request (as [`RequestContext`] in its extensions, and an
//! `x-request-id` response header), then one `request` log line when the response
//! head is ready.

use crate::auth::{Auth, Identified};
use crate::logs::LogSink;
use crate::logs::lines::RequestLine;
use crate::metrics::RouteSlot;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{
    CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY, SET_COOKIE, STRICT_TRANSPORT_SECURITY,
    X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;
use jewelry_app::request::RequestContext;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;
use tracing::Instrument;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// On every answer: no type sniffing, the path of this site's pages kept to itself,
/// and no camera, microphone, location, payment or USB for any page.
const SECURITY_HEADERS: [(HeaderName, HeaderValue); 3] = [
    (X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
    (REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin")),
    (
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
    ),
];

/// The policy of an HTML answer that did not set its own (the pages set theirs,
/// with a nonce): a page made of this site's stylesheet, images and forms, with
/// no script, and framed by nobody.
const HTML_POLICY: HeaderValue = HeaderValue::from_static(
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
);

/// `Strict-Transport-Security` on every answer given over HTTPS: a year.
const HSTS: HeaderValue = HeaderValue::from_static("max-age=31536000");
const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");
const X_FORWARDED_PROTO: HeaderName = HeaderName::from_static("x-forwarded-proto");

/// In a response's extensions: the handler already waited until every line it
/// logged was written (or answered that they could not be).
#[derive(Clone, Copy)]
pub struct LinesWritten;

#[derive(Clone)]
pub struct RequestLayer {
    pub logs: LogSink,
    /// Establishes who the request is from its token (cookie or bearer).
    pub auth: Option<Arc<Auth>>,
    /// Peers believed about the client's address and scheme (`X-Forwarded-*`).
    pub trusted_proxies: Vec<IpNet>,
    /// This server speaks TLS itself.
    pub tls: bool,
}

/// Where a request came from, as far as it can be believed.
#[derive(Debug, PartialEq, Eq)]
pub struct Client {
    pub ip: Option<IpAddr>,
    /// The browser spoke HTTPS: to this server, or to a trusted proxy that says so.
    pub https: bool,
}

impl RequestLayer {
    fn trusted(&self, ip: IpAddr) -> bool {
        self.trusted_proxies.iter().any(|net| net.contains(&ip))
    }

    /// The socket's peer, unless the peer is a trusted proxy: then the last
    /// address in `X-Forwarded-For` that is not itself a trusted proxy (each proxy
    /// appends the address it was reached from, so what is left of that a client
    /// may have written), and the scheme in `X-Forwarded-Proto`. From anyone else
    /// those headers are ignored.
    pub fn client(&self, headers: &HeaderMap, socket: Option<SocketAddr>) -> Client {
        let peer = socket.map(|s| s.ip());
        let Some(proxy) = peer.filter(|ip| self.trusted(*ip)) else {
            return Client { ip: peer, https: self.tls };
        };
        let forwarded: Vec<&str> = headers
            .get_all(X_FORWARDED_FOR)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        let mut client = proxy;
        for entry in forwarded.iter().rev() {
            let Ok(ip) = entry.parse::<IpAddr>() else { break };
            client = ip;
            if !self.trusted(ip) {
                break;
            }
        }
        let proto = headers.get(X_FORWARDED_PROTO).and_then(|v| v.to_str().ok());
        let https = match proto.and_then(|p| p.split(',').next()).map(str::trim) {
            Some(scheme) => scheme.eq_ignore_ascii_case("https"),
            None => self.tls,
        };
        Client { ip: Some(client), https }
    }
}

pub async fn track(State(layer): State<Arc<RequestLayer>>, mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let request_id: Arc<str> = Arc::from(uuid::Uuid::new_v4().hyphenated().to_string());
    let socket = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
    let client = layer.client(request.headers(), socket);
    let identified = match &layer.auth {
        Some(auth) => Some(auth.identify(request.headers()).await),
        None => None,
    };
    let context = RequestContext {
        request_id: request_id.clone(),
        identity: identified.as_ref().map(|i| i.identity.clone()).unwrap_or_default(),
        source_ip: client.ip,
        user_agent: request
            .headers()
            .get(axum::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| Arc::from(jewelry::truncate_chars(ua, 512))),
        method: request.method().clone(),
        path: Arc::from(request.uri().path()),
        started,
        // The language layer, inside this one, sets the request's.
        locale: jewelry::Locale::default(),
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
    if client.https {
        response.headers_mut().insert(STRICT_TRANSPORT_SECURITY, HSTS);
    }
    for (name, value) in SECURITY_HEADERS {
        response.headers_mut().entry(name).or_insert(value);
    }
    let html = response.headers().get(CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if html {
        response.headers_mut().entry(CONTENT_SECURITY_POLICY).or_insert(HTML_POLICY);
    }
    if let (Some(auth), Some(Identified { clear_cookie: true, .. })) = (&layer.auth, &identified) {
        response.headers_mut().append(SET_COOKIE, auth.id_cookie(None, 0));
    }
    // What the request logged (an accepted event, an order, an admin's change) is
    // written before the answer says it happened. A handler that waited itself
    // (`/events`, which answers 503 when the log cannot take its lines) says so.
    // Elsewhere the change is already in the database, the record of it: a line
    // that could not be written is reported (stderr, metrics, `/health`) and the
    // answer stands.
    let waited = response.extensions_mut().remove::<LinesWritten>().is_some();
    if !waited && !matches!(context.method, Method::GET | Method::HEAD | Method::OPTIONS) {
        let _ = layer.logs.written().await;
    }
    let page_served = response.extensions_mut().remove::<crate::consent::PageServed>().is_some();
    layer.logs.emit(&RequestLine::new(&context, response.status().as_u16(), context.identity.user_id(), page_served));
    crate::metrics::record_request(route.label(), response.status().as_u16(), started.elapsed().as_secs_f64());
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(trusted: &[&str]) -> RequestLayer {
        RequestLayer {
            logs: LogSink::memory().0,
            auth: None,
            trusted_proxies: trusted.iter().map(|n| n.parse().unwrap()).collect(),
            tls: false,
        }
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(*name, HeaderValue::from_static(value));
        }
        headers
    }

    fn from(ip: &str) -> Option<SocketAddr> {
        Some(SocketAddr::new(ip.parse().unwrap(), 40000))
    }

    fn ip(ip: &str) -> Option<IpAddr> {
        ip.parse().ok()
    }

    #[test]
    fn from_an_untrusted_peer_the_forwarded_headers_are_ignored() {
        let spoofed = headers(&[("x-forwarded-for", "1.2.3.4"), ("x-forwarded-proto", "https")]);
        let client = layer(&["10.0.0.0/8"]).client(&spoofed, from("203.0.113.9"));
        assert_eq!(client, Client { ip: ip("203.0.113.9"), https: false });
        assert_eq!(layer(&[]).client(&spoofed, from("127.0.0.1")).ip, ip("127.0.0.1"));
    }

    #[test]
    fn from_a_trusted_proxy_the_client_is_the_last_untrusted_forwarded_address() {
        let layer = layer(&["10.0.0.0/8", "192.0.2.7/32"]);
        // The client wrote the first entry itself; the CDN (192.0.2.7) appended the
        // address it saw; the load balancer (10.1.2.3) is the peer.
        let chain = headers(&[("x-forwarded-for", "6.6.6.6, 198.51.100.7, 192.0.2.7"), ("x-forwarded-proto", "https")]);
        assert_eq!(layer.client(&chain, from("10.1.2.3")), Client { ip: ip("198.51.100.7"), https: true });
        let two = headers(&[("x-forwarded-for", "6.6.6.6"), ("x-forwarded-for", "198.51.100.7")]);
        assert_eq!(layer.client(&two, from("10.1.2.3")).ip, ip("198.51.100.7"), "every header, in order");
        let none = headers(&[]);
        assert_eq!(layer.client(&none, from("10.1.2.3")), Client { ip: ip("10.1.2.3"), https: false });
        let garbage = headers(&[("x-forwarded-for", "garbage"), ("x-forwarded-proto", "http")]);
        assert_eq!(layer.client(&garbage, from("10.1.2.3")).ip, ip("10.1.2.3"));
    }
}
