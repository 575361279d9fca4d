//! `/metrics`: Prometheus text, through the `metrics` facade and its Prometheus
//! recorder. Answered to loopback peers, and to anyone who carries `metrics.token`
//! as a bearer token when one is set; everyone else gets a 404, as for a path
//! that does not exist.
//!
//! What is counted: `jewelry_events_{accepted,rejected,duplicate}_total` (in the
//! ingest), `jewelry_log_lines_{shipped,rejected,truncated}_total`,
//! `jewelry_log_ship_errors_total` and the gauge `jewelry_log_spool_bytes` (the
//! shipper), and per route and status `jewelry_http_requests_total` with the
//! histogram `jewelry_http_request_duration_seconds` (the request layer), and per
//! output `jewelry_log_write_errors_total` (the log writer), and per outcome
//! `jewelry_page_cache_answers_total` (the storefront's kept pages).

use axum::extract::MatchedPath;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::headers::HeaderMapExt;
use axum_extra::headers::authorization::{Authorization, Bearer};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, LazyLock, OnceLock, RwLock};
use std::time::Duration;

/// Request latency buckets, in seconds: sub-millisecond (`/events`) to seconds.
const LATENCY_BUCKETS: &[f64] = &[0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process-wide recorder, installed on first use (one per process; the
/// in-process tests build several apps).
pub fn handle() -> PrometheusHandle {
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full("jewelry_http_request_duration_seconds".into()), LATENCY_BUCKETS)
                .expect("non-empty buckets")
                .build_recorder();
            let handle = recorder.handle();
            // Only fails if another recorder is installed, which nothing here does.
            let _ = metrics::set_global_recorder(recorder);
            let upkeep = handle.clone();
            std::thread::Builder::new()
                .name("metrics-upkeep".into())
                .spawn(move || {
                    loop {
                        std::thread::sleep(Duration::from_secs(5));
                        upkeep.run_upkeep();
                    }
                })
                .expect("the metrics upkeep thread starts");
            handle
        })
        .clone()
}

/// Who may read `/metrics`.
#[derive(Clone)]
pub struct MetricsAccess {
    pub handle: PrometheusHandle,
    /// The spool's size is read when `/metrics` is, not when it changes.
    pub logs: Option<crate::logs::LogSink>,
    /// A digest of `metrics.token`, compared in full (not byte by byte).
    pub token: Option<[u8; 32]>,
}

impl MetricsAccess {
    pub fn new(token: Option<&SecretString>, logs: crate::logs::LogSink) -> Arc<MetricsAccess> {
        let token = token.map(|t| Sha256::digest(t.expose_secret().as_bytes()).into());
        Arc::new(MetricsAccess { handle: handle(), logs: Some(logs), token })
    }

    fn allows(&self, peer: Option<SocketAddr>, headers: &HeaderMap) -> bool {
        if peer.is_some_and(|p| p.ip().is_loopback()) {
            return true;
        }
        let Some(expected) = self.token else { return false };
        let bearer = headers
            .typed_get::<Authorization<Bearer>>()
            .map(|b| <[u8; 32]>::from(Sha256::digest(b.token().trim().as_bytes())));
        bearer.is_some_and(|digest| bool::from(subtle::ConstantTimeEq::ct_eq(&digest[..], &expected[..])))
    }
}

pub async fn metrics(State(access): State<Arc<MetricsAccess>>, request: Request) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
    if !access.allows(peer, request.headers()) {
        return StatusCode::NOT_FOUND.into_response();
    }
    if let Some(bytes) = access.logs.as_ref().and_then(|l| l.spool_bytes()) {
        metrics::gauge!("jewelry_log_spool_bytes").set(bytes as f64);
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], access.handle.render()).into_response()
}

/// The route a request matched, for the request layer's labels (set by
/// [`record_route`], which runs only on matched routes).
#[derive(Clone, Default)]
pub struct RouteSlot(pub Arc<OnceLock<Arc<str>>>);

impl RouteSlot {
    /// The matched route (`/products/{id}`), or `other` for what matched none
    /// (static files, not found), so labels stay few.
    pub fn label(&self) -> Arc<str> {
        self.0.get().cloned().unwrap_or_else(|| OTHER.clone())
    }
}

pub async fn record_route(request: Request, next: Next) -> Response {
    if let (Some(slot), Some(path)) =
        (request.extensions().get::<RouteSlot>(), request.extensions().get::<MatchedPath>())
    {
        let _ = slot.0.set(interned(path.as_str()));
    }
    next.run(request).await
}

/// The routes seen, each kept once: the label of every request on it.
static ROUTES: LazyLock<RwLock<HashSet<Arc<str>>>> = LazyLock::new(Default::default);
static OTHER: LazyLock<Arc<str>> = LazyLock::new(|| Arc::from("other"));

fn interned(route: &str) -> Arc<str> {
    if let Some(known) = ROUTES.read().ok().and_then(|routes| routes.get(route).cloned()) {
        return known;
    }
    let route: Arc<str> = Arc::from(route);
    if let Ok(mut routes) = ROUTES.write() {
        routes.insert(route.clone());
    }
    route
}

/// The request counter and histogram of each route and status, registered once:
/// found by their labels, they cost two strings and two registry searches a request.
type RequestMetrics = HashMap<(Arc<str>, u16), (metrics::Counter, metrics::Histogram)>;
static REQUEST_METRICS: LazyLock<RwLock<RequestMetrics>> = LazyLock::new(Default::default);

/// Counts one answered request.
pub fn record_request(route: Arc<str>, status: u16, seconds: f64) {
    let key = (route, status);
    let known = REQUEST_METRICS.read().ok().and_then(|m| m.get(&key).cloned());
    let (counter, histogram) = known.unwrap_or_else(|| {
        let labels = [("route", key.0.to_string()), ("status", status.to_string())];
        let made = (
            metrics::counter!("jewelry_http_requests_total", &labels),
            metrics::histogram!("jewelry_http_request_duration_seconds", &labels),
        );
        if let Ok(mut all) = REQUEST_METRICS.write() {
            all.insert(key, made.clone());
        }
        made
    });
    counter.increment(1);
    histogram.record(seconds);
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn access(token: Option<&str>) -> MetricsAccess {
        let token = token.map(|t| Sha256::digest(t.as_bytes()).into());
        MetricsAccess { handle: handle(), logs: None, token }
    }

    fn bearer(token: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_str(&format!("Bearer {token}")).unwrap());
        headers
    }

    #[test]
    fn loopback_peers_may_read_and_others_only_with_the_token() {
        let loopback: SocketAddr = "127.0.0.1:40000".parse().unwrap();
        let loopback6: SocketAddr = "[::1]:40000".parse().unwrap();
        let remote: SocketAddr = "203.0.113.9:40000".parse().unwrap();
        let open = access(None);
        assert!(open.allows(Some(loopback), &HeaderMap::new()));
        assert!(open.allows(Some(loopback6), &HeaderMap::new()));
        assert!(!open.allows(Some(remote), &HeaderMap::new()), "no token set: loopback only");
        assert!(!open.allows(Some(remote), &bearer("anything")));
        assert!(!open.allows(None, &HeaderMap::new()));
        let guarded = access(Some("s3cret-metrics-token"));
        assert!(guarded.allows(Some(remote), &bearer("s3cret-metrics-token")));
        assert!(!guarded.allows(Some(remote), &bearer("s3cret-metrics-tokeN")));
        assert!(!guarded.allows(Some(remote), &HeaderMap::new()));
    }

    #[test]
    fn requests_are_counted_by_route_and_status_with_a_latency_histogram() {
        let handle = handle();
        record_request(Arc::from("/metrics-test/{id}"), 201, 0.002);
        record_request(Arc::from("/metrics-test/{id}"), 201, 0.2);
        let text = handle.render();
        assert!(text.contains("jewelry_http_requests_total{route=\"/metrics-test/{id}\",status=\"201\"} 2"), "{text}");
        assert!(
            text.contains("jewelry_http_request_duration_seconds_bucket{route=\"/metrics-test/{id}\",status=\"201\",le=\"0.0025\"} 1"),
            "{text}"
        );
        assert!(RouteSlot::default().label().as_ref() == "other", "unmatched requests share one label");
    }
}
