//! The cart and checkout through the server functions the pages call.

use crate::helpers::*;
use serde_json::{Value, json};

#[tokio::test]
async fn adding_to_the_cart_sets_a_lasting_httponly_cookie_and_fills_the_cart() {
    let app = spawn_app().await;
    let response = app.call("cart/add", &[("product_id", "ember-ruby-band"), ("quantity", "2")]).await;
    assert_eq!(response.status(), 200);
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("jw_cart="), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"), "{cookie}");
    assert!(cookie.contains("Max-Age=7776000"), "90 days, so the cart survives a browser restart: {cookie}");
    let added: Value = response.json().await.unwrap();
    assert_eq!(added["added"], 2);
    assert_eq!(added["product"]["name"], json!({"vi": "Nhẫn Ember hồng ngọc", "en": "Ember Ruby Band"}));
    assert_eq!(added["product"]["discount_price"], 18_725_000, "the catalog's price, in đồng");
    assert_eq!(added["cart_item_count"], 2);

    app.call_json("cart/add", &[("product_id", "northern-hoops"), ("quantity", "1")]).await;
    let cart = app.call_json("cart", &[]).await;
    let lines = cart["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["product"]["id"], "ember-ruby-band");
    assert_eq!(lines[0]["quantity"], 2);
    // The header's badge reads the pieces in the cart: 2 + 1.
    assert_eq!(app.call_json("cart/count", &[]).await, json!(3));

    // The cart page, rendered for the same cookie, shows the subtotal: 2 × 749 + 120.
    let (_, html) = app.get_html("/cart").await;
    assert!(html.contains("₫40,450,000"), "subtotal on the cart page");
}

#[tokio::test]
async fn a_new_browser_has_an_empty_cart() {
    let app = spawn_app().await;
    app.call_json("cart/add", &[("product_id", "ember-ruby-band"), ("quantity", "1")]).await;
    let stranger = reqwest::Client::new();
    let cart = app.call_json_from(&stranger, "cart", &[]).await;
    assert_eq!(cart["lines"].as_array().unwrap().len(), 0);
    let count = app.call_json_from(&stranger, "cart/count", &[]).await;
    assert_eq!(count, json!(0), "the badge of a browser without a cart");
}

#[tokio::test]
async fn quantities_are_bounded_by_stock_and_the_per_piece_limit() {
    let app = spawn_app().await;
    // verdant-emerald-ring has 3 in stock.
    app.call_json("cart/add", &[("product_id", "verdant-emerald-ring"), ("quantity", "2")]).await;
    let refused = app.call("cart/add", &[("product_id", "verdant-emerald-ring"), ("quantity", "2")]).await;
    assert_eq!(refused.status(), 409, "a refusal is a conflict with the stock, not a failure");
    let error: Value = refused.json().await.unwrap();
    assert_eq!(error["Refused"], json!({"code": "not_enough_left", "left": 3, "held": 2}));

    let sold_out: Value =
        app.call("cart/add", &[("product_id", "pearl-signet-ring"), ("quantity", "1")]).await.json().await.unwrap();
    assert_eq!(
        sold_out["Refused"],
        json!({"code": "sold_out", "name": {"vi": "Nhẫn signet ngọc trai", "en": "Pearl Signet Ring"}})
    );

    let too_many: Value =
        app.call("cart/add", &[("product_id", "northern-hoops"), ("quantity", "11")]).await.json().await.unwrap();
    assert_eq!(too_many["Refused"], json!({"code": "quantity_out_of_range"}));

    let missing: Value =
        app.call("cart/add", &[("product_id", "no-such-piece"), ("quantity", "1")]).await.json().await.unwrap();
    assert_eq!(missing["Refused"], json!({"code": "no_longer_available"}));

    let cart = app.call_json("cart/update", &[("variant_id", "verdant-emerald-ring"), ("quantity", "3")]).await;
    assert_eq!(cart["lines"][0]["quantity"], 3);
    let over: Value = app
        .call("cart/update", &[("variant_id", "verdant-emerald-ring"), ("quantity", "4")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        over["Refused"],
        json!({"code": "not_enough_of", "left": 3, "name": {"vi": "Nhẫn cocktail Verdant ngọc lục bảo", "en": "Verdant Emerald Cocktail Ring"}})
    );
    let cart = app.call_json("cart/remove", &[("variant_id", "verdant-emerald-ring")]).await;
    assert!(cart["lines"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn checkout_refuses_bad_details_field_by_field() {
    let app = spawn_app().await;
    app.call_json("cart/add", &[("product_id", "northern-hoops"), ("quantity", "1")]).await;
    let mut form: Vec<(&str, &str)> = SHIPPING.to_vec();
    form.retain(|(k, _)| *k != "input[email]" && *k != "input[postal_code]");
    form.push(("input[email]", "not-an-email"));
    form.push(("input[postal_code]", "<>"));
    let outcome = app.call_json("checkout", &form).await;
    let errors = outcome["Invalid"].as_object().expect("field errors");
    let mut fields: Vec<&String> = errors.keys().collect();
    fields.sort();
    assert_eq!(fields, ["email", "postal_code"]);
    assert_eq!(app.call_json("cart", &[]).await["lines"].as_array().unwrap().len(), 1, "nothing ordered");
    assert!(app.lines_of("business").is_empty());
}

#[tokio::test]
async fn placing_an_order_prices_it_from_the_catalog_takes_stock_and_empties_the_cart() {
    let app = spawn_app().await;
    let before = stock_of(&app, "ember-ruby-band").await;
    app.call_json("cart/add", &[("product_id", "ember-ruby-band"), ("quantity", "2")]).await;
    app.call_json("cart/add", &[("product_id", "azure-sapphire-studs"), ("quantity", "1")]).await;

    let outcome = app.call_json("checkout", SHIPPING).await;
    let placed = &outcome["Placed"];
    let order_id = placed["order_id"].as_str().expect("an order id").to_owned();
    assert!(order_id.starts_with("JW-") && order_id.len() == 13, "{order_id}");
    // 2 × 18,725,000 ₫ (sale) + 24,500,000 ₫, from the database, whatever a page showed.
    assert_eq!(placed["total"], 61_950_000);
    assert_eq!(placed["currency"], "VND");
    assert_eq!(placed["item_count"], 3);

    assert_eq!(stock_of(&app, "ember-ruby-band").await, before - 2);
    assert!(app.call_json("cart", &[]).await["lines"].as_array().unwrap().is_empty(), "the cart is emptied");

    let order = app.call_json("order", &[("id", &order_id)]).await;
    assert_eq!(order["id"], order_id.as_str());
    assert_eq!(order["lines"].as_array().unwrap().len(), 2);
    assert_eq!(order["lines"][0]["unit_price"], 18_725_000);
    assert_eq!(order["total"], 61_950_000);
    assert_eq!(order["payment_method"], "cash_on_delivery");
    assert_eq!(order["address"], serde_json::json!(["12 Hàng Bạc", "Phường Hoàn Kiếm", "Hà Nội", "Vietnam"]));

    let (status, html) = app.get_html(&format!("/orders/{order_id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains(&order_id) && html.contains("₫61,950,000"));

    let stranger = reqwest::Client::new();
    let elsewhere = stranger.get(app.url(&format!("/orders/{order_id}"))).send().await.unwrap();
    assert_eq!(elsewhere.status(), 404, "another browser cannot read the order");

    let business = app.lines_of("business");
    assert_eq!(business.len(), 1);
    assert_eq!(business[0]["action"], "order_placed");
    assert_eq!(business[0]["orderId"], order_id.as_str());
    assert_eq!(business[0]["orderValue"], 61_950_000.0);
    assert_eq!(business[0]["itemCount"], 3);
    // Each variant sold, so the insights' units sold can be counted again from the log.
    assert_eq!(
        business[0]["items"],
        serde_json::json!([
            {"productId": "ember-ruby-band", "variantId": "ember-ruby-band", "sku": "EMBER-RUBY-BAND", "quantity": 2, "unitPrice": 18_725_000.0},
            {"productId": "azure-sapphire-studs", "variantId": "azure-sapphire-studs", "sku": "AZURE-SAPPHIRE-STUDS", "quantity": 1, "unitPrice": 24_500_000.0},
        ])
    );
    assert!(!app.raw_log().contains("ada@example.com"), "no personal details in the logs");
}

#[tokio::test]
async fn checkout_with_an_empty_cart_orders_nothing() {
    let app = spawn_app().await;
    assert!(app.call_json("checkout", SHIPPING).await == "EmptyCart");
    app.call_json("cart/add", &[("product_id", "northern-hoops"), ("quantity", "1")]).await;
    app.call_json("checkout", SHIPPING).await;
    assert_eq!(app.call_json("checkout", SHIPPING).await, Value::from("EmptyCart"), "an order is placed once");
    assert_eq!(app.lines_of("business").len(), 1);
}

#[tokio::test]
async fn stock_sold_elsewhere_stops_the_checkout_without_taking_anything() {
    let app = spawn_app().await;
    // riviera-tennis-bracelet has 2 in stock: this shopper holds 2, another buys 1 first.
    app.call_json("cart/add", &[("product_id", "riviera-tennis-bracelet"), ("quantity", "2")]).await;
    let other = spawn_client();
    let added = other
        .post(app.url("/api/cart/add"))
        .form(&[("product_id", "riviera-tennis-bracelet"), ("quantity", "1")])
        .send()
        .await
        .unwrap();
    assert!(added.status().is_success());
    let placed: Value = other.post(app.url("/api/checkout")).form(SHIPPING).send().await.unwrap().json().await.unwrap();
    assert!(placed.get("Placed").is_some(), "{placed}");

    let outcome = app.call_json("checkout", SHIPPING).await;
    let message = outcome["StockChanged"].as_str().expect("stock changed");
    assert!(message.contains("Only 1 of Riviera Tennis Bracelet left"), "{message}");
    assert_eq!(stock_of(&app, "riviera-tennis-bracelet").await, 1);
    assert_eq!(app.call_json("cart", &[]).await["lines"][0]["quantity"], 2, "the cart is left as it was");
}

fn spawn_client() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).build().unwrap()
}

#[tokio::test]
async fn a_plain_form_post_without_javascript_lands_on_the_confirmation() {
    let app = spawn_app().await;
    app.call_json("cart/add", &[("product_id", "northern-hoops"), ("quantity", "1")]).await;
    let response = app
        .client
        .post(app.url("/api/checkout"))
        .header("Accept", "text/html,application/xhtml+xml")
        .header("Referer", app.url("/checkout"))
        .form(SHIPPING)
        .send()
        .await
        .unwrap();
    assert!(response.status().is_redirection(), "{}", response.status());
    let location = response.headers()["location"].to_str().unwrap();
    assert!(location.starts_with("/orders/JW-"), "{location}");
}
