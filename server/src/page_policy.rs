//! Every page is answered with the Content-Security-Policy that names the nonce
//! its scripts carry. The app sets it while it renders (`set_page_policy`, called
//! by `shell`). Twice in full end-to-end runs a page came back without it, one
//! request among thousands with nothing else different (leptos_axum 0.8.10; the
//! header is set before the first chunk is read, and nothing here removes it, so
//! the cause is not found). The fallback policy for HTML (`request::HTML_POLICY`,
//! no scripts) then refused the page's scripts: a page that never came to life.
//!
//! This layer, innermost on the page routes, mends such an answer from the nonce
//! in the page's own scripts, and says so each time: an `app` WARN line and
//! `jewelry_page_policy_mended_total`. An answer that has its policy (every other
//! one) passes untouched and unread.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::http::header::{CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use jewelry_app::policy::PagePolicy;

/// A page is far smaller than this (the page cache keeps none over 2 MiB).
const MAX_PAGE_BYTES: usize = 8 * 1024 * 1024;

pub async fn mend(State(policy): State<PagePolicy>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let html = response.headers().get(CONTENT_TYPE).is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    if !html || response.headers().contains_key(CONTENT_SECURITY_POLICY) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_PAGE_BYTES).await else {
        return axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Some(value) = nonce_in(&bytes).and_then(|nonce| HeaderValue::from_str(&policy.header_value(nonce)).ok()) {
        parts.headers.insert(CONTENT_SECURITY_POLICY, value);
        metrics::counter!("jewelry_page_policy_mended_total").increment(1);
        tracing::warn!(path, "a page was answered without its Content-Security-Policy; set from its scripts' nonce");
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The nonce on the page's first script (`nonce="..."`): the characters a leptos
/// nonce is made of (URL-safe base64), at least 16 of them.
fn nonce_in(html: &[u8]) -> Option<&str> {
    const MARK: &[u8] = b"nonce=\"";
    let at = html.windows(MARK.len()).position(|w| w == MARK)? + MARK.len();
    let rest = &html[at..];
    let end = rest.iter().position(|b| *b == b'"')?;
    let nonce = std::str::from_utf8(&rest[..end]).ok()?;
    let valid = nonce.len() >= 16 && nonce.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'));
    valid.then_some(nonce)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::routing::get;
    use tower::ServiceExt;

    #[test]
    fn the_nonce_is_the_first_scripts_and_only_a_nonces_characters() {
        let page = br#"<html><head><script nonce="AbC-_0123456789xyz">x</script><script nonce="other">"#;
        assert_eq!(nonce_in(page), Some("AbC-_0123456789xyz"));
        assert_eq!(nonce_in(br#"<script nonce="short">"#), None);
        assert_eq!(nonce_in(br#"<script nonce="has'quote0123456789">"#), None);
        assert_eq!(nonce_in(b"<p>no script</p>"), None);
    }

    async fn answer(headers: &'static [(&'static str, &'static str)], body: &'static str) -> Response {
        let app = Router::new()
            .route(
                "/",
                get(move || async move {
                    let mut response = Response::new(Body::from(body));
                    for (name, value) in headers {
                        response.headers_mut().insert(*name, HeaderValue::from_static(value));
                    }
                    response
                }),
            )
            .route_layer(axum::middleware::from_fn_with_state(PagePolicy::default(), mend));
        let request = Request::builder().uri("/").body(Body::empty()).unwrap();
        app.oneshot(request).await.unwrap()
    }

    #[tokio::test]
    async fn a_page_without_its_policy_gets_the_one_naming_its_scripts_nonce() {
        let page = r#"<!DOCTYPE html><script nonce="N0nceN0nceN0nce16">x</script>"#;
        let response = answer(&[("content-type", "text/html; charset=utf-8")], page).await;
        let policy = response.headers()[CONTENT_SECURITY_POLICY].to_str().unwrap().to_owned();
        assert_eq!(policy, PagePolicy::default().header_value("N0nceN0nceN0nce16"));
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        assert_eq!(body, page.as_bytes(), "the page itself untouched");
    }

    #[tokio::test]
    async fn a_page_with_its_policy_and_other_answers_pass_untouched() {
        const KEPT: &str = "script-src 'nonce-AAAAAAAAAAAAAAAAAAAA'";
        let with = answer(&[("content-type", "text/html"), ("content-security-policy", KEPT)], "<p>").await;
        assert_eq!(with.headers()[CONTENT_SECURITY_POLICY], KEPT);
        let json = answer(&[("content-type", "application/json")], r#"{"nonce=\"": 1}"#).await;
        assert!(!json.headers().contains_key(CONTENT_SECURITY_POLICY));
        let scriptless = answer(&[("content-type", "text/html")], "<p>no scripts</p>").await;
        assert!(!scriptless.headers().contains_key(CONTENT_SECURITY_POLICY), "left to the fallback policy");
    }
}
