//! `jewelry-server insights rebuild`: the counters counted again from the log
//! equal what the live counters counted, over a journey of many sessions with
//! events told twice (across a restart), bots, orders and their moves, and pages
//! served; from the log file and from an export of it; twice over, the same.

use crate::auth::ADMIN;
use crate::helpers::{SHIPPING, fresh_postgres_database, missing, now_rfc3339, uuid};
use crate::process::{Launch, ServerProcess, browser};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

const BROWSER: &str =
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
const BOT: &str = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
/// A shop whose day is not UTC's.
const TIME_ZONE: &str = "Asia/Ho_Chi_Minh";

/// Runs the binary with `args` and the shop's database settings; answers its exit
/// code and output.
fn run(args: &[&str], env: &[(&str, String)]) -> (i32, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_jewelry-server"));
    command.args(args).env_clear().env("PATH", std::env::var_os("PATH").unwrap_or_default());
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command.output().expect("the binary runs");
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.code().unwrap_or(-1), text)
}

fn event(name: &str, session: &str, path: &str) -> Value {
    json!({
        "eventId": uuid(), "eventName": name, "eventTimestamp": now_rfc3339(),
        "clientId": uuid(), "sessionId": session, "urlPath": path, "locale": "en",
        "referrer": "https://search.example/"
    })
}

fn product(name: &str, session: &str, id: &str, variant: Option<&str>) -> Value {
    let mut e = event(name, session, &format!("/products/{id}"));
    e["product"] = json!({"productId": id, "name": id, "category": "rings", "price": 1500000.0, "currency": "VND"});
    if let Some(variant) = variant {
        e["product"]["variantId"] = json!(variant);
        e["product"]["sku"] = json!(variant.to_uppercase());
    }
    if name == "add_to_cart" {
        e["product"]["quantity"] = json!(1);
    }
    e
}

fn complete(session: &str, order_id: &str) -> Value {
    let mut e = event("checkout_complete", session, "/checkout");
    e["order"] = json!({"orderId": order_id, "items": [
        {"productId": "northern-hoops", "quantity": 1, "price": 1500000.0}
    ], "value": 1500000.0, "currency": "VND"});
    e
}

async fn send(server: &ServerProcess, user_agent: &str, events: &[Value]) {
    let response = reqwest::Client::new()
        .post(server.url("/events"))
        .header("User-Agent", user_agent)
        .json(&json!({ "events": events }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap_or_default());
}

async fn place_order(server: &ServerProcess, product_id: &str) -> String {
    let client = browser();
    server.call(&client, "cart/add", &[("product_id", product_id), ("quantity", "1")]).await;
    let (status, placed) = server.call(&client, "checkout", SHIPPING).await;
    assert_eq!(status, 200, "{placed}");
    placed["Placed"]["order_id"].as_str().unwrap().to_owned()
}

async fn move_order(server: &ServerProcess, admin: &reqwest::Client, order: &str, to: &str) {
    let (status, desk) = server.call(admin, "admin/order", &[("id", order)]).await;
    assert_eq!(status, 200, "{desk}");
    let version = desk["order"]["version"].as_i64().unwrap().to_string();
    // Delivered: a little less cash than the total, so the two sums differ.
    let cash = (desk["order"]["total"].as_i64().unwrap() - 1000).to_string();
    let form = [("input[order_id]", order), ("input[version]", version.as_str()), ("input[to]", to)];
    let mut form = form.to_vec();
    match to {
        "shipped" => form.extend([("input[carrier]", "VNPost"), ("input[tracking]", "VN-1")]),
        "delivered" => form.push(("input[cash]", &cash)),
        "cancelled" | "returned" => form.push(("input[note]", "The shopper changed their mind")),
        _ => {}
    }
    let (status, answer) = server.call(admin, "admin/order/move", &form).await;
    assert_eq!((status, &answer["Moved"]["status"]), (200, &json!(to)), "{order} to {to}: {answer}");
}

type SessionRow = (String, String, i64, Option<String>, Option<String>, Option<String>, Option<String>);
type VariantRow = (String, String, String, Option<String>, i64, i64, i64);
type OrderRow = (String, i64, i64, i64, i64, i64, i64, i64, i64);

/// The rows `sql` selects, each as text.
async fn rows<T>(db: &sqlx::AnyPool, sql: &str) -> Vec<String>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + std::fmt::Debug + Send + Unpin,
{
    let rows: Vec<T> = sqlx::query_as(sql).fetch_all(db).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    rows.iter().map(|r| format!("{r:?}")).collect()
}

/// Every row of the counters' tables, as text, by table.
async fn counters(database: &str) -> BTreeMap<&'static str, Vec<String>> {
    sqlx::any::install_default_drivers();
    let db = sqlx::AnyPool::connect(database).await.unwrap();
    let all = BTreeMap::from([
        (
            "sessions",
            rows::<SessionRow>(
                &db,
                "SELECT session_id, day, furthest, utm_source, utm_medium, utm_campaign, referrer_host \
                 FROM insight_sessions ORDER BY session_id",
            )
            .await,
        ),
        (
            "products",
            rows::<(String, String, i64, i64)>(
                &db,
                "SELECT day, product_id, views, adds FROM insight_products ORDER BY day, product_id",
            )
            .await,
        ),
        (
            "variants",
            rows::<VariantRow>(
                &db,
                "SELECT day, variant_id, product_id, sku, views, adds, sold FROM insight_variants \
                 ORDER BY day, variant_id",
            )
            .await,
        ),
        (
            "orders",
            rows::<OrderRow>(
                &db,
                "SELECT day, orders, revenue_cents, delivered, delivered_cents, cancelled, cancelled_cents, \
                 returned, returned_cents FROM insight_orders ORDER BY day",
            )
            .await,
        ),
        (
            "session_orders",
            rows::<(String, String, String)>(
                &db,
                "SELECT order_id, session_id, day FROM insight_session_orders ORDER BY order_id",
            )
            .await,
        ),
        ("pages", rows::<(String, i64)>(&db, "SELECT day, requests FROM insight_page_requests ORDER BY day").await),
    ]);
    db.close().await;
    all
}

async fn wipe(database: &str) {
    let db = sqlx::AnyPool::connect(database).await.unwrap();
    for table in ["insight_sessions", "insight_products", "insight_variants", "insight_orders"] {
        sqlx::query(&format!("DELETE FROM {table}")).execute(&db).await.unwrap();
    }
    sqlx::query("UPDATE insight_page_requests SET requests = requests + 1000").execute(&db).await.unwrap();
    db.close().await;
}

#[tokio::test]
async fn a_rebuild_from_the_log_gives_the_figures_the_live_counters_gave() {
    let data = tempfile::tempdir().unwrap();
    // The PostgreSQL pass's server, else SQLite in the data directory.
    let database = match std::env::var("TEST_POSTGRES_URL") {
        Ok(server) => fresh_postgres_database(&server).await,
        Err(_) => format!("sqlite://{}?mode=rwc", data.path().join("shop.db").display()),
    };
    let env = vec![
        ("APP_DATA_DIR", data.path().display().to_string()),
        ("APP_DATABASE_URL", database.clone()),
        ("APP_INSIGHTS__TIME_ZONE", TIME_ZONE.to_owned()),
        ("APP_DEFAULT_LOCALE", "en".to_owned()),
    ];
    let launch = || env.iter().fold(Launch::new(), |launch, (name, value)| launch.env(name, value)).start();

    // The first run: sessions from campaigns and not, bots, orders and their moves.
    let first = launch();
    let sessions: Vec<String> = (0..12).map(|_| uuid()).collect();
    let mut told = Vec::new();
    for (i, session) in sessions.iter().enumerate() {
        let mut landing = event("page_view", session, "/");
        if i % 3 == 0 {
            landing["urlPath"] = json!("/?utm_source=zalo&utm_medium=social&utm_campaign=tet2027");
            for (key, value) in [("utmSource", "zalo"), ("utmMedium", "social"), ("utmCampaign", "tet2027")] {
                landing[key] = json!(value);
            }
        }
        let mut events = vec![landing];
        if i % 4 != 3 {
            events.push(product("product_view", session, "northern-hoops", None));
            events.push(product(
                "product_view",
                session,
                "blush-eternity-band",
                Some("blush-eternity-band:12:platinum"),
            ));
        }
        if i % 2 == 0 {
            events.push(product(
                "add_to_cart",
                session,
                "blush-eternity-band",
                Some("blush-eternity-band:12:platinum"),
            ));
            events.push(event("checkout_start", session, "/checkout"));
        }
        if i % 4 == 0 {
            events.push(complete(session, &format!("JW-{:010}", i)));
        }
        send(&first, BROWSER, &events).await;
        told.extend(events);
    }
    let bot = uuid();
    send(&first, BOT, &[event("page_view", &bot, "/"), product("add_to_cart", &bot, "northern-hoops", None)]).await;
    let client = browser();
    for path in ["/", "/catalog", "/products/northern-hoops", "/cart"] {
        let answer = client.get(first.url(path)).header("User-Agent", BROWSER).send().await.unwrap();
        assert_eq!(answer.status(), 200, "{path}");
        client.get(first.url(path)).header("User-Agent", BOT).send().await.unwrap();
    }
    let (kept, cancelled, delivered) = (
        place_order(&first, "northern-hoops").await,
        place_order(&first, "ember-ruby-band").await,
        place_order(&first, "northern-hoops").await,
    );
    let admin = first.sign_in(ADMIN).await;
    move_order(&first, &admin, &kept, "confirmed").await;
    move_order(&first, &admin, &cancelled, "cancelled").await;
    for to in ["confirmed", "shipped", "delivered", "returned"] {
        move_order(&first, &admin, &delivered, to).await;
    }
    send(&first, BROWSER, &[complete(&sessions[2], &kept)]).await;
    let first = first.stop();

    // The second run has forgotten which events it took: some come again (the
    // tracker retrying), and are in the log twice.
    let second = launch();
    let again: Vec<Value> = told.iter().filter(|e| e["eventName"] != "page_view").take(12).cloned().collect();
    send(&second, BROWSER, &again).await;
    send(&second, BROWSER, &[event("page_view", &uuid(), "/catalog"), complete(&sessions[2], &kept)]).await;
    let answer = client.get(second.url("/catalog")).header("User-Agent", BROWSER).send().await.unwrap();
    assert_eq!(answer.status(), 200);
    let second = second.stop();

    let log = data.path().join("shop.log");
    let mut text = first.lines.join("\n");
    text.push('\n');
    text.push_str(&second.lines.join("\n"));
    std::fs::write(&log, text).unwrap();
    // The journey's premise: some product views and adds are in the log twice.
    let mut seen = std::collections::HashMap::new();
    for line in first.lines.iter().chain(&second.lines) {
        let line: Value = serde_json::from_str(line).unwrap();
        if line["logType"] == "clickstream" && line["eventName"] != "page_view" {
            *seen.entry(line["eventId"].as_str().unwrap().to_owned()).or_insert(0) += 1;
        }
    }
    assert!(seen.values().filter(|n| **n > 1).count() >= 5, "events told twice: {seen:?}");

    let live = counters(&database).await;
    // What the journey counted: enough that a rebuild counting nothing, or
    // everything twice, cannot pass.
    assert_eq!(live["sessions"].len(), 13, "{:#?}", live["sessions"]);
    assert!(live["sessions"].iter().filter(|s| s.contains("tet2027")).count() == 4, "{:#?}", live["sessions"]);
    assert_eq!(live["orders"].len(), 1, "{:#?}", live["orders"]);
    let orders = &live["orders"][0];
    assert!(orders.contains(", 3, "), "three placed: {orders}");
    assert!(live["variants"].iter().any(|v| v.contains("blush-eternity-band:12:platinum")), "{:#?}", live["variants"]);
    assert!(live["session_orders"].iter().any(|o| o.contains(&kept)), "{:#?}", live["session_orders"]);
    assert_eq!(live["pages"].len(), 1);

    // Without --today the running shop's day is left alone, and it says so.
    wipe(&database).await;
    let log_arg = log.to_str().unwrap();
    let (code, said) = run(&["insights", "rebuild", "--from", log_arg], &env);
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("rebuilt the insights of 0 days") && said.contains("left out"), "{said}");
    assert_ne!(counters(&database).await, live, "nothing written");

    // The rebuild gives the live figures, and a second one the same.
    for _ in 0..2 {
        let (code, said) = run(&["insights", "rebuild", "--from", log_arg, "--today"], &env);
        assert_eq!(code, 0, "{said}");
        assert!(said.contains("rebuilt the insights of 1 day"), "{said}");
        assert!(said.contains("13 sessions") && said.contains("3 orders"), "{said}");
        assert_eq!(counters(&database).await, live);
    }

    // From an export of the log (every type, gzipped by day), the same.
    wipe(&database).await;
    let export = data.path().join("export");
    let today = time::OffsetDateTime::now_utc().date();
    let (from, to) = (today.previous_day().unwrap().to_string(), today.next_day().unwrap().to_string());
    let (code, said) = run(
        &[
            "export",
            "--file",
            log_arg,
            "--since",
            &from,
            "--until",
            &to,
            "--out",
            export.to_str().unwrap(),
            "--all-types",
        ],
        &[],
    );
    assert_eq!(code, 0, "{said}");
    let (code, said) = run(&["insights", "rebuild", "--from", export.to_str().unwrap(), "--today"], &env);
    assert_eq!(code, 0, "{said}");
    assert_eq!(counters(&database).await, live);
    assert!(Path::new(&export).join("business").is_dir());
    athena_queries_give_the_live_figures(&export, &database).await;

    // An export of the clickstream alone is refused: it holds no orders or pages.
    let clickstream = data.path().join("clickstream-only");
    let (code, said) = run(
        &["export", "--file", log_arg, "--since", &from, "--until", &to, "--out", clickstream.to_str().unwrap()],
        &[],
    );
    assert_eq!(code, 0, "{said}");
    let (code, said) = run(&["insights", "rebuild", "--from", clickstream.to_str().unwrap(), "--today"], &env);
    assert_eq!(code, 1, "{said}");
    assert!(said.contains("clickstream lines only"), "{said}");
    assert_eq!(counters(&database).await, live, "nothing written");
}

/// The template's Athena table and saved queries, run by DuckDB over `export`
/// (`deploy/aws/athena_check.py`), give the insights' figures: the funnel, each
/// product's views and adds, and the orders with their moves and money.
async fn athena_queries_give_the_live_figures(export: &Path, database: &str) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/aws/athena_check.py");
    let Ok(output) = Command::new("python3").arg(&script).arg(export).output() else {
        return missing("python3", "the Athena queries' check");
    };
    let said = String::from_utf8_lossy(&output.stderr);
    if said.contains("No module named 'duckdb'") {
        return missing("DuckDB for Python", "the Athena queries' check");
    }
    assert!(output.status.success(), "{said}");
    // Where DuckDB's SQL is not Athena's, said.
    assert!(said.contains("is DuckDB's strftime") && said.contains("is DuckDB's generate_series"), "{said}");
    let ran: Value = serde_json::from_slice(&output.stdout).unwrap();

    let db = sqlx::AnyPool::connect(database).await.unwrap();
    let furthest: Vec<(i64,)> = sqlx::query_as("SELECT furthest FROM insight_sessions").fetch_all(&db).await.unwrap();
    let funnel: Vec<Value> = (1..=5)
        .map(|step| json!({"step": step, "sessions": furthest.iter().filter(|(f,)| *f >= step).count()}))
        .collect();
    assert_eq!(ran["Funnel, last 7 days"], json!(funnel));

    let products: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT product_id, CAST(SUM(views) AS BIGINT), CAST(SUM(adds) AS BIGINT) FROM insight_products \
         GROUP BY product_id",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    let live: BTreeMap<String, (i64, i64)> = products.into_iter().map(|(p, v, a)| (p, (v, a))).collect();
    let queried: BTreeMap<String, (i64, i64)> = ran["Top products, last 7 days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (r["productid"].as_str().unwrap().to_owned(), (r["views"].as_i64().unwrap(), r["adds"].as_i64().unwrap()))
        })
        .collect();
    assert_eq!(queried, live);
    assert!(!live.is_empty());

    // Athena's days are UTC's, the insights' the shop's: the sums are compared.
    let (orders, revenue, delivered, cash, cancelled, returned): (i64, i64, i64, i64, i64, i64) = sqlx::query_as(
        "SELECT CAST(SUM(orders) AS BIGINT), CAST(SUM(revenue_cents) AS BIGINT), CAST(SUM(delivered) AS BIGINT), \
         CAST(SUM(delivered_cents) AS BIGINT), CAST(SUM(cancelled) AS BIGINT), CAST(SUM(returned) AS BIGINT) \
         FROM insight_orders",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    let days = ran["Orders by day, last 30 days"].as_array().unwrap();
    let sum = |key: &str| days.iter().map(|d| d[key].as_f64().unwrap()).sum::<f64>();
    // The shop's currency is the đồng, which has no minor unit: units are cents.
    assert_eq!(
        [sum("orders"), sum("revenue"), sum("delivered"), sum("cash_collected"), sum("cancelled"), sum("returned")],
        [orders, revenue, delivered, cash, cancelled, returned].map(|n| n as f64)
    );
    assert_eq!((orders, delivered, cancelled, returned), (3, 1, 1, 1));
    db.close().await;
}
