//! Where browser requests may come from: `/events` from the shop's pages and the
//! origins `cors.allowed_origins` names (CORS, preflight included, and the
//! server's own check for beacons); every other change from the shop's pages only.

use crate::auth::{ADMIN, SHOPPER};
use crate::helpers::*;
use serde_json::{Value, json};

const JOURNAL: &str = "https://journal.lumen.example";
const EVIL: &str = "https://evil.example";

async fn allowing_the_journal() -> TestApp {
    spawn_app_with(|s| s.cors.allowed_origins = vec![JOURNAL.to_owned()]).await
}

/// The headers a browser sends with a request from a page on `origin`.
fn from_page_on(origin: &'static str) -> [(&'static str, &'static str); 2] {
    [("Origin", origin), ("Sec-Fetch-Site", "cross-site")]
}

#[tokio::test]
async fn an_allowed_origin_gets_its_preflight_answered_and_its_events_logged() {
    let app = allowing_the_journal().await;
    let preflight = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/events"))
        .header("Origin", JOURNAL)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type")
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success(), "{}", preflight.status());
    assert_eq!(preflight.headers()["access-control-allow-origin"], JOURNAL);
    let methods = preflight.headers()["access-control-allow-methods"].to_str().unwrap();
    assert!(methods.contains("POST"), "{methods}");
    assert!(preflight.headers()["access-control-allow-headers"].to_str().unwrap().contains("content-type"));

    let event = page_view();
    let journal = from_page_on(JOURNAL);
    let sent = app.post_events_raw("application/json", json!({"events": [event]}).to_string(), &journal).await;
    assert_eq!(sent.status(), 200);
    assert_eq!(sent.headers()["access-control-allow-origin"], JOURNAL);
    let beacon = page_view();
    let sent = app.post_events_raw("text/plain;charset=UTF-8", beacon.to_string(), &journal).await;
    assert_eq!(sent.status(), 200, "a beacon too");
    let logged: Vec<Value> = app.lines_of("clickstream").iter().map(|l| l["eventId"].clone()).collect();
    assert_eq!(logged, [event["eventId"].clone(), beacon["eventId"].clone()]);
}

#[tokio::test]
async fn another_origin_gets_no_cors_headers_and_its_events_are_refused_and_not_logged() {
    let app = allowing_the_journal().await;
    let preflight = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/events"))
        .header("Origin", EVIL)
        .header("Access-Control-Request-Method", "POST")
        .send()
        .await
        .unwrap();
    assert!(preflight.headers().get("access-control-allow-origin").is_none());

    // A beacon needs no preflight: the server itself refuses it.
    for content_type in ["text/plain;charset=UTF-8", "application/json"] {
        let sent = app.post_events_raw(content_type, page_view().to_string(), &from_page_on(EVIL)).await;
        assert_eq!(sent.status(), 403);
        assert!(sent.headers().get("access-control-allow-origin").is_none());
        let body: Value = sent.json().await.unwrap();
        assert_eq!(body["code"], "origin_not_allowed");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    assert!(app.lines_of("clickstream").is_empty(), "nothing logged as accepted");
    let refused: Vec<Value> = app.lines_of("request").into_iter().filter(|l| l["path"] == "/events").collect();
    assert!(refused.iter().any(|l| l["statusCode"] == 403), "{refused:?}");
}

#[tokio::test]
async fn the_shops_own_pages_and_callers_without_a_page_send_events_without_cors() {
    let app = spawn_app().await;
    let host = app.address.trim_start_matches("http://").to_owned();
    let own = format!("http://{host}");
    let sent = app.post_events_raw("application/json", page_view().to_string(), &[("Origin", &own)]).await;
    assert_eq!(sent.status(), 200, "Origin is the host it was sent to");
    let fetched = [("Origin", "http://localhost:1"), ("Sec-Fetch-Site", "same-origin")];
    assert_eq!(app.post_events_raw("application/json", page_view().to_string(), &fetched).await.status(), 200);
    assert_eq!(app.post_events(&page_view()).await.status(), 200, "curl: no Origin");
    assert_eq!(app.lines_of("clickstream").len(), 3);
}

/// A server-function call as a page on `origin` would send it.
async fn call_from(app: &TestApp, origin: &'static str, endpoint: &str, form: &[(&str, &str)]) -> reqwest::Response {
    let mut request = app.client.post(app.url(&format!("/api/{endpoint}"))).header("Accept", "application/json");
    for (name, value) in from_page_on(origin) {
        request = request.header(name, value);
    }
    request.form(form).send().await.unwrap()
}

async fn refused_as_cross_site(response: reqwest::Response) {
    assert_eq!(response.status(), 403);
    assert_eq!(response.json::<Value>().await.unwrap()["code"], "cross_site_request");
}

#[tokio::test]
async fn another_sites_page_cannot_change_the_cart_or_check_out() {
    let app = allowing_the_journal().await;
    let add = [("product_id", "northern-hoops"), ("quantity", "1")];
    // Not even an origin allowed to send events.
    refused_as_cross_site(call_from(&app, JOURNAL, "cart/add", &add).await).await;
    refused_as_cross_site(call_from(&app, EVIL, "cart/add", &add).await).await;
    let cart = app.call_json("cart", &[]).await;
    assert_eq!(cart["lines"].as_array().map(Vec::len), Some(0), "nothing was added: {cart}");

    app.call_json("cart/add", &add).await;
    refused_as_cross_site(call_from(&app, EVIL, "checkout", SHIPPING).await).await;
    assert!(app.lines_of("business").is_empty(), "no order was placed");
}

#[tokio::test]
async fn another_sites_page_cannot_sign_in_or_out() {
    let app = spawn_app().await;
    let (username, password) = SHOPPER;
    let signed_in = app
        .client
        .post(app.url("/auth/dev/login"))
        .header("Origin", EVIL)
        .form(&[("username", username), ("password", password), ("return_to", "/")])
        .send()
        .await
        .unwrap();
    refused_as_cross_site(signed_in).await;
    assert!(app.lines_of("auth").is_empty(), "no sign-in was tried");
    let signed_out = app.client.post(app.url("/auth/logout")).header("Sec-Fetch-Site", "cross-site").send().await;
    refused_as_cross_site(signed_out.unwrap()).await;
}

#[tokio::test]
async fn another_sites_page_cannot_change_products_even_with_an_admins_cookie() {
    let app = spawn_app().await;
    assert_eq!(app.sign_in(ADMIN, "/").await.status(), 303);
    let archive = [("id", "ember-ruby-band"), ("version", "1"), ("archived", "true")];
    refused_as_cross_site(call_from(&app, EVIL, "admin/product/archive", &archive).await).await;
    assert!(app.lines_of("crud").is_empty(), "nothing was changed");
    // The same call from the shop's own page goes through.
    let own = app.client.post(app.url("/api/admin/product/archive")).header("Sec-Fetch-Site", "same-origin");
    let archived = own.header("Accept", "application/json").form(&archive).send().await.unwrap();
    assert_eq!(archived.status(), 200);
    assert_eq!(app.lines_of("crud").len(), 1);
}
