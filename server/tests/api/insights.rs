//! The admins' insights: counted from shoppers' accepted events (bots left out,
//! duplicates once), the same funnel the log lines give, orders counted with the
//! order, old rows pruned, admins only, and no clickstream of its own.

use crate::auth::{ADMIN, SHOPPER};
use crate::helpers::{SHIPPING, TestApp, database_before, migrations_of, now_rfc3339, product_event, spawn_app, uuid};
use jewelry::insights::{FUNNEL, Range};
use jewelry_server::config::Settings;
use jewelry_server::insights::{Insights, ShopDays};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use time::OffsetDateTime;

const BROWSER: &str =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const GOOGLEBOT: &str = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

/// A session's events up to `steps` of the funnel (1 to 5), on one product.
fn session_events(steps: usize, product: &str) -> Vec<Value> {
    let (client, session) = (uuid(), uuid());
    let base = |name: &str| {
        json!({
            "eventId": uuid(), "eventName": name, "eventTimestamp": now_rfc3339(),
            "clientId": client, "sessionId": session, "urlPath": format!("/products/{product}"),
        })
    };
    let with_product = |name: &str, quantity: Option<u32>| {
        let mut e = base(name);
        e["product"] = json!({"productId": product, "price": 100.0, "currency": "USD"});
        if let Some(q) = quantity {
            e["product"]["quantity"] = json!(q);
        }
        e
    };
    let mut cart = base("checkout_start");
    cart["cart"] =
        json!({"items": [{"productId": product, "quantity": 1, "price": 100.0}], "value": 100.0, "currency": "USD"});
    let mut order = base("checkout_complete");
    order["order"] = json!({"orderId": format!("ord-{}", uuid()), "value": 100.0, "currency": "USD"});
    [base("page_view"), with_product("product_view", None), with_product("add_to_cart", Some(1)), cart, order]
        .into_iter()
        .take(steps)
        .collect()
}

async fn send_as(app: &TestApp, user_agent: &str, events: &[Value]) {
    let response = app
        .post_events_raw("application/json", json!({ "events": events }).to_string(), &[("User-Agent", user_agent)])
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
}

/// The funnel as `docs/insights.md` computes it from the log group: per step, the
/// shoppers' sessions with an event at that step or a later one.
fn funnel_from_log(lines: &[Value]) -> Vec<u64> {
    let shoppers: Vec<&Value> = lines.iter().filter(|l| l["logType"] == "clickstream" && l["isBot"] == false).collect();
    (0..FUNNEL.len())
        .map(|step| {
            let later: HashSet<&str> = FUNNEL[step..].iter().map(|e| e.as_str()).collect();
            let sessions: HashSet<&str> = shoppers
                .iter()
                .filter(|l| later.contains(l["eventName"].as_str().unwrap()))
                .map(|l| l["sessionId"].as_str().unwrap())
                .collect();
            sessions.len() as u64
        })
        .collect()
}

async fn admin_report(app: &TestApp, range: &str) -> Value {
    app.sign_in(ADMIN, "/").await;
    app.call_json("admin/insights", &[("range", range)]).await
}

#[tokio::test]
async fn the_insights_funnel_is_the_one_the_log_lines_give_without_bots_or_duplicates() {
    let app = spawn_app().await;
    let full = session_events(5, "ember-ruby-band");
    send_as(&app, BROWSER, &full).await;
    send_as(&app, BROWSER, &session_events(4, "ember-ruby-band")).await;
    send_as(&app, BROWSER, &session_events(2, "ember-ruby-band")).await;
    send_as(&app, BROWSER, &session_events(3, "northern-hoops")).await;
    send_as(&app, BROWSER, &session_events(1, "ember-ruby-band")).await;
    // A crawler's session and a repeat of the first batch count for nothing.
    send_as(&app, GOOGLEBOT, &session_events(3, "ember-ruby-band")).await;
    send_as(&app, BROWSER, &full).await;

    let report = admin_report(&app, "today").await;
    let funnel: Vec<u64> =
        report["funnel"].as_array().unwrap().iter().map(|s| s["sessions"].as_u64().unwrap()).collect();
    assert_eq!(funnel, [5, 4, 3, 2, 1], "sessions at each step or beyond: {report}");
    let lines = app.lines();
    assert_eq!(funnel_from_log(&lines), funnel, "the page and the log lines agree");

    let clickstream: Vec<&Value> = lines.iter().filter(|l| l["logType"] == "clickstream").collect();
    assert_eq!(
        clickstream.iter().filter(|l| l["isBot"] == true).count(),
        3,
        "the crawler's events are logged as a bot's"
    );
    assert!(clickstream.iter().all(|l| l["isBot"] == (l["userAgent"] == GOOGLEBOT)));

    let products: HashMap<&str, (u64, u64)> = report["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["product_id"].as_str().unwrap(), (p["views"].as_u64().unwrap(), p["adds"].as_u64().unwrap())))
        .collect();
    assert_eq!(products["ember-ruby-band"], (3, 2), "views and adds, the repeat and the bot left out");
    assert_eq!(products["northern-hoops"], (1, 1));
    let today = &report["days"].as_array().unwrap()[0];
    assert_eq!(today["sessions"], 5);
    assert_eq!(report["from"], report["to"]);
}

#[tokio::test]
async fn a_burst_of_more_sessions_and_products_than_one_statement_holds_is_counted_whole() {
    let app = spawn_app().await;
    // 450 sessions viewing 250 products: more rows of each than one multi-row
    // statement writes (200), sent in requests of 50 events, as fast as they go.
    let events: Vec<Value> = (0..450).flat_map(|i| session_events(2, &format!("burst-{}", i % 250))).collect();
    for request in events.chunks(50) {
        send_as(&app, BROWSER, request).await;
    }
    let report = admin_report(&app, "today").await;
    let funnel: Vec<u64> =
        report["funnel"].as_array().unwrap().iter().map(|s| s["sessions"].as_u64().unwrap()).collect();
    assert_eq!(funnel[..2], [450, 450], "every session's page view and product view: {funnel:?}");
    let burst: Vec<&Value> = report["products"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["product_id"].as_str().unwrap().starts_with("burst-"))
        .collect();
    assert_eq!(burst.len(), 250, "every product has its row");
    assert_eq!(burst.iter().map(|p| p["views"].as_u64().unwrap()).sum::<u64>(), 450, "and every view is counted once");
}

#[tokio::test]
async fn orders_count_on_the_day_they_are_placed_with_their_totals() {
    let app = spawn_app().await;
    app.call_json("cart/add", &[("product_id", "polar-bar-necklace"), ("quantity", "2")]).await;
    let placed = app.call_json("checkout", SHIPPING).await;
    let total = placed["Placed"]["total"].as_i64().expect("an order was placed");
    let report = admin_report(&app, "7d").await;
    let days = report["days"].as_array().unwrap();
    assert_eq!(days.len(), 7);
    let today = days.last().unwrap();
    assert_eq!(today["orders"], 1);
    assert_eq!(today["revenue"].as_i64(), Some(total), "the order's total, in the currency's minor unit");
    assert!(days[..6].iter().all(|d| d["orders"] == 0), "the days before have none: {days:?}");
}

#[tokio::test]
async fn instances_on_one_database_add_up_and_count_a_duplicate_once_and_old_rows_go() {
    let app = spawn_app().await;
    let settings = Settings { database_url: Some(app.database_url.clone().into()), ..Settings::default() };
    let pool = jewelry_server::db::connect(&settings.database(), None).await.unwrap();
    let (one, two) =
        (Insights::start(pool.clone(), ShopDays::utc(), 30), Insights::start(pool.clone(), ShopDays::utc(), 30));
    let now = OffsetDateTime::now_utc();
    let body = json!({ "events": session_events(3, "ember-ruby-band") }).to_string();
    let events: Vec<_> =
        jewelry::events::parse_body(body.as_bytes(), now).unwrap().into_iter().map(Result::unwrap).collect();
    // The same events reach both instances (a retry that went elsewhere), and
    // another session reaches the second.
    one.record(&events, &[], now);
    two.record(&events, &[], now);
    let body = json!({ "events": session_events(2, "ember-ruby-band") }).to_string();
    let more: Vec<_> =
        jewelry::events::parse_body(body.as_bytes(), now).unwrap().into_iter().map(Result::unwrap).collect();
    two.record(&more, &[], now);
    one.flush().await;
    two.flush().await;
    let report = one.report(Range::Today).await.unwrap();
    let funnel: Vec<u64> = report.funnel.iter().map(|s| s.sessions).collect();
    assert_eq!(funnel, [2, 2, 1, 0, 0]);
    assert_eq!(report.products[0].views, 2, "one view from each session, the repeat not counted");
    assert_eq!(report.products[0].adds, 1);

    // Rows past the retention (30 days here) and event ids past a repeat's 72 h go.
    for (sql, day) in [
        ("INSERT INTO insight_sessions (session_id, day, furthest) VALUES ('old', $1, 1)", "2000-01-01"),
        ("INSERT INTO insight_products (day, product_id, views, adds) VALUES ($1, 'old', 1, 0)", "2000-01-01"),
        ("INSERT INTO insight_orders (day, orders, revenue_cents) VALUES ($1, 1, 100)", "2000-01-01"),
        ("INSERT INTO insight_events (event_id, day) VALUES ('old', $1)", "2000-01-01"),
    ] {
        sqlx::query(sql).bind(day).execute(pool.pool()).await.unwrap();
    }
    assert_eq!(one.prune(now).await.unwrap(), 4, "the four old rows, none of today's");
    let kept: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM insight_events").fetch_one(pool.pool()).await.unwrap();
    assert_eq!(kept.0, 3, "today's product events' ids stay (two views, one add)");
}

/// The ids counted before their key became bytes (migration
/// `20261202000002_insight_event_keys`) are kept through it: a repeat of an event
/// counted before the upgrade is not counted again after it.
#[tokio::test]
async fn an_event_counted_before_the_upgrade_is_not_counted_again_after_it() {
    let dir = tempfile::tempdir().unwrap();
    // The schema as the previous release left it: every migration before the new key's.
    let (url, pool) = database_before(dir.path(), "20261202000002").await;
    let now = OffsetDateTime::now_utc();
    let counted = product_event("product_view");
    // That release's writer kept the id as text.
    sqlx::query("INSERT INTO insight_events (event_id, day) VALUES ($1, $2)")
        .bind(counted["eventId"].as_str().unwrap())
        .bind(ShopDays::utc().day_of(now))
        .execute(&pool)
        .await
        .unwrap();

    sqlx::migrate::Migrator::new(migrations_of(&url).as_path()).await.unwrap().run(&pool).await.unwrap();
    let insights = Insights::start(pool.into(), ShopDays::utc(), 30);
    let body = json!({ "events": [counted, product_event("product_view")] }).to_string();
    let events: Vec<_> =
        jewelry::events::parse_body(body.as_bytes(), now).unwrap().into_iter().map(Result::unwrap).collect();
    insights.record(&events, &[], now);
    insights.flush().await;
    let report = insights.report(Range::Today).await.unwrap();
    assert_eq!(report.products.len(), 1, "{:?}", report.products);
    assert_eq!(report.products[0].views, 1, "the new view counts; the one counted before the upgrade does not");
}

#[tokio::test]
async fn insights_are_for_admins_only() {
    let app = spawn_app().await;
    assert_eq!(app.call("admin/insights", &[("range", "7d")]).await.status(), 401);
    let (status, _) = app.get_html("/admin/insights").await;
    assert_eq!(status, 401);
    app.sign_in(SHOPPER, "/").await;
    assert_eq!(app.call("admin/insights", &[("range", "7d")]).await.status(), 403);
    let (status, _) = app.get_html("/admin/insights").await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn the_insights_page_draws_its_charts_with_their_numbers_and_sends_no_page_view() {
    let app = spawn_app().await;
    send_as(&app, BROWSER, &session_events(3, "ember-ruby-band")).await;
    app.sign_in(ADMIN, "/").await;
    let (status, html) = app.get_html("/admin/insights?range=30d").await;
    assert_eq!(status, 200);
    let page = scraper::Html::parse_document(&html);
    let select = |css: &str| scraper::Selector::parse(css).unwrap();
    assert_eq!(page.select(&select("figure.chart svg")).count(), 3, "funnel, sessions and orders, revenue");
    assert!(page.select(&select("svg polyline")).count() >= 3);
    let funnel_rows: Vec<String> = page
        .select(&select("#funnel-caption + svg + table tbody tr"))
        .map(|r| r.text().collect::<Vec<_>>().join("|"))
        .collect();
    assert_eq!(funnel_rows.len(), 5);
    assert!(funnel_rows[0].starts_with("page_view|1|"), "{funnel_rows:?}");
    assert!(funnel_rows[2].starts_with("add_to_cart|1|100.0%|100.0%"), "{funnel_rows:?}");
    assert_eq!(page.select(&select("#days-caption ~ table tbody tr")).count(), 30, "a row for every day of the range");
    let current: Vec<String> =
        page.select(&select(".range-nav a[aria-current=page]")).map(|a| a.text().collect()).collect();
    assert_eq!(current, ["30 days"]);
    // Admin pages are not shop traffic: no early page_view script, unlike the shop's pages.
    assert!(!html.contains("__jwFirstPageView"), "the admin page carries no page_view script");
    let (_, home) = app.get_html("/").await;
    assert!(home.contains("__jwFirstPageView"));
}

/// A product's figures open per variant: the views and adds that named each
/// variant, and the units each order sold (counted with the order).
#[tokio::test]
async fn a_products_figures_open_per_variant_with_views_adds_and_units_sold() {
    let app = spawn_app().await;
    let (client, session) = (uuid(), uuid());
    let event = |name: &str, sku: &str, variant: &str| {
        let mut e = json!({
            "eventId": uuid(), "eventName": name, "eventTimestamp": now_rfc3339(),
            "clientId": client, "sessionId": session, "urlPath": "/products/blush-eternity-band",
            "product": {"productId": "blush-eternity-band", "variantId": variant, "sku": sku, "price": 46250000, "currency": "VND"},
        });
        if name == "add_to_cart" {
            e["product"]["quantity"] = json!(1);
        }
        e
    };
    let (twelve, fourteen) = ("blush-eternity-band:12:platinum", "blush-eternity-band:14:platinum");
    send_as(
        &app,
        BROWSER,
        &[
            event("product_view", "BEB-12-PT", twelve),
            event("product_view", "BEB-12-PT", twelve),
            event("product_view", "BEB-14-PT", fourteen),
            event("add_to_cart", "BEB-14-PT", fourteen),
        ],
    )
    .await;
    // And an order: two of size 14, one of size 12.
    for (variant, quantity) in [(twelve, "1"), (fourteen, "2")] {
        app.call_json(
            "cart/add",
            &[("product_id", "blush-eternity-band"), ("variant_id", variant), ("quantity", quantity)],
        )
        .await;
    }
    assert!(app.call_json("checkout", SHIPPING).await.get("Placed").is_some());

    let report = admin_report(&app, "7d").await;
    let figures: HashMap<&str, (u64, u64, u64)> = report["variants"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["product_id"] == "blush-eternity-band")
        .map(|v| {
            let n = |k: &str| v[k].as_u64().unwrap();
            (v["sku"].as_str().unwrap(), (n("views"), n("adds"), n("sold")))
        })
        .collect();
    assert_eq!(figures, HashMap::from([("BEB-12-PT", (2, 0, 1)), ("BEB-14-PT", (1, 1, 2))]));
    // The page opens the band's figures per variant.
    let (_, page) = app.get_html("/admin/insights?range=7d").await;
    assert!(page.contains("Blush Eternity Band: 2 variants"), "a disclosure per product");
    assert!(page.contains("<th scope=\"row\">BEB-14-PT</th><td>1</td><td>1</td><td>2</td>"));
}
