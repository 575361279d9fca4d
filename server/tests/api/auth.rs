//! Sign-in through the development identity provider (and Cognito's flow against a
//! stand-in hosted UI): identity on every line, carts and orders per account, roles.

use crate::helpers::*;
use jewelry_server::auth::dev_idp::{DEV_CLIENT_ID, DEV_ISSUER, SigningKey};
use serde_json::{Value, json};

pub const SHOPPER: (&str, &str) = ("shopper", "lumen-shopper-dev");
pub const ADMIN: (&str, &str) = ("admin@lumen.example", "lumen-admin-dev");

impl TestApp {
    /// Signs in through the development provider's form; answers the response.
    pub async fn sign_in(&self, (username, password): (&str, &str), return_to: &str) -> reqwest::Response {
        self.client
            .post(self.url("/auth/dev/login"))
            .form(&[("username", username), ("password", password), ("return_to", return_to)])
            .send()
            .await
            .expect("POST /auth/dev/login")
    }

    /// Another browser (its own cookies), signed in as `credentials`.
    pub async fn other_browser_signed_in(&self, (username, password): (&str, &str)) -> reqwest::Client {
        let browser =
            reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let response = browser
            .post(self.url("/auth/dev/login"))
            .form(&[("username", username), ("password", password), ("return_to", "/")])
            .send()
            .await
            .expect("POST /auth/dev/login");
        assert_eq!(response.status(), 303);
        browser
    }

    pub fn signing_key(&self) -> SigningKey {
        SigningKey::load_or_create(&self.data_dir().join("dev-idp/signing-key.pem")).expect("the provider's key")
    }
}

fn id_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("jw_id="))
        .map(str::to_owned)
}

fn token_of(cookie: &str) -> String {
    cookie.trim_start_matches("jw_id=").split(';').next().unwrap().to_owned()
}

#[tokio::test]
async fn signing_in_sets_an_httponly_cookie_and_logs_who_without_the_password() {
    let app = spawn_app().await;
    let response = app.sign_in(SHOPPER, "/cart").await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/cart");
    let cookie = id_cookie(&response).expect("an id cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain HTTP here: {cookie}");

    let lines = app.lines_of("auth");
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["action"], "sign_in");
    assert_eq!(lines[0]["identitySource"], "dev");
    assert!(lines[0]["userId"].as_str().is_some_and(|id| id.len() == 36));
    let log = app.raw_log();
    assert!(!log.contains(SHOPPER.1), "the password never reaches the log");
    assert!(!log.contains(&token_of(&cookie)), "nor the token");
}

#[tokio::test]
async fn the_cookie_is_secure_when_the_site_is_served_over_https() {
    let app = spawn_app_with(|s| s.secure_cookies = true).await;
    let cookie = id_cookie(&app.sign_in(SHOPPER, "/").await).unwrap();
    assert!(cookie.contains("Secure"), "{cookie}");
}

#[tokio::test]
async fn a_failed_sign_in_says_so_and_logs_why_without_the_password() {
    let app = spawn_app().await;
    let wrong = app.sign_in(("shopper", "guessing-Hunter2"), "/account").await;
    assert_eq!(wrong.status(), 303);
    assert_eq!(wrong.headers()["location"], "/signin?error=invalid&return_to=%2Faccount");
    assert!(id_cookie(&wrong).is_none());
    app.sign_in(("nobody@example.com", "guessing-Hunter2"), "/").await;
    let lines = app.lines_of("auth");
    let reasons: Vec<&str> = lines.iter().map(|l| l["reason"].as_str().unwrap()).collect();
    assert_eq!(reasons, ["wrong_password", "unknown_user"]);
    assert!(lines.iter().all(|l| l["action"] == "sign_in_failed" && l["userId"].is_null()));
    assert!(!app.raw_log().contains("guessing-Hunter2"));

    let (_, page) = app.get_html("/signin?error=invalid&return_to=%2Faccount").await;
    assert!(page.contains("That email or password is not right"));
    assert!(page.contains("name=\"return_to\" value=\"/account\""));
}

#[tokio::test]
async fn a_return_path_off_the_site_is_ignored() {
    let app = spawn_app().await;
    let response = app.sign_in(SHOPPER, "https://evil.example/").await;
    assert_eq!(response.headers()["location"], "/");
}

#[tokio::test]
async fn events_after_sign_in_carry_the_user_from_the_token_never_from_the_client() {
    let app = spawn_app().await;
    app.sign_in(SHOPPER, "/").await;
    let event = page_view();
    assert_eq!(app.post_events(&json!({"events": [event.clone()]})).await.status(), 200);
    let user_id = app.lines_of("auth")[0]["userId"].as_str().unwrap().to_owned();
    let line = &app.lines_of("clickstream")[0];
    assert_eq!(line["userId"], user_id.as_str());
    assert_eq!(line["userLoginState"], "signed_in");
    assert_eq!(line["identitySource"], "dev");
    assert_eq!(line["clientId"], event["clientId"], "the browser's ids are kept");
    let request = app.lines_of("request").into_iter().find(|l| l["path"] == "/events").unwrap();
    assert_eq!(request["userId"], user_id.as_str());
}

/// A client with no cookie store: whatever it proves, it proves by its headers alone.
fn cookieless_client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

#[tokio::test]
async fn api_clients_may_send_the_token_as_a_bearer() {
    let app = spawn_app().await;
    let token = token_of(&id_cookie(&app.sign_in(ADMIN, "/").await).unwrap());
    let admin_id = app.lines_of("auth")[0]["userId"].as_str().unwrap().to_owned();
    let api = cookieless_client();
    let bearer = format!("Bearer {token}");

    let response = api
        .post(app.url("/events"))
        .header("Content-Type", "application/json")
        .header("Authorization", &bearer)
        .body(json!({"events": [page_view()]}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let line = &app.lines_of("clickstream")[0];
    assert_eq!(
        (line["userLoginState"].as_str(), line["userId"].as_str()),
        (Some("signed_in"), Some(admin_id.as_str()))
    );

    let overview = api.post(app.url("/api/admin/overview")).header("Authorization", &bearer).send().await.unwrap();
    assert_eq!(overview.status(), 200, "a protected server function takes the bearer too");
}

#[tokio::test]
async fn a_bad_bearer_token_without_a_cookie_is_refused() {
    let app = spawn_app().await;
    let api = cookieless_client();
    let bearer = ("Authorization", "Bearer not.a.token");
    let response = api
        .post(app.url("/events"))
        .header("Content-Type", "application/json")
        .header(bearer.0, bearer.1)
        .body(json!({"events": [page_view()]}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "the event is not lost: it is a guest's");
    let line = &app.lines_of("clickstream")[0];
    assert_eq!((line["userLoginState"].as_str(), &line["userId"]), (Some("guest"), &Value::Null));
    let rejected = app.lines_of("auth");
    assert_eq!(
        (rejected[0]["action"].as_str(), rejected[0]["reason"].as_str()),
        (Some("token_rejected"), Some("malformed"))
    );

    let account = api.post(app.url("/api/account")).header(bearer.0, bearer.1).send().await.unwrap();
    assert_eq!(account.status(), 401);
    let overview = api.post(app.url("/api/admin/overview")).header(bearer.0, bearer.1).send().await.unwrap();
    assert_eq!(overview.status(), 401);
}

#[tokio::test]
async fn a_bad_or_expired_token_loses_no_event_and_the_log_says_why() {
    let app = spawn_app().await;
    let key = app.signing_key();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let expired = key
        .sign(&json!({"sub": "u-1", "iss": DEV_ISSUER, "aud": DEV_CLIENT_ID, "token_use": "id",
                      "iat": now - 7200, "exp": now - 3600, "cognito:username": "x"}))
        .unwrap();
    let wrong_audience = key
        .sign(&json!({"sub": "u-1", "iss": DEV_ISSUER, "aud": "someone-else", "token_use": "id",
                      "iat": now, "exp": now + 600}))
        .unwrap();
    for (token, reason) in
        [("not.a.token", "malformed"), (expired.as_str(), "expired"), (wrong_audience.as_str(), "wrong_audience")]
    {
        let response = app
            .post_events_raw(
                "application/json",
                json!({"events": [page_view()]}).to_string(),
                &[("Cookie", &format!("jw_id={token}"))],
            )
            .await;
        assert_eq!(response.status(), 200, "{reason}: the event is accepted");
        let cleared =
            response.headers().get_all("set-cookie").iter().any(|c| c.to_str().unwrap().starts_with("jw_id=;"));
        assert!(cleared, "{reason}: the bad cookie is cleared");
        let rejected = app.lines_of("auth");
        assert_eq!(rejected.last().unwrap()["action"], "token_rejected");
        assert_eq!(rejected.last().unwrap()["reason"], reason);
    }
    let clicks = app.lines_of("clickstream");
    assert_eq!(clicks.len(), 3);
    assert!(clicks.iter().all(|l| l["userLoginState"] == "guest" && l["userId"].is_null()));
}

#[tokio::test]
async fn the_provider_serves_the_jwks_its_tokens_name() {
    let app = spawn_app().await;
    let token = token_of(&id_cookie(&app.sign_in(SHOPPER, "/").await).unwrap());
    let jwks: Value =
        app.client.get(app.url("/dev-idp/.well-known/jwks.json")).send().await.unwrap().json().await.unwrap();
    let header: Value = serde_json::from_slice(
        &base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, token.split('.').next().unwrap())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(header["alg"], "RS256");
    assert_eq!(jwks["keys"][0]["kid"], header["kid"]);
    assert_eq!(jwks["keys"][0]["kty"], "RSA");
    assert!(jwks["keys"][0].get("d").is_none(), "only the public half");
}

#[tokio::test]
async fn signing_in_merges_the_guest_cart_into_the_account() {
    let app = spawn_app().await;
    // As a guest: two pieces. The account already holds one of them from another device.
    app.call_json("cart/add", &[("product_id", "ember-ruby-band"), ("quantity", "2")]).await;
    app.call_json("cart/add", &[("product_id", "northern-hoops"), ("quantity", "1")]).await;
    let other_device = app.other_browser_signed_in(SHOPPER).await;
    other_device
        .post(app.url("/api/cart/add"))
        .form(&[("product_id", "northern-hoops"), ("quantity", "2")])
        .send()
        .await
        .unwrap();

    app.sign_in(SHOPPER, "/cart").await;
    let cart = app.call_json("cart", &[]).await;
    let lines: Vec<(String, u64)> = cart["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["product"]["id"].as_str().unwrap().to_owned(), l["quantity"].as_u64().unwrap()))
        .collect();
    assert!(lines.contains(&("ember-ruby-band".into(), 2)), "{lines:?}");
    assert!(lines.contains(&("northern-hoops".into(), 3)), "quantities add up: {lines:?}");
    // The other device sees the same cart: it lives in the account.
    let there: Value = other_device.post(app.url("/api/cart")).send().await.unwrap().json().await.unwrap();
    assert_eq!(there["lines"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn orders_belong_to_the_account_and_show_on_its_page() {
    let app = spawn_app().await;
    app.sign_in(SHOPPER, "/").await;
    app.call_json("cart/add", &[("product_id", "polar-bar-necklace"), ("quantity", "1")]).await;
    let placed = app.call_json("checkout", SHIPPING).await;
    let order_id = placed["Placed"]["order_id"].as_str().unwrap().to_owned();
    let user_id = app.lines_of("auth")[0]["userId"].as_str().unwrap().to_owned();
    assert_eq!(app.lines_of("business")[0]["userId"], user_id.as_str());

    let account = app.call_json("account", &[]).await;
    assert_eq!(account["orders"][0]["id"], order_id.as_str());
    assert_eq!(account["orders"][0]["item_count"], 1);
    let (status, page) = app.get_html("/account").await;
    assert_eq!(status, 200);
    assert!(page.contains(&order_id) && page.contains("shopper@lumen.example"));

    // Another account does not see it.
    let admin = app.other_browser_signed_in(ADMIN).await;
    let theirs: Value = admin.post(app.url("/api/account")).send().await.unwrap().json().await.unwrap();
    assert!(theirs["orders"].as_array().unwrap().is_empty());
    let order = admin.get(app.url(&format!("/orders/{order_id}"))).send().await.unwrap();
    assert_eq!(order.status(), 404);
}

#[tokio::test]
async fn protected_server_functions_answer_401_without_a_sign_in_and_403_without_the_role() {
    let app = spawn_app().await;
    assert_eq!(app.call("account", &[]).await.status(), 401);
    assert_eq!(app.call("admin/overview", &[]).await.status(), 401);
    let (status, page) = app.get_html("/account").await;
    assert_eq!(status, 401);
    assert!(page.contains("Please sign in"));

    app.sign_in(SHOPPER, "/").await;
    assert_eq!(app.call("account", &[]).await.status(), 200);
    assert_eq!(app.call("admin/overview", &[]).await.status(), 403);
    let (status, page) = app.get_html("/admin").await;
    assert_eq!(status, 403);
    assert!(page.contains("for the shop&#x27;s administrators") || page.contains("for the shop's administrators"));

    // Two orders from this shopper (one customer), then the admin's figures.
    app.call_json("cart/add", &[("product_id", "ember-ruby-band"), ("quantity", "2")]).await;
    let first = app.call_json("checkout", SHIPPING).await;
    app.call_json("cart/add", &[("product_id", "polar-bar-necklace"), ("quantity", "1")]).await;
    let second = app.call_json("checkout", SHIPPING).await;
    let placed = [&first, &second];
    let totals: i64 = placed.iter().map(|p| p["Placed"]["total"].as_i64().unwrap()).sum();
    assert_eq!(totals, 2 * 18_725_000 + 3_625_000, "2 × 18,725,000 ₫ and 3,625,000 ₫, free shipping");
    let mut ids: Vec<&str> = placed.iter().map(|p| p["Placed"]["order_id"].as_str().unwrap()).collect();
    ids.sort();

    app.sign_in(ADMIN, "/").await;
    let overview = app.call_json("admin/overview", &[]).await;
    assert_eq!(overview["order_count"], 2);
    assert_eq!(overview["revenue"], totals);
    assert_eq!(overview["customers"], 1);
    let recent = overview["recent"].as_array().unwrap();
    let mut recent_ids: Vec<&str> = recent.iter().map(|o| o["id"].as_str().unwrap()).collect();
    recent_ids.sort();
    assert_eq!(recent_ids, ids);
    assert!(recent.iter().all(|o| o["email"] == "ada@example.com"), "{recent:?}");
    let (status, page) = app.get_html("/admin").await;
    assert_eq!(status, 200);
    assert!(page.contains("Latest orders"));
    assert!(ids.iter().all(|id| page.contains(id)), "the latest orders are listed");
}

#[tokio::test]
async fn signing_out_clears_the_cookie_and_later_events_are_a_guest_s() {
    let app = spawn_app().await;
    app.sign_in(SHOPPER, "/").await;
    let response = app.client.post(app.url("/auth/logout")).send().await.unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/");
    let cookie = id_cookie(&response).unwrap();
    assert!(cookie.starts_with("jw_id=;") && cookie.contains("Max-Age=0"), "{cookie}");
    let out = app.lines_of("auth").into_iter().find(|l| l["action"] == "sign_out").unwrap();
    assert!(out["userId"].is_string(), "who signed out");
    app.post_events(&json!({"events": [page_view()]})).await;
    assert_eq!(app.lines_of("clickstream")[0]["userLoginState"], "guest");
}

#[tokio::test]
async fn the_sign_in_form_answers_429_after_five_attempts_on_one_account() {
    let app = spawn_app().await;
    for _ in 0..jewelry_server::auth::limits::ACCOUNT_BURST {
        let failed = app.sign_in(("shopper", "not-the-password"), "/").await;
        assert_eq!(failed.status(), 303, "a failure goes back to the form");
    }
    // The right password now counts as one attempt too many.
    let limited = app.sign_in(SHOPPER, "/cart").await;
    assert_eq!(limited.status(), 429);
    let retry_after: u64 = limited.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert!(limited.headers().get("set-cookie").is_none(), "not signed in");
    let page = limited.text().await.unwrap();
    assert!(page.contains("Too many sign-in attempts") && page.contains("/signin?return_to=%2Fcart"), "{page}");
    let lines = app.lines_of("auth");
    let last = lines.last().unwrap();
    assert_eq!(
        (&last["action"], &last["reason"], &last["level"]),
        (&json!("sign_in_limited"), &json!("too_many_attempts_for_account"), &json!("WARN"))
    );
    assert_eq!(lines.iter().filter(|l| l["action"] == "sign_in_failed").count(), 5);
    // Another account from the same address is not held back.
    assert_eq!(app.sign_in(ADMIN, "/").await.status(), 303);
}

#[tokio::test]
async fn the_sign_in_form_answers_429_after_twenty_attempts_from_one_address() {
    let app = spawn_app().await;
    let burst = jewelry_server::auth::limits::ADDRESS_BURST;
    let mut answers = Vec::new();
    // Past the account's limit the attempts are refused at once, and still count
    // against the address.
    for _ in 0..burst {
        answers.push(app.sign_in(("shopper", "not-the-password"), "/").await.status().as_u16());
    }
    assert_eq!(answers.iter().filter(|s| **s == 303).count(), 5, "{answers:?}");
    let limited = app.sign_in(ADMIN, "/").await;
    assert_eq!(limited.status(), 429, "a fresh account, from an address past its limit");
    assert!(limited.headers().contains_key("retry-after"));
    assert_eq!(app.lines_of("auth").last().unwrap()["reason"], "too_many_attempts_from_address");
}
