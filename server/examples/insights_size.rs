//! How big the insights tables grow: 10,000 shoppers' sessions (by default) with a
//! shop's usual mix of steps, counted through the same writer as the server's,
//! then each table's rows and bytes, and how long the 30-day report takes. Run by `bench/insights-size.sh`.
//!
//! `DATABASE_URL` picks the database (a fresh SQLite file in a temporary directory
//! by default; a PostgreSQL database of its own otherwise, which it fills: use an
//! empty one). `SESSIONS` and `DAYS` (over how many days the sessions came) change
//! the mix's size.

use jewelry_server::config::Settings;
use jewelry_server::insights::{Insights, ShopDays};
use serde_json::json;
use time::OffsetDateTime;

const PRODUCTS: usize = 40;

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let sessions = env_number("SESSIONS", 10_000);
    let days = env_number("DAYS", 1).max(1);
    let dir = tempfile::tempdir()?;
    let mut settings = Settings { data_dir: dir.path().to_path_buf(), ..Settings::default() };
    if let Ok(url) = std::env::var("DATABASE_URL") {
        settings.database_url = Some(url.into());
    }
    let sqlite = settings.is_sqlite();
    let pool = jewelry_server::db::connect(&settings.database(), None).await?;
    let insights = Insights::start(pool.clone(), ShopDays::utc(), 400);
    let now = OffsetDateTime::now_utc();
    let mut events = 0usize;
    let mut rng = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move |n: u64| {
        // xorshift: the same mix on every run.
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng % n
    };
    for i in 0..sessions {
        // Sessions spread over `days` days, each counted on its own day.
        let at = now - time::Duration::days((i % days) as i64);
        let (client, session) = (uuid::Uuid::new_v4().to_string(), uuid::Uuid::new_v4().to_string());
        let event = |name: &str, product: Option<usize>| {
            let mut e = json!({
                "eventId": uuid::Uuid::new_v4().to_string(), "eventName": name,
                "eventTimestamp": now.format(&time::format_description::well_known::Rfc3339).unwrap(),
                "clientId": client, "sessionId": session, "urlPath": "/",
            });
            if let Some(p) = product {
                e["product"] = json!({"productId": format!("product-{p:02}"), "quantity": 1});
            }
            if name == "checkout_start" {
                e["cart"] = json!({"items": [{"productId": "product-00", "quantity": 1, "price": 100}], "value": 100, "currency": "USD"});
            }
            if name == "checkout_complete" {
                e["order"] = json!({"orderId": format!("order-{i}"), "value": 100, "currency": "USD"});
            }
            e
        };
        // Every session views 1 to 3 pages; 60% view products (1 to 4), 15% add
        // one to the cart, 6% start checking out, 3% complete.
        let mut batch: Vec<_> = (0..1 + next(3)).map(|_| event("page_view", None)).collect();
        if next(100) < 60 {
            batch.extend((0..1 + next(4)).map(|_| event("product_view", Some(next(PRODUCTS as u64) as usize))));
            let roll = next(100);
            if roll < 25 {
                batch.push(event("add_to_cart", Some(next(PRODUCTS as u64) as usize)));
            }
            if roll < 10 {
                batch.push(event("checkout_start", None));
            }
            if roll < 5 {
                batch.push(event("checkout_complete", None));
            }
        }
        events += batch.len();
        let body = json!({ "events": batch }).to_string();
        let parsed: Vec<_> = jewelry::events::parse_body(body.as_bytes(), now)?
            .into_iter()
            .collect::<Result<_, _>>()
            .map_err(|r| anyhow::anyhow!("{r:?}"))?;
        insights.record(&parsed, &[], at);
        if i % 500 == 499 {
            insights.flush().await;
        }
    }
    insights.flush().await;
    // What opening the page costs with these rows: the report for 30 days, best of 5.
    let mut fastest = std::time::Duration::MAX;
    for _ in 0..5 {
        let started = std::time::Instant::now();
        insights.report(jewelry::insights::Range::Month).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
        fastest = fastest.min(started.elapsed());
    }
    println!(
        "{} sessions, {events} events, over {days} day(s), on {}",
        sessions,
        if sqlite { "SQLite" } else { "PostgreSQL" }
    );
    println!("{:<18} {:>9} {:>12} {:>14}", "table", "rows", "bytes", "bytes/session");
    for table in ["insight_events", "insight_sessions", "insight_products", "insight_orders"] {
        let (rows,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&pool).await?;
        let bytes: i64 = if sqlite {
            // The table's pages and its indexes' (the sqlite_autoindex ones too).
            sqlx::query_as::<_, (i64,)>(
                "SELECT CAST(SUM(pgsize) AS BIGINT) FROM dbstat WHERE name = $1 OR name IN \
                 (SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = $1)",
            )
            .bind(table)
            .fetch_one(&pool)
            .await?
            .0
        } else {
            sqlx::query_as::<_, (i64,)>("SELECT pg_total_relation_size($1::regclass)")
                .bind(table)
                .fetch_one(&pool)
                .await?
                .0
        };
        println!("{table:<18} {rows:>9} {bytes:>12} {:>14.1}", bytes as f64 / sessions as f64);
    }
    println!("the 30-day report: {:.2} ms (best of 5)", fastest.as_secs_f64() * 1000.0);
    Ok(())
}
