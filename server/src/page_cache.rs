//! The storefront's pages (home, catalog and search, product) as rendered for a
//! shopper who is not signed in and has no cart yet, kept for the next such shopper.
//!
//! For them a page depends on its address and on the catalog alone, save for the
//! Content-Security-Policy nonce, which must be new on every response: a kept page
//! is answered with a fresh nonce put where the old one was (its header and its
//! scripts). Pages are kept per catalog generation ([`CatalogCache`]) and for as
//! long as the catalog's reads are: a change made here shows at once, one made by
//! another instance within `catalog_cache_secs`. A request with one of the shop's
//! own cookies that names a shopper (a sign-in or its flow: every shop cookie is
//! named `jw_…`) or an `Authorization` header, any other page, and any answer that
//! is not a plain `200` page (an error, a redirect, one that sets a cookie) is
//! rendered every time. The cart's cookie does not count: the server renders no
//! part of a storefront page from the cart (the header's cart badge is filled in by
//! the browser, see `SiteHeader`), so a shopper with a cart is sent the kept page.
//! Other cookies (a load balancer's stickiness cookie, a consent banner's, an
//! analytics script's) change nothing the server renders either.

use crate::shop::CatalogCache;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{
    AUTHORIZATION, CONTENT_LENGTH, CONTENT_SECURITY_POLICY, CONTENT_TYPE, SET_COOKIE, TRANSFER_ENCODING,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use std::sync::Arc;

/// How every cookie the shop sets is named: the cart's, the sign-in's and the
/// sign-in flow's. A page rendered for a request carrying one (but the cart's) may
/// be that shopper's own, so it is never kept nor answered from what was kept.
const SHOP_COOKIE_PREFIX: &str = "jw_";

/// The one shop cookie no storefront page is rendered from.
const CART_COOKIE: &str = jewelry_app::backend::CART_COOKIE;

/// The pages kept take this much memory at most.
const MAX_BYTES: u64 = 32 * 1024 * 1024;
/// A page longer than this is not kept (none is near it).
const MAX_PAGE_BYTES: usize = 2 * 1024 * 1024;

pub struct PageCache {
    catalog: Arc<CatalogCache>,
    /// Keyed by catalog generation and the page's path and query.
    pages: Option<moka::sync::Cache<(u64, String), Arc<KeptPage>>>,
}

struct KeptPage {
    status: StatusCode,
    headers: HeaderMap,
    html: String,
    /// The nonce the page was rendered with.
    nonce: String,
}

impl PageCache {
    /// Pages live as long as the catalog's reads; none are kept when those are not.
    pub fn new(catalog: Arc<CatalogCache>) -> Self {
        let pages = catalog.ttl().map(|ttl| {
            moka::sync::Cache::builder()
                .max_capacity(MAX_BYTES)
                .weigher(|key: &(u64, String), page: &Arc<KeptPage>| {
                    u32::try_from(key.1.len() + page.html.len()).unwrap_or(u32::MAX)
                })
                .time_to_live(ttl)
                .build()
        });
        PageCache { catalog, pages }
    }
}

/// The pages that are the same for every anonymous shopper.
fn is_storefront(path: &str) -> bool {
    path == "/" || path == "/catalog" || path.strip_prefix("/products/").is_some_and(|id| !id.is_empty())
}

/// Whether the request is one the kept pages are for: it names no shopper, by
/// neither a shop cookie (other than the cart's) nor an `Authorization` header.
fn is_anonymous(headers: &HeaderMap) -> bool {
    !headers.contains_key(AUTHORIZATION)
        && !CookieJar::from_headers(headers)
            .iter()
            .any(|c| c.name().starts_with(SHOP_COOKIE_PREFIX) && c.name() != CART_COOKIE)
}

/// The nonce a page's policy names (`'nonce-...'`).
fn nonce_of(headers: &HeaderMap) -> Option<String> {
    let policy = headers.get(CONTENT_SECURITY_POLICY)?.to_str().ok()?;
    let nonce = policy.split("'nonce-").nth(1)?.split('\'').next()?;
    (nonce.len() >= 16).then(|| nonce.to_owned())
}

/// Middleware on the page routes: answers a kept page, or renders and keeps it.
pub async fn serve(State(cache): State<Arc<PageCache>>, request: Request, next: Next) -> Response {
    let Some(pages) = &cache.pages else { return next.run(request).await };
    if request.method() != Method::GET || !is_anonymous(request.headers()) || !is_storefront(request.uri().path()) {
        return next.run(request).await;
    }
    let address = request.uri().path_and_query().map_or_else(|| request.uri().path().to_owned(), |p| p.to_string());
    let key = (cache.catalog.generation(), address);
    if let Some(page) = pages.get(&key) {
        return page.answer();
    }
    let response = next.run(request).await;
    let html = response.headers().get(CONTENT_TYPE).is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    let nonce = nonce_of(response.headers());
    let (Some(nonce), true, StatusCode::OK, false) =
        (nonce, html, response.status(), response.headers().contains_key(SET_COOKIE))
    else {
        return response;
    };
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::error!(error = %e, "rendering a page failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    parts.headers.remove(CONTENT_LENGTH);
    parts.headers.remove(TRANSFER_ENCODING);
    if let Ok(html) = std::str::from_utf8(&bytes) {
        let page = KeptPage { status: parts.status, headers: parts.headers.clone(), html: html.to_owned(), nonce };
        // Not kept if the catalog changed while it was rendered.
        if cache.catalog.generation() == key.0 {
            pages.insert(key, Arc::new(page));
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

impl KeptPage {
    /// The page with a nonce of its own, in its policy and on its scripts.
    fn answer(&self) -> Response {
        let fresh = leptos::nonce::Nonce::new().to_string();
        let mut headers = self.headers.clone();
        let policy =
            headers.get(CONTENT_SECURITY_POLICY).and_then(|v| v.to_str().ok()).map(|v| v.replace(&self.nonce, &fresh));
        if let Some(value) = policy.and_then(|p| HeaderValue::from_str(&p).ok()) {
            headers.insert(CONTENT_SECURITY_POLICY, value);
        }
        let mut response = Response::new(Body::from(self.html.replace(&self.nonce, &fresh)));
        *response.status_mut() = self.status;
        *response.headers_mut() = headers;
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::header::COOKIE;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;
    use tower::ServiceExt;

    #[test]
    fn only_the_storefronts_pages_are_kept() {
        for path in ["/", "/catalog", "/products/aurora-solitaire-ring"] {
            assert!(is_storefront(path), "{path}");
        }
        for path in
            ["/cart", "/checkout", "/account", "/admin", "/products/", "/signin", "/orders/JW-1", "/api/catalog"]
        {
            assert!(!is_storefront(path), "{path}");
        }
    }

    fn with_cookie(cookie: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, HeaderValue::from_str(cookie).unwrap());
        headers
    }

    #[test]
    fn every_cookie_the_shop_sets_has_the_shop_prefix() {
        for name in [jewelry_app::backend::CART_COOKIE, crate::auth::ID_COOKIE, crate::auth::cognito::FLOW_COOKIE] {
            assert!(name.starts_with(SHOP_COOKIE_PREFIX), "{name}");
        }
    }

    #[test]
    fn only_a_sign_in_cookie_or_a_token_names_a_shopper() {
        assert!(is_anonymous(&HeaderMap::new()));
        for foreign in ["AWSALB=abc123", "consent=yes; _ga=GA1.1.2", "jwt=x", "", "jw_cart=0b6f", "_ga=1; jw_cart=0b6f"]
        {
            assert!(is_anonymous(&with_cookie(foreign)), "{foreign:?}");
        }
        for own in ["consent=yes; jw_id=token", "AWSALB=1;jw_oauth=flow", "jw_cart=0b6f; jw_id=token", "jw_other=1"] {
            assert!(!is_anonymous(&with_cookie(own)), "{own:?}");
        }
        let mut bearer = HeaderMap::new();
        bearer.insert(AUTHORIZATION, HeaderValue::from_static("Bearer token"));
        assert!(!is_anonymous(&bearer));
    }

    /// Sends GET /catalog once per entry (with that `Cookie` header, if any) to a
    /// page behind the cache, checks each is answered, and says how often the page
    /// was rendered.
    async fn renders_for(cookies: &[Option<&str>]) -> usize {
        let renders = Arc::new(AtomicUsize::new(0));
        let cache = Arc::new(PageCache::new(Arc::new(CatalogCache::new(Duration::from_secs(60)))));
        let page = {
            let renders = renders.clone();
            move || {
                renders.fetch_add(1, Ordering::SeqCst);
                let nonce = "exnP7BblPNCWnDBhT6_FbA";
                std::future::ready((
                    [
                        (CONTENT_TYPE, "text/html; charset=utf-8".to_owned()),
                        (CONTENT_SECURITY_POLICY, format!("script-src 'nonce-{nonce}'")),
                    ],
                    format!("<script nonce=\"{nonce}\"></script>"),
                ))
            }
        };
        let app = axum::Router::new()
            .route("/catalog", axum::routing::get(page))
            .layer(axum::middleware::from_fn_with_state(cache, serve));
        for cookie in cookies {
            let mut request = Request::get("/catalog");
            if let Some(cookie) = cookie {
                request = request.header(COOKIE, *cookie);
            }
            let response = app.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{cookie:?}");
        }
        renders.load(Ordering::SeqCst)
    }

    #[tokio::test]
    async fn a_request_with_only_other_sites_cookies_is_sent_the_kept_page() {
        let renders = renders_for(&[None, Some("AWSALB=abc123; consent=yes"), Some("_ga=GA1.1.2")]).await;
        assert_eq!(renders, 1, "rendered once, then kept");
    }

    #[tokio::test]
    async fn a_request_with_a_sign_in_cookie_is_rendered_every_time() {
        assert_eq!(
            renders_for(&[None, Some("AWSALB=abc123; jw_id=token"), Some("jw_cart=0b6f; jw_oauth=flow")]).await,
            3
        );
    }

    #[tokio::test]
    async fn a_shopper_with_a_cart_is_sent_the_kept_page() {
        let renders = renders_for(&[None, Some("jw_cart=0b6f"), Some("AWSALB=abc123; jw_cart=77aa")]).await;
        assert_eq!(renders, 1, "rendered once, then kept");
    }

    #[test]
    fn the_nonce_is_read_from_the_policy() {
        let mut headers = HeaderMap::new();
        headers.insert(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; script-src 'self' 'nonce-exnP7BblPNCWnDBhT6_FbA' 'wasm-unsafe-eval'",
            ),
        );
        assert_eq!(nonce_of(&headers).as_deref(), Some("exnP7BblPNCWnDBhT6_FbA"));
        headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'self'"));
        assert_eq!(nonce_of(&headers), None);
    }
}
