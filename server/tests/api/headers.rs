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

/// Every HTML answer, whoever made it (a page, the 404 page, the sign-in form, the
/// sign-in limit's 429 page), carries a policy that keeps it out of frames and
/// allows no script but its own nonce's, with the headers every answer has.
#[tokio::test]
async fn every_html_answer_carries_a_policy_that_forbids_framing() {
    let app = spawn_app().await;
    let mut answers = Vec::new();
    for path in ["/", "/catalog?q=ring", "/products/northern-hoops", "/no-such-page", "/signin", "/cart"] {
        answers.push(app.client.get(app.url(path)).send().await.unwrap());
    }
    for _ in 0..jewelry_server::auth::limits::ACCOUNT_BURST {
        app.sign_in(("shopper", "not-the-password"), "/").await;
    }
    let limited = app.sign_in(("shopper", "not-the-password"), "/").await;
    assert_eq!(limited.status(), 429);
    answers.push(limited);
    for response in answers {
        let headers = response.headers();
        let what = format!("{} {}", response.status(), response.url());
        assert!(headers["content-type"].to_str().unwrap().starts_with("text/html"), "{what}");
        let csp = headers.get("content-security-policy").map(|v| v.to_str().unwrap().to_owned());
        let csp = csp.unwrap_or_else(|| panic!("{what}: no Content-Security-Policy"));
        assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
        assert!(!csp.contains("'unsafe-inline'") && !csp.contains("'unsafe-eval'"), "{what}: {csp}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{what}");
        assert_eq!(headers["referrer-policy"], "strict-origin-when-cross-origin", "{what}");
        assert!(headers.contains_key("permissions-policy"), "{what}");
    }
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

/// A response's `Content-Encoding` (if any), `Cache-Control` and first bytes.
async fn fetched(app: &TestApp, path: &str, accept: &str) -> (Option<String>, Option<String>, Vec<u8>) {
    let response = app.client.get(app.url(path)).header("Accept-Encoding", accept).send().await.unwrap();
    assert!(response.status().is_success(), "{path}: {}", response.status());
    let header = |name: &str| response.headers().get(name).map(|v| v.to_str().unwrap().to_owned());
    let (encoding, cache) = (header("content-encoding"), header("cache-control"));
    (encoding, cache, response.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn pages_and_function_answers_are_compressed_for_browsers_that_accept_it_and_events_are_not() {
    let app = spawn_app().await;
    let (encoding, cache, body) = fetched(&app, "/catalog", "br, gzip").await;
    assert_eq!(encoding.as_deref(), Some("br"), "brotli first");
    assert!(!body.starts_with(b"<!DOCTYPE"), "the body is compressed");
    assert_eq!(cache.as_deref(), Some("private, no-cache"), "a page is per shopper");
    let (encoding, _, body) = fetched(&app, "/catalog", "gzip").await;
    assert_eq!(encoding.as_deref(), Some("gzip"));
    assert_eq!(&body[..2], &[0x1f, 0x8b], "gzip's magic number");
    let (encoding, _, body) = fetched(&app, "/catalog", "identity").await;
    assert_eq!(encoding, None);
    assert!(body.starts_with(b"<!DOCTYPE"));
    // A server function's JSON answer too (the home page's, a few KiB).
    let home =
        app.client.post(app.url("/api/home")).header("Accept-Encoding", "gzip").header("Accept", "application/json");
    let home = home.send().await.unwrap();
    assert_eq!(home.status(), 200);
    assert_eq!(home.headers()["content-encoding"], "gzip");
    let event =
        app.client.post(app.url("/events")).header("Accept-Encoding", "br, gzip").json(&page_view()).send().await;
    let event = event.unwrap();
    assert_eq!(event.status(), 200);
    assert!(event.headers().get("content-encoding").is_none(), "/events answers as it is");
}

#[tokio::test]
async fn the_built_sites_files_are_sent_precompressed_and_kept_by_browsers_for_as_long_as_their_names_allow() {
    let site = tempfile::tempdir().unwrap();
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::create_dir_all(site.path().join("images")).unwrap();
    let script = "export function hydrate() {}\n".repeat(100);
    std::fs::write(pkg.join("jewelry.js"), &script).unwrap();
    std::fs::write(pkg.join("jewelry.js.br"), b"brotli bytes made at build time").unwrap();
    // cargo-leptos's `hash-files` name: 22 characters of the content's hash.
    std::fs::write(pkg.join("jewelry.QiKT-zfGYAEZSvpuziBQrw.js"), &script).unwrap();
    std::fs::write(site.path().join("images/ring.png"), b"\x89PNG not really").unwrap();
    let root = site.path().to_path_buf();
    let app = spawn_app_with(move |s| s.site.root = root).await;
    let (encoding, cache, body) = fetched(&app, "/pkg/jewelry.js", "br, gzip").await;
    assert_eq!(encoding.as_deref(), Some("br"));
    assert_eq!(body, b"brotli bytes made at build time", "the file written at build time, not compressed again");
    assert_eq!(cache.as_deref(), Some("no-cache"), "a name without a hash may be reused by the next build");
    let (encoding, _, body) = fetched(&app, "/pkg/jewelry.js", "identity").await;
    assert_eq!((encoding, body), (None, script.clone().into_bytes()));
    let (_, cache, body) = fetched(&app, "/pkg/jewelry.QiKT-zfGYAEZSvpuziBQrw.js", "identity").await;
    assert_eq!(cache.as_deref(), Some("public, max-age=31536000, immutable"), "a hashed name never changes content");
    assert_eq!(body, script.into_bytes());
    let (_, cache, _) = fetched(&app, "/images/ring.png", "br").await;
    assert_eq!(cache.as_deref(), Some("public, max-age=604800"));
}

#[tokio::test]
async fn a_catalog_image_carries_an_etag_and_is_answered_not_modified_while_it_matches() {
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("images")).unwrap();
    let image = site.path().join("images/ring.svg");
    std::fs::write(&image, "<svg xmlns=\"http://www.w3.org/2000/svg\"/>").unwrap();
    let root = site.path().to_path_buf();
    let app = spawn_app_with(move |s| s.site.root = root).await;
    let get = |etag: Option<String>| {
        let request = app.client.get(app.url("/images/ring.svg")).header("Accept-Encoding", "identity");
        let request = match etag {
            Some(etag) => request.header("If-None-Match", etag),
            None => request,
        };
        async move { request.send().await.unwrap() }
    };
    let first = get(None).await;
    assert_eq!(first.status(), 200);
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    assert!(etag.starts_with("W/\""), "{etag}");
    let again = get(Some(etag.clone())).await;
    assert_eq!(again.status(), 304, "the browser's copy is still good");
    assert_eq!(again.headers()["etag"], etag.as_str());
    assert_eq!(again.headers()["cache-control"], "public, max-age=604800");
    assert!(again.bytes().await.unwrap().is_empty());

    // The file changes (a new build): the old tag no longer matches.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    std::fs::write(&image, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"2\"/>").unwrap();
    let changed = get(Some(etag.clone())).await;
    assert_eq!(changed.status(), 200);
    assert_ne!(changed.headers()["etag"], etag.as_str());
}

#[tokio::test]
async fn a_precompressed_copy_older_than_its_file_is_never_sent() {
    let site = tempfile::tempdir().unwrap();
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("jewelry.js.br"), b"the previous build's script, compressed").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let script = "export function hydrate() { /* this build */ }\n".repeat(50);
    std::fs::write(pkg.join("jewelry.js"), &script).unwrap();
    let root = site.path().to_path_buf();
    let app = spawn_app_with(move |s| s.site.root = root).await;
    let (encoding, _, body) = fetched(&app, "/pkg/jewelry.js", "br").await;
    assert_ne!(body, b"the previous build's script, compressed");
    assert_ne!(encoding.as_deref(), Some("br"), "no brotli copy is left to send");
    assert!(!pkg.join("jewelry.js.br").exists());
}
