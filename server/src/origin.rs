//! Where a browser request comes from, judged from `Origin` and `Sec-Fetch-Site`
//! (which pages cannot set): the clickstream's cross-origin senders
//! ([`EventOrigins`]: CORS for `/events`, and the server's own check, since a
//! `text/plain` beacon needs no preflight), and the refusal of cross-site requests
//! that change state everywhere else ([`refuse_cross_site`]).
//!
//! A request with neither header comes from no browser page (curl, a server, an
//! old browser's same-origin form) and is let through: cookies are `SameSite=Lax`,
//! so such a request from another site carries no session anyway.

use axum::extract::Request;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, HOST, ORIGIN};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use std::time::Duration;
use tower_http::cors::{AllowOrigin, CorsLayer};

const SEC_FETCH_SITE: HeaderName = HeaderName::from_static("sec-fetch-site");

/// How long a browser may keep the answer to a preflight.
const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(600);

/// The request's page is on this shop's own origin: the browser says so
/// (`Sec-Fetch-Site: same-origin`), or `Origin` names the host the request was
/// sent to. `None` when it came from no page at all.
fn same_origin(headers: &HeaderMap) -> Option<bool> {
    if let Some(site) = headers.get(SEC_FETCH_SITE) {
        // `none`: the user's own doing (typed, bookmarked), not another page's.
        return Some(matches!(site.as_bytes(), b"same-origin" | b"none"));
    }
    let origin = headers.get(ORIGIN)?.to_str().ok()?;
    let host = headers.get(HOST).and_then(|h| h.to_str().ok());
    let authority = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"));
    Some(matches!((authority, host), (Some(a), Some(h)) if a.eq_ignore_ascii_case(h)))
}

/// The origins whose pages may send events, besides the shop's own.
#[derive(Clone, Debug, Default)]
pub struct EventOrigins {
    allowed: Vec<String>,
}

impl EventOrigins {
    /// `allowed` as the settings checked them: `scheme://host[:port]`.
    pub fn new(allowed: Vec<String>) -> Self {
        EventOrigins { allowed }
    }

    /// Some origin besides the shop's own may send events.
    pub fn any_allowed(&self) -> bool {
        !self.allowed.is_empty()
    }

    pub fn accepts(&self, headers: &HeaderMap) -> bool {
        match same_origin(headers) {
            None | Some(true) => true,
            Some(false) => headers
                .get(ORIGIN)
                .and_then(|o| o.to_str().ok())
                .is_some_and(|origin| self.allowed.iter().any(|a| a.eq_ignore_ascii_case(origin))),
        }
    }

    /// CORS for `/events`: the allowed origins may `POST` JSON (with a bearer
    /// token) and read the answer; preflights are answered here. Others get no
    /// CORS headers, and the server refuses their events as well.
    pub fn cors(&self) -> CorsLayer {
        let origins: Vec<HeaderValue> = self.allowed.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins))
            .allow_methods([Method::POST])
            .allow_headers([CONTENT_TYPE, AUTHORIZATION])
            .max_age(PREFLIGHT_MAX_AGE)
    }
}

/// Refuses a request that would change something (any method but GET, HEAD and
/// OPTIONS) when a page on another site sent it: 403 `cross_site_request`.
pub async fn refuse_cross_site(request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe || same_origin(request.headers()) != Some(false) {
        return next.run(request).await;
    }
    crate::refusal::refusal(
        StatusCode::FORBIDDEN,
        "cross_site_request",
        "this shop takes changes only from its own pages",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(*name, HeaderValue::from_static(value));
        }
        headers
    }

    #[test]
    fn the_shops_own_pages_are_told_from_other_sites() {
        let host = ("host", "shop.example:3443");
        assert_eq!(same_origin(&headers(&[host])), None, "no page: curl, a server");
        assert_eq!(same_origin(&headers(&[host, ("origin", "https://shop.example:3443")])), Some(true));
        assert_eq!(same_origin(&headers(&[host, ("origin", "https://evil.example")])), Some(false));
        assert_eq!(same_origin(&headers(&[host, ("origin", "null")])), Some(false), "a sandboxed page");
        let fetched = [host, ("origin", "https://shop.example:3443"), ("sec-fetch-site", "cross-site")];
        assert_eq!(same_origin(&headers(&fetched)), Some(false), "the browser's word wins");
        let sibling = [host, ("sec-fetch-site", "same-site")];
        assert_eq!(same_origin(&headers(&sibling)), Some(false), "a sibling subdomain is another site's page");
        assert_eq!(same_origin(&headers(&[host, ("sec-fetch-site", "same-origin")])), Some(true));
    }

    #[test]
    fn events_come_from_the_shop_the_allowed_origins_or_no_page() {
        let origins = EventOrigins::new(vec!["https://journal.example".into()]);
        let host = ("host", "shop.example");
        assert!(origins.accepts(&headers(&[host])));
        assert!(origins.accepts(&headers(&[host, ("origin", "https://shop.example")])));
        assert!(origins.accepts(&headers(&[
            host,
            ("origin", "https://journal.example"),
            ("sec-fetch-site", "cross-site")
        ])));
        assert!(!origins.accepts(&headers(&[
            host,
            ("origin", "https://evil.example"),
            ("sec-fetch-site", "cross-site")
        ])));
        assert!(!origins.accepts(&headers(&[host, ("origin", "http://journal.example")])), "the scheme counts");
    }
}
