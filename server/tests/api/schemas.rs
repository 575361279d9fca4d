//! The machine-readable contract in `schemas/` and the implementation agree.

use crate::helpers::*;
use serde_json::{Value, json};

pub fn schema(name: &str) -> jsonschema::Validator {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let value: Value = serde_json::from_str(&text).expect("a schema is JSON");
    jsonschema::validator_for(&value).expect("a valid JSON Schema")
}

pub fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator.iter_errors(instance).map(|e| format!("{} at {}", e, e.instance_path)).collect()
}

fn with(mut event: Value, pointer: &str, value: Value) -> Value {
    *event.pointer_mut(pointer).unwrap_or_else(|| panic!("{pointer}")) = value;
    event
}

fn without(mut event: Value, key: &str) -> Value {
    event.as_object_mut().unwrap().remove(key);
    event
}

/// Events the schema and the server must judge alike.
fn cases() -> Vec<(&'static str, Value)> {
    let mut add_without_quantity = product_event("add_to_cart");
    add_without_quantity["product"].as_object_mut().unwrap().remove("quantity");
    let mut with_user = page_view();
    with_user["userId"] = json!("u-1");
    vec![
        ("page_view", page_view()),
        ("product_view", product_event("product_view")),
        ("add_to_cart", product_event("add_to_cart")),
        ("checkout_start", checkout_start()),
        ("checkout_complete", checkout_complete()),
        ("unknown name", with(page_view(), "/eventName", json!("purchase"))),
        ("identity from the client", with_user),
        ("no eventId", without(page_view(), "eventId")),
        ("eventId not a uuid", with(page_view(), "/eventId", json!("abc"))),
        ("timestamp without offset", with(page_view(), "/eventTimestamp", json!("2026-11-26T10:00:00"))),
        ("relative urlPath", with(page_view(), "/urlPath", json!("catalog"))),
        ("product_view without product", with(page_view(), "/eventName", json!("product_view"))),
        ("add_to_cart without quantity", add_without_quantity),
        ("quantity 0", with(product_event("add_to_cart"), "/product/quantity", json!(0))),
        ("quantity 1000", with(product_event("add_to_cart"), "/product/quantity", json!(1000))),
        ("negative price", with(product_event("product_view"), "/product/price", json!(-1))),
        ("lowercase currency", with(product_event("product_view"), "/product/currency", json!("usd"))),
        ("long productId", with(product_event("product_view"), "/product/productId", json!("p".repeat(65)))),
        ("checkout_start without cart", without(checkout_start(), "cart")),
        ("empty cart", with(checkout_start(), "/cart/items", json!([]))),
        ("checkout_complete without order", without(checkout_complete(), "order")),
        ("order without id", with(checkout_complete(), "/order/orderId", json!(""))),
        ("referrer null", with(page_view(), "/referrer", Value::Null)),
    ]
}

#[tokio::test]
async fn the_request_schema_and_the_server_judge_every_case_alike() {
    let app = spawn_app().await;
    let request_schema = schema("events-request.schema.json");
    for (name, event) in cases() {
        let body = json!({ "events": [event] });
        let schema_accepts = request_schema.is_valid(&body);
        let response = app.post_events(&body).await;
        let report: Value = response.json().await.unwrap();
        let server_accepts = report["accepted"] == 1;
        assert_eq!(
            schema_accepts,
            server_accepts,
            "{name}: schema says {:?}, server says {report}",
            errors(&request_schema, &body)
        );
        // The single-event shape too.
        assert_eq!(request_schema.is_valid(&body["events"][0]), schema_accepts, "{name} as a single event");
    }
    assert!(!request_schema.is_valid(&json!({"events": []})));
    assert!(!request_schema.is_valid(&json!({"events": (0..51).map(|_| page_view()).collect::<Vec<_>>()})));
    assert!(!request_schema.is_valid(&json!({"events": [page_view()], "eventName": "page_view"})));
}

#[tokio::test]
async fn every_line_the_server_writes_matches_the_log_line_schema() {
    let app = spawn_app().await;
    let line_schema = schema("log-line.schema.json");
    // Accepted events of all five kinds, refused ones, pages, and an order.
    let mut bad = page_view();
    bad["eventName"] = json!("purchase");
    let mut batch = all_five();
    batch.push(bad);
    assert_eq!(app.post_events(&json!({ "events": batch })).await.status(), 200);
    app.get_html("/").await;
    app.get_html("/catalog?category=rings").await;
    app.call_json("cart/add", &[("product_id", "northern-hoops"), ("quantity", "1")]).await;
    let placed = app.call_json("checkout", SHIPPING).await;
    let order_id = placed["Placed"]["order_id"].as_str().expect("an order placed").to_owned();
    // Sign-in lines of every kind.
    app.sign_in(("shopper", "not-the-password"), "/").await;
    app.sign_in(crate::auth::ADMIN, "/").await;
    // The order desk's moves: confirmed, then cancelled (its stock back).
    for (version, to) in [("1", "confirmed"), ("2", "cancelled")] {
        let moved = app
            .call_json(
                "admin/order/move",
                &[
                    ("input[order_id]", &order_id),
                    ("input[version]", version),
                    ("input[to]", to),
                    ("input[note]", "Asked"),
                ],
            )
            .await;
        assert_eq!(moved["Moved"]["status"], to, "{moved}");
    }
    let version = app.call_json("admin/product", &[("id", "northern-hoops")]).await["version"].to_string();
    app.call_json("admin/product/archive", &[("id", "northern-hoops"), ("version", &version), ("archived", "true")])
        .await;
    // Uploads: one attached, one refused.
    app.upload_png("northern-hoops", "Northern hoops").await;
    assert!(app.presign("northern-hoops", "image/gif", 10).await.is_err());
    app.post_events_raw(
        "application/json",
        json!({"events": [page_view()]}).to_string(),
        &[("Cookie", "jw_id=forged")],
    )
    .await;
    app.client.post(app.url("/auth/logout")).send().await.unwrap();
    // Consent choices of every kind, Global Privacy Control's among them.
    let (client_id, session_id) = (crate::helpers::uuid(), crate::helpers::uuid());
    for form in [
        vec![("choice", "accepted"), ("source", "banner"), ("clientId", &client_id), ("sessionId", &session_id)],
        vec![("choice", "refused"), ("source", "privacy_page")],
        vec![("choice", "withdrawn"), ("source", "privacy_page")],
    ] {
        app.client.post(app.url("/consent")).form(&form).send().await.unwrap();
    }
    let gpc = reqwest::Client::new()
        .get(app.url("/"))
        .header("Accept", "text/html")
        .header("Sec-GPC", "1")
        .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0");
    gpc.send().await.unwrap();

    let lines = app.lines();
    for log_type in ["clickstream", "clickstream_rejected", "request", "business", "auth", "crud", "upload", "consent"]
    {
        assert!(lines.iter().any(|l| l["logType"] == log_type), "no {log_type} line to check");
    }
    for line in &lines {
        let problems = errors(&line_schema, line);
        assert!(problems.is_empty(), "{line}\n{problems:#?}");
    }
}

#[test]
fn the_log_line_schema_refuses_a_clickstream_line_missing_a_key() {
    let line_schema = schema("log-line.schema.json");
    let mut line = json!({
        "timestamp": "2026-11-26T10:00:00.000Z", "level": "INFO", "logType": "clickstream",
        "eventId": "0b6f2c1e-8a4d-4f7e-9c3b-2d1e5f6a7b8c", "eventName": "page_view",
        "eventTimestamp": "2026-11-26T09:59:59Z", "userId": null,
        "clientId": "11111111-2222-4333-8444-555555555555", "sessionId": "66666666-7777-4888-9999-aaaaaaaaaaaa",
        "userLoginState": "guest", "identitySource": "guest",
        "productId": null, "variantId": null, "sku": null, "name": null, "category": null, "brand": null,
        "price": null, "discountPrice": null,
        "quantity": null, "currency": null, "urlPath": "/", "referrer": null, "locale": "vi",
        "utmSource": "zalo", "utmMedium": "social", "utmCampaign": "tet2027", "utmTerm": null, "utmContent": null,
        "referrerHost": null,
        "cartValue": null, "cartItemCount": null, "items": null, "orderId": null, "orderValue": null,
        "path": "/events", "method": "POST", "statusCode": 200, "latencyMs": 0.3,
        "userAgent": null, "isBot": true, "sourceIp": "127.0.0.1", "requestId": "0b6f2c1e-8a4d-4f7e-9c3b-2d1e5f6a7b8d"
    });
    assert!(line_schema.is_valid(&line), "{:?}", errors(&line_schema, &line));
    line.as_object_mut().unwrap().remove("brand");
    assert!(!line_schema.is_valid(&line), "a missing key is caught");
}
