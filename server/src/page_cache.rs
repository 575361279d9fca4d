//! The storefront's pages (home, catalog and search, product) as rendered for a
//! shopper who is not signed in and has no cart yet, kept for the next such shopper.
//!
//! For them a page depends on its address and on the catalog alone, save for the
//! Content-Security-Policy nonce, which must be new on every response: a kept page
//! is answered with a fresh nonce put where the old one was (its header and its
//! scripts). Pages are kept per catalog generation ([`CatalogCache`]) and for as
//! long as the catalog's reads are: a change made here shows at once, one made by
//! another instance within `catalog_cache_secs`. A request with a cookie or an
//! `Authorization` header, any other page, and any answer that is not a plain
//! `200` page (an error, a redirect, one that sets a cookie) is rendered every time.

use crate::shop::CatalogCache;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{
    AUTHORIZATION, CONTENT_LENGTH, CONTENT_SECURITY_POLICY, CONTENT_TYPE, COOKIE, SET_COOKIE, TRANSFER_ENCODING,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

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

/// The nonce a page's policy names (`'nonce-...'`).
fn nonce_of(headers: &HeaderMap) -> Option<String> {
    let policy = headers.get(CONTENT_SECURITY_POLICY)?.to_str().ok()?;
    let nonce = policy.split("'nonce-").nth(1)?.split('\'').next()?;
    (nonce.len() >= 16).then(|| nonce.to_owned())
}

/// Middleware on the page routes: answers a kept page, or renders and keeps it.
pub async fn serve(State(cache): State<Arc<PageCache>>, request: Request, next: Next) -> Response {
    let Some(pages) = &cache.pages else { return next.run(request).await };
    let headers = request.headers();
    let anonymous = !headers.contains_key(COOKIE) && !headers.contains_key(AUTHORIZATION);
    if request.method() != Method::GET || !anonymous || !is_storefront(request.uri().path()) {
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
