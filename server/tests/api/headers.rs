//! The headers every answer carries, and the pages' Content-Security-Policy with a
//! nonce of its own on each response.

use crate::helpers::*;

/// The CSP of the page at `path`, its nonce, and the nonces its scripts carry.
async fn policy_of(app: &TestApp, path: &str) -> (String, String, Vec<Option<String>>) {
    let response = app.client.get(app.url(path)).send().await.unwrap();
    let csp = response.headers()["content-security-policy"].to_str().unwrap().to_owned();
    let nonce = csp.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("a nonce").to_owned();
    let html = scraper::Html::parse_document(&response.text().await.unwrap());
    let selector = scraper::Selector::parse("script").unwrap();
    let scripts = html.select(&selector).map(|s| s.value().attr("nonce").map(str::to_owned)).collect();
    (csp, nonce, scripts)
}

#[tokio::test]
async fn every_page_has_a_policy_whose_nonce_is_on_each_of_its_scripts() {
    let app = spawn_app().await;
    for path in ["/", "/products/northern-hoops", "/cart", "/no-such-page"] {
        let (csp, nonce, scripts) = policy_of(&app, path).await;
        assert!(!scripts.is_empty(), "{path}: the hydration script");
        assert!(scripts.iter().all(|n| n.as_deref() == Some(nonce.as_str())), "{path}: {scripts:?} / {nonce}");
        assert!(!csp.contains("'unsafe-inline'") && !csp.contains("'unsafe-eval'"), "{path}: {csp}");
        for directive in [
            "default-src 'self'",
            "'wasm-unsafe-eval'",
            "style-src 'self'",
            "img-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(directive), "{path}: {directive} in {csp}");
        }
    }
    let (_, first, _) = policy_of(&app, "/").await;
    let (_, second, _) = policy_of(&app, "/").await;
    assert_ne!(first, second, "a nonce is used once");
    assert!(first.len() >= 22, "128 bits: {first}");
}

#[tokio::test]
async fn every_answer_says_nosniff_its_referrer_policy_and_no_powerful_features() {
    let app = spawn_app().await;
    let page = app.client.get(app.url("/")).send().await.unwrap();
    let event = app.post_events(&serde_json::json!({"events": [page_view()]})).await;
    let function = app.call("cart", &[]).await;
    let image = app.client.get(app.url("/favicon.svg")).send().await.unwrap();
    for response in [page, event, function, image] {
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{}", response.url());
        assert_eq!(headers["referrer-policy"], "strict-origin-when-cross-origin");
        let permissions = headers["permissions-policy"].to_str().unwrap();
        assert!(permissions.contains("camera=()") && permissions.contains("geolocation=()"), "{permissions}");
    }
}
