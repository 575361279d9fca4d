//! A signed-in shopper's own data: downloaded as JSON, or the account deleted with
//! the orders kept for the books, their personal fields erased.

use crate::auth::{ADMIN, SHOPPER};
use crate::helpers::{SHIPPING, TestApp, spawn_app, uuid};
use serde_json::Value;

/// A shopper signed in (in `app`'s own browser) who placed an order: its id and total.
async fn shopper_with_an_order(app: &TestApp) -> (String, i64) {
    assert_eq!(app.sign_in(SHOPPER, "/account").await.status(), 303);
    app.call_json("cart/add", &[("product_id", "northern-hoops"), ("quantity", "2")]).await;
    let placed = app.call_json("checkout", SHIPPING).await;
    let order_id = placed["Placed"]["order_id"].as_str().expect("an order").to_owned();
    (order_id, placed["Placed"]["total"].as_i64().unwrap())
}

#[tokio::test]
async fn a_shopper_downloads_their_account_orders_and_consent_choices_as_json() {
    let app = spawn_app().await;
    let (order_id, total) = shopper_with_an_order(&app).await;
    let client_id = uuid();
    for form in [
        vec![("choice", "accepted"), ("source", "banner"), ("clientId", client_id.as_str())],
        vec![("choice", "withdrawn"), ("source", "privacy_page")],
    ] {
        assert_eq!(app.client.post(app.url("/consent")).form(&form).send().await.unwrap().status(), 303);
    }
    let response = app.client.get(app.url("/account/data")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let disposition = response.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert!(disposition.starts_with("attachment; filename=\"lumen-jewelry-my-data-"), "{disposition}");
    assert_eq!(response.headers()["cache-control"], "no-store");
    let data: Value = response.json().await.unwrap();
    assert_eq!(data["account"]["username"], "shopper");
    assert_eq!(data["account"]["identityProvider"], "dev");
    let sub = data["account"]["userId"].as_str().unwrap().to_owned();
    let orders = data["orders"].as_array().unwrap();
    assert_eq!(orders.len(), 1);
    let order = &orders[0];
    assert_eq!(order["orderId"], order_id.as_str());
    assert_eq!(
        (&order["fullName"], &order["email"]),
        (&Value::from("Nguyễn Thị Ada"), &Value::from("ada@example.com"))
    );
    assert_eq!(order["phone"], "090 123 4567");
    assert_eq!(order["total"].as_f64(), Some(total as f64), "đồng have no minor unit");
    assert_eq!(order["lines"][0]["productId"], "northern-hoops");
    assert_eq!(order["lines"][0]["quantity"], 2);
    let choices: Vec<(&str, &str)> = data["consentRecords"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["choice"].as_str().unwrap(), r["source"].as_str().unwrap()))
        .collect();
    assert_eq!(choices, [("accepted", "banner"), ("withdrawn", "privacy_page")]);
    assert_eq!(data["consentRecords"][0]["clientId"], client_id.as_str());
    // Logged, naming the account and nothing personal.
    let line = app.lines_of("crud").into_iter().find(|l| l["entity"] == "account").expect("a crud line");
    assert_eq!(
        (&line["action"], &line["entityId"], &line["actorId"]),
        (&Value::from("export"), &Value::from(sub.as_str()), &Value::from(sub.as_str()))
    );
    let log = app.raw_log();
    for personal in ["ada@example.com", "Nguyễn Thị Ada", "090 123 4567", "Hàng Bạc"] {
        assert!(!log.contains(personal), "the log holds {personal}");
    }
    // A guest has no data to download.
    let guest = reqwest::Client::new().get(app.url("/account/data")).send().await.unwrap();
    assert_eq!(guest.status(), 401);
    assert_eq!(guest.json::<Value>().await.unwrap()["code"], "sign_in_required");
}

#[tokio::test]
async fn deleting_an_account_erases_the_orders_personal_fields_and_keeps_their_totals_in_the_insights() {
    let app = spawn_app().await;
    let (order_id, total) = shopper_with_an_order(&app).await;
    let admin = app.other_browser_signed_in(ADMIN).await;
    let insights = |admin: reqwest::Client| {
        let url = app.url("/api/admin/insights");
        async move {
            let report: Value = admin.post(url).form(&[("range", "today")]).send().await.unwrap().json().await.unwrap();
            let days = report["days"].as_array().unwrap().clone();
            let orders: u64 = days.iter().map(|d| d["orders"].as_u64().unwrap()).sum();
            let revenue: i64 = days.iter().map(|d| d["revenue"].as_i64().unwrap()).sum();
            (orders, revenue)
        }
    };
    let before = insights(admin.clone()).await;
    assert!(before.0 >= 1 && before.1 >= total, "{before:?}");

    // Not without saying so.
    let unconfirmed = app.client.post(app.url("/account/delete")).form(&[("x", "y")]).send().await.unwrap();
    assert_eq!(unconfirmed.status(), 400);
    assert_eq!(unconfirmed.json::<Value>().await.unwrap()["code"], "invalid_field");
    let outbox = |pool: sqlx::AnyPool, order_id: String| async move {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM email_outbox WHERE order_id = $1")
            .bind(&order_id)
            .fetch_one(&pool)
            .await
            .unwrap();
        n
    };
    let before_delete = sqlx::AnyPool::connect(&app.database_url).await.unwrap();
    assert_eq!(outbox(before_delete, order_id.clone()).await, 1, "the order's confirmation email");
    let deleted = app.client.post(app.url("/account/delete")).form(&[("confirm", "yes")]).send().await.unwrap();
    assert_eq!(deleted.status(), 303);
    assert_eq!(deleted.headers()["location"], "/?account=deleted");
    let cleared = deleted.headers().get_all("set-cookie").iter().any(|c| c.to_str().unwrap().contains("Max-Age=0"));
    assert!(cleared, "signed out");

    // The order is kept, its customer's details gone.
    let pool = sqlx::AnyPool::connect(&app.database_url).await.unwrap();
    let (email, name, phone, address, city, user, erased, kept_total): (
        String,
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        i64,
    ) = sqlx::query_as(
        "SELECT email, full_name, phone, address_line1, city, user_id, personal_data_erased_at, total_cents \
         FROM orders WHERE id = $1",
    )
    .bind(&order_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (email, name, phone, address, city, user),
        (String::new(), String::new(), String::new(), String::new(), String::new(), None)
    );
    assert!(erased.is_some());
    assert_eq!(kept_total, total, "the books keep the order");
    let lines: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM order_lines WHERE order_id = $1")
        .bind(&order_id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(lines > 0);
    assert_eq!(outbox(pool.clone(), order_id.clone()).await, 0, "its emails, which hold the address, are gone too");
    // The account is gone: it cannot sign in, and has no data to download.
    let again = app.sign_in(SHOPPER, "/").await;
    assert!(again.headers()["location"].to_str().unwrap().contains("error=invalid"));
    assert_eq!(app.client.get(app.url("/account/data")).send().await.unwrap().status(), 401);
    assert_eq!(insights(admin).await, before, "the insights keep the order and its total");
    let line = app.lines_of("crud").into_iter().find(|l| l["entity"] == "account").expect("a crud line");
    assert_eq!(line["action"], "delete");
    assert!(!app.raw_log().contains("ada@example.com"));
}
