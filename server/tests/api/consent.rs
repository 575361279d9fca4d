//! Consent to analytics and where shoppers come from: the banner on kept pages,
//! one `consent` line per choice, Global Privacy Control as a refusal, the pages
//! counted without consent, and each session's campaign on every line of it and
//! in the insights.

use crate::auth::ADMIN;
use crate::helpers::{CLICKSTREAM_KEYS, SHIPPING, TestApp, now_rfc3339, spawn_app, uuid};
use jewelry::consent::{COOKIE, NOTICE_VERSION};
use jewelry_server::attribution::Attributions;
use jewelry_server::config::Settings;
use serde_json::{Value, json};

const BROWSER: &str =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const CONSENT_KEYS: &[&str] = &[
    "timestamp",
    "level",
    "logType",
    "choice",
    "noticeVersion",
    "source",
    "clientId",
    "sessionId",
    "userId",
    "path",
    "userAgent",
    "sourceIp",
    "requestId",
];

/// A browser of its own (no cookies), as a shopper's.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(BROWSER)
        .build()
        .unwrap()
}

async fn page(app: &TestApp, client: &reqwest::Client, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = client.get(app.url(path)).header("Accept", "text/html");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    response
}

fn consent_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(&format!("{COOKIE}=")))
        .map(str::to_owned)
}

async fn choose(app: &TestApp, client: &reqwest::Client, form: &[(&str, &str)]) -> reqwest::Response {
    client.post(app.url("/consent")).form(form).send().await.unwrap()
}

#[tokio::test]
async fn every_choice_is_one_consent_line_with_every_key_and_is_remembered_in_the_cookie() {
    let app = spawn_app().await;
    let shopper = browser();
    let (client_id, session_id) = (uuid(), uuid());
    let accepted = choose(
        &app,
        &shopper,
        &[
            ("choice", "accepted"),
            ("source", "banner"),
            ("return_to", "/products/aurora-solitaire-ring?x=1"),
            ("clientId", &client_id),
            ("sessionId", &session_id),
        ],
    )
    .await;
    assert_eq!(accepted.status(), 303);
    assert_eq!(accepted.headers()["location"], "/products/aurora-solitaire-ring?x=1");
    let cookie = consent_cookie(&accepted).expect("the choice is kept");
    assert!(cookie.starts_with(&format!("{COOKIE}={NOTICE_VERSION}.accepted;")), "{cookie}");
    assert!(!cookie.contains("HttpOnly"), "the page's script reads it: {cookie}");
    assert!(cookie.contains("SameSite=Lax") && cookie.contains("Max-Age=31536000"), "{cookie}");
    // The page's script posts the same form in place: no page back.
    let refused = choose(
        &app,
        &shopper,
        &[
            ("choice", "refused"),
            ("source", "privacy_page"),
            ("return_to", "/en/privacy"),
            ("clientId", &client_id),
            ("js", "1"),
        ],
    )
    .await;
    assert_eq!(refused.status(), 204);
    assert!(consent_cookie(&refused).unwrap().starts_with(&format!("{COOKIE}={NOTICE_VERSION}.refused;")));
    let withdrawn =
        choose(&app, &shopper, &[("choice", "withdrawn"), ("source", "privacy_page"), ("return_to", "//evil.example")])
            .await;
    assert_eq!(withdrawn.status(), 303);
    assert_eq!(withdrawn.headers()["location"], "/", "only the shop's own pages");

    let lines = app.lines_of("consent");
    assert_eq!(lines.len(), 3, "one line per choice: {lines:?}");
    for line in &lines {
        for key in CONSENT_KEYS {
            assert!(line.get(*key).is_some(), "`{key}` missing from {line}");
        }
        assert_eq!(line["noticeVersion"], NOTICE_VERSION);
        assert_eq!(line["userAgent"], BROWSER);
        assert_eq!(line["sourceIp"], "127.0.0.0", "cut to its network, as clickstream lines");
        assert_eq!(line["userId"], Value::Null);
    }
    assert_eq!(
        (&lines[0]["choice"], &lines[0]["source"], &lines[0]["path"]),
        (&json!("accepted"), &json!("banner"), &json!("/products/aurora-solitaire-ring"))
    );
    assert_eq!((&lines[0]["clientId"], &lines[0]["sessionId"]), (&json!(client_id), &json!(session_id)));
    assert_eq!((&lines[1]["choice"], &lines[1]["source"]), (&json!("refused"), &json!("privacy_page")));
    assert_eq!(lines[1]["clientId"], Value::Null, "no id is kept with a refusal, even one sent");
    assert_eq!(lines[2]["choice"], "withdrawn");
    // The request's own id ties the line to its request line.
    let request_ids: Vec<Value> = app.lines_of("request").iter().map(|l| l["requestId"].clone()).collect();
    assert!(lines.iter().all(|l| request_ids.contains(&l["requestId"])));
}

#[tokio::test]
async fn a_bad_choice_is_refused_with_a_stable_code_and_records_nothing() {
    let app = spawn_app().await;
    let shopper = browser();
    for (form, names) in [
        (vec![("choice", "maybe"), ("source", "banner")], "choice"),
        (vec![("source", "banner")], "choice"),
        (vec![("choice", "accepted"), ("source", "popup")], "source"),
        (vec![("choice", "accepted"), ("source", "gpc")], "refusal"),
        (vec![("choice", "accepted"), ("source", "banner"), ("clientId", "not-a-uuid")], "clientId"),
    ] {
        let refused = choose(&app, &shopper, &form).await;
        assert_eq!(refused.status(), 400, "{form:?}");
        assert!(consent_cookie(&refused).is_none());
        let body: Value = refused.json().await.unwrap();
        assert_eq!(body["code"], "invalid_field", "{body}");
        assert!(body["message"].as_str().unwrap().contains(names), "{body}");
    }
    assert!(app.lines_of("consent").is_empty());
}

#[tokio::test]
async fn the_banner_is_on_every_shop_page_until_a_choice_is_made_and_on_no_admin_page() {
    let app = spawn_app().await;
    let shopper = browser();
    for path in ["/", "/catalog", "/products/aurora-solitaire-ring", "/cart", "/privacy", "/vi/catalog"] {
        let html = page(&app, &shopper, path, &[]).await.text().await.unwrap();
        assert!(html.contains("class=\"consent-banner\""), "{path}");
        assert!(html.contains("name=\"choice\" value=\"accepted\""), "{path}");
        assert!(html.contains("name=\"choice\" value=\"refused\""), "{path}");
        assert!(!html.contains("data-gpc=\"\""), "{path}: no GPC here");
    }
    // Twice more, from the kept page: the banner is part of it.
    for _ in 0..2 {
        assert!(page(&app, &shopper, "/catalog", &[]).await.text().await.unwrap().contains("consent-banner"));
    }
    choose(&app, &shopper, &[("choice", "refused"), ("source", "banner"), ("return_to", "/")]).await;
    for path in ["/", "/catalog", "/privacy"] {
        let html = page(&app, &shopper, path, &[]).await.text().await.unwrap();
        assert!(!html.contains("consent-banner"), "{path}: a refusal is not asked again");
    }
    // A choice made on an older notice counts as none.
    let old = page(&app, &browser(), "/catalog", &[("Cookie", &format!("{COOKIE}=2020-01-01.accepted"))]).await;
    assert!(old.text().await.unwrap().contains("consent-banner"));
    app.sign_in(ADMIN, "/").await;
    let (_, admin) = app.get_html("/admin").await;
    assert!(!admin.contains("consent-banner"), "admin pages track nothing");
}

#[tokio::test]
async fn a_browser_sending_global_privacy_control_is_recorded_once_as_refusing_and_told_why() {
    let app = spawn_app().await;
    let shopper = browser();
    let first = page(&app, &shopper, "/catalog", &[("Sec-GPC", "1")]).await;
    let cookie = consent_cookie(&first).expect("the refusal is kept");
    assert!(cookie.starts_with(&format!("{COOKIE}={NOTICE_VERSION}.refused;")), "{cookie}");
    let html = first.text().await.unwrap();
    assert!(html.contains("data-gpc=\"\""), "the banner says why");
    let lines = app.lines_of("consent");
    assert_eq!(lines.len(), 1);
    assert_eq!((&lines[0]["choice"], &lines[0]["source"]), (&json!("refused"), &json!("gpc")));
    assert_eq!(lines[0]["path"], "/catalog");
    assert_eq!(lines[0]["clientId"], Value::Null);
    // The next page: the choice is known, nothing asked, nothing logged again.
    let next = page(&app, &shopper, "/", &[("Sec-GPC", "1")]).await;
    assert!(consent_cookie(&next).is_none());
    assert!(!next.text().await.unwrap().contains("consent-banner"));
    assert_eq!(app.lines_of("consent").len(), 1);
    // The privacy page says so, and still offers to opt in.
    let privacy = page(&app, &shopper, "/privacy", &[("Sec-GPC", "1")]).await.text().await.unwrap();
    assert!(privacy.contains("You can still opt in below") && privacy.contains("value=\"accepted\""));
    // An opt-in stands against the browser's signal.
    choose(&app, &shopper, &[("choice", "accepted"), ("source", "privacy_page"), ("clientId", &uuid())]).await;
    assert!(!page(&app, &shopper, "/", &[("Sec-GPC", "1")]).await.text().await.unwrap().contains("consent-banner"));
    assert_eq!(app.lines_of("consent").len(), 2);
    // A crawler sending it is not a shopper making a choice.
    reqwest::Client::new()
        .get(app.url("/"))
        .header("Accept", "text/html")
        .header("Sec-GPC", "1")
        .header("User-Agent", "Googlebot/2.1")
        .send()
        .await
        .unwrap();
    assert_eq!(app.lines_of("consent").len(), 2);
}

#[tokio::test]
async fn the_privacy_page_says_what_is_kept_how_long_and_where_in_both_languages() {
    let app = spawn_app().await;
    let shopper = browser();
    let en = page(&app, &shopper, "/privacy", &[]).await.text().await.unwrap();
    for said in ["What we collect and why", "90 days", "400 days", "On the shop's own server", NOTICE_VERSION] {
        assert!(en.contains(said), "{said}");
    }
    let vi = page(&app, &shopper, "/vi/privacy", &[]).await.text().await.unwrap();
    assert!(vi.contains("Chúng tôi thu thập gì và vì sao") && vi.contains("90 ngày"), "{vi}");
    choose(&app, &shopper, &[("choice", "accepted"), ("source", "privacy_page"), ("clientId", &uuid())]).await;
    let accepted = page(&app, &shopper, "/privacy", &[]).await.text().await.unwrap();
    assert!(accepted.contains("You have agreed to analytics") && accepted.contains("value=\"withdrawn\""));
}

/// The count of storefront pages served today, from the insights.
async fn pages_served_today(app: &TestApp) -> u64 {
    let report = app.call_json("admin/insights", &[("range", "today")]).await;
    report["page_requests"].as_array().unwrap().iter().map(|n| n.as_u64().unwrap()).sum()
}

#[tokio::test]
async fn pages_are_counted_with_or_without_consent_and_bots_are_not() {
    let app = spawn_app().await;
    app.sign_in(ADMIN, "/").await;
    let before = pages_served_today(&app).await;
    let shopper = browser();
    for path in ["/", "/catalog", "/catalog", "/products/aurora-solitaire-ring"] {
        page(&app, &shopper, path, &[]).await;
    }
    choose(&app, &shopper, &[("choice", "refused"), ("source", "banner")]).await;
    page(&app, &shopper, "/cart", &[]).await;
    for _ in 0..3 {
        let bot = reqwest::Client::new()
            .get(app.url("/catalog"))
            .header("Accept", "text/html")
            .header("User-Agent", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
            .send()
            .await
            .unwrap();
        assert_eq!(bot.status(), 200);
    }
    // Not a page: not counted.
    shopper.get(app.url("/favicon.svg")).send().await.unwrap();
    assert_eq!(pages_served_today(&app).await - before, 5);
    // The request lines say which they were, so the count can be made again from the log.
    let served: Vec<String> = app
        .lines_of("request")
        .into_iter()
        .filter(|l| l["pageServed"] == true)
        .map(|l| l["path"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(served, ["/", "/catalog", "/catalog", "/products/aurora-solitaire-ring", "/cart"]);
    // Nothing in the log names these pages' shoppers: only their request lines.
    assert!(app.lines_of("clickstream").is_empty());
}

/// Sends `events` as a shopper's browser would (the test client's own user agent
/// is a script's, a bot's for the insights).
async fn send(app: &TestApp, events: &[Value]) {
    let response = app
        .post_events_raw("application/json", json!({ "events": events }).to_string(), &[("User-Agent", BROWSER)])
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
}

fn event(name: &str, session: &str, extra: Value) -> Value {
    let mut e = json!({
        "eventId": uuid(), "eventName": name, "eventTimestamp": now_rfc3339(),
        "clientId": "11111111-2222-4333-8444-555555555555", "sessionId": session, "urlPath": "/",
    });
    for (k, v) in extra.as_object().unwrap() {
        e[k] = v.clone();
    }
    e
}

#[tokio::test]
async fn every_line_of_a_session_carries_its_landing_pages_campaign_and_the_insights_count_its_order() {
    let app = spawn_app().await;
    let session = uuid();
    let landing = event(
        "page_view",
        &session,
        json!({"urlPath": "/?utm_source=zalo&utm_medium=social&utm_campaign=tet2027",
               "referrer": "https://zalo.me/share?x=1", "utmSource": "zalo", "utmMedium": "social",
               "utmCampaign": "tet2027"}),
    );
    send(&app, &[landing]).await;
    // The shopper buys: a real order, then its events, each request of its own.
    app.call_json("cart/add", &[("product_id", "northern-hoops"), ("quantity", "1")]).await;
    let placed = app.call_json("checkout", SHIPPING).await;
    let order_id = placed["Placed"]["order_id"].as_str().unwrap().to_owned();
    let total = placed["Placed"]["total"].as_i64().unwrap();
    let later = [
        event(
            "page_view",
            &session,
            json!({"urlPath": "/catalog?utm_source=other", "referrer": app.url("/"),
                                               "utmSource": "other"}),
        ),
        event("product_view", &session, json!({"product": {"productId": "northern-hoops"}})),
        event("add_to_cart", &session, json!({"product": {"productId": "northern-hoops", "quantity": 1}})),
        event(
            "checkout_start",
            &session,
            json!({"cart": {"items": [{"productId": "northern-hoops", "quantity": 1, "price": 1.0}],
                                                            "value": 1.0, "currency": "VND"}}),
        ),
        event("checkout_complete", &session, json!({"order": {"orderId": order_id, "value": 1.0, "currency": "VND"}})),
    ];
    for e in later {
        send(&app, &[e]).await;
    }
    // Another session, direct, from the shop's own page.
    let direct = event("page_view", &uuid(), json!({"referrer": app.url("/catalog")}));
    send(&app, &[direct]).await;

    let lines = app.lines_of("clickstream");
    assert_eq!(lines.len(), 7);
    for line in &lines[..6] {
        for key in CLICKSTREAM_KEYS {
            assert!(line.get(*key).is_some(), "`{key}` missing from {line}");
        }
        assert_eq!(line["utmSource"], "zalo", "{line}");
        assert_eq!(line["utmMedium"], "social");
        assert_eq!(line["utmCampaign"], "tet2027");
        assert_eq!((&line["utmTerm"], &line["utmContent"]), (&Value::Null, &Value::Null));
        assert_eq!(line["referrerHost"], "zalo.me");
    }
    let other = &lines[6];
    assert_eq!((&other["utmSource"], &other["referrerHost"]), (&Value::Null, &Value::Null), "the shop is no referrer");

    app.sign_in(ADMIN, "/").await;
    let report = app.call_json("admin/insights", &[("range", "today")]).await;
    let rows = |dimension: &str| -> Vec<Value> {
        let sources = report["sources"].as_array().unwrap();
        let (_, rows) = sources.iter().map(|s| (&s[0], &s[1])).find(|(d, _)| *d == dimension).unwrap();
        rows.as_array().unwrap().clone()
    };
    let campaign = rows("Campaign");
    let tet = campaign.iter().find(|r| r["key"] == "tet2027").expect("the campaign's row");
    assert_eq!((tet["sessions"].as_u64(), tet["checkouts"].as_u64()), (Some(1), Some(1)));
    assert_eq!((tet["orders"].as_u64(), tet["revenue"].as_i64()), (Some(1), Some(total)), "at the order's own total");
    let none = campaign.iter().find(|r| r["key"].is_null()).expect("the direct session");
    assert_eq!((none["sessions"].as_u64(), none["orders"].as_u64()), (Some(1), Some(0)));
    let by_source = rows("SourceMedium");
    assert!(by_source.iter().any(|r| r["key"] == "zalo / social" && r["orders"] == 1), "{by_source:?}");
    let by_site = rows("ReferringSite");
    assert!(by_site.iter().any(|r| r["key"] == "zalo.me" && r["sessions"] == 1), "{by_site:?}");
}

#[tokio::test]
async fn instances_on_one_database_give_a_session_the_same_campaign() {
    let app = spawn_app().await;
    let settings = Settings { database_url: Some(app.database_url.clone().into()), ..Settings::default() };
    let pool = jewelry_server::db::connect(&settings.database(), None).await.unwrap();
    let (one, two) = (Attributions::start(pool.clone(), None), Attributions::start(pool, None));
    let session = uuid();
    let parse = |events: Value| {
        let body = json!({ "events": events }).to_string();
        jewelry::events::parse_body(body.as_bytes(), time::OffsetDateTime::now_utc())
            .unwrap()
            .into_iter()
            .map(Result::unwrap)
            .collect::<Vec<_>>()
    };
    let landing = parse(json!([event(
        "page_view",
        &session,
        json!({"utmCampaign": "tet2027", "referrer": "https://www.facebook.com/"})
    )]));
    let on_one = one.of(&landing, Some("shop.example")).await;
    assert_eq!(on_one[0].campaign.campaign.as_deref(), Some("tet2027"));
    assert_eq!(on_one[0].referrer_host.as_deref(), Some("www.facebook.com"));
    // The session's next events reach the other instance, the later page view first.
    let next = parse(json!([
        event("page_view", &session, json!({"utmCampaign": "other", "referrer": "https://shop.example/"})),
        event("product_view", &session, json!({"product": {"productId": "northern-hoops"}})),
    ]));
    let on_two = two.of(&next, Some("shop.example")).await;
    assert!(on_two.iter().all(|a| **a == *on_one[0]), "{on_two:?}");
    // A session no instance has seen a page view of: nothing to carry.
    let stray = parse(json!([event("add_to_cart", &uuid(), json!({"product": {"productId": "x", "quantity": 1}}))]));
    assert!(two.of(&stray, None).await[0].campaign.is_empty());
}
