use crate::helpers::*;
use serde_json::{Value, json};

#[tokio::test]
async fn a_batch_of_the_five_events_is_logged_once_each_with_every_contract_key() {
    let app = spawn_app().await;
    let mut events = all_five();
    // An older page's event, without the page's language.
    events[1].as_object_mut().unwrap().remove("locale");
    let response = app.post_events(&json!({ "events": events })).await;
    assert_eq!(response.status(), 200);
    let request_id = response.headers()["x-request-id"].to_str().unwrap().to_owned();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body, json!({"accepted": 5, "duplicates": 0, "rejected": []}));

    let lines = app.lines_of("clickstream");
    assert_eq!(lines.len(), 5);
    for (line, sent) in lines.iter().zip(&events) {
        for key in CLICKSTREAM_KEYS {
            assert!(line.get(*key).is_some(), "`{key}` missing from {line}");
        }
        assert_eq!(line["eventId"], sent["eventId"]);
        assert_eq!(line["eventName"], sent["eventName"]);
        assert_eq!(line["eventTimestamp"], sent["eventTimestamp"]);
        assert_eq!(line["clientId"], CLIENT_ID);
        assert_eq!(line["sessionId"], SESSION_ID);
        assert_eq!(line["urlPath"], sent["urlPath"]);
        assert_eq!(line["level"], "INFO");
        assert_eq!(line["userId"], Value::Null);
        assert_eq!(line["userLoginState"], "guest");
        assert_eq!(line["identitySource"], "guest");
        assert_eq!(line["path"], "/events");
        assert_eq!(line["method"], "POST");
        assert_eq!(line["statusCode"], 200);
        assert!(line["latencyMs"].as_f64().unwrap() >= 0.0);
        assert_eq!(line["userAgent"], "integration-test/1.0");
        assert_eq!(line["sourceIp"], "127.0.0.0", "the shopper's network only");
        assert_eq!(line["requestId"], request_id.as_str());
    }
    let add = &lines[2];
    assert_eq!(add["productId"], "aurora-solitaire-ring");
    assert_eq!(add["name"], "Aurora Solitaire Ring");
    assert_eq!(add["category"], "rings");
    assert_eq!(add["brand"], "Aurelia");
    assert_eq!(add["price"], 2450.0);
    assert_eq!(add["discountPrice"], 2300.0);
    assert_eq!(add["quantity"], 2);
    assert_eq!(add["currency"], "USD");
    assert_eq!((&add["variantId"], &add["sku"]), (&json!("aurora-solitaire-ring"), &json!("AURORA-SOLITAIRE-RING")));
    assert_eq!((&lines[1]["variantId"], &lines[1]["sku"]), (&Value::Null, &Value::Null), "none sent");
    assert_eq!(lines[0]["productId"], Value::Null, "keys that do not apply are null, not absent");
    assert_eq!(lines[0]["items"], Value::Null);
    assert_eq!(lines[0]["referrer"], "https://search.example/");
    assert_eq!(lines[0]["locale"], "vi", "the page's language");
    assert_eq!(lines[1]["locale"], Value::Null, "none sent");
    assert_eq!(lines[3]["cartValue"], 4600.0);
    assert_eq!(lines[3]["cartItemCount"], 1);
    assert_eq!(
        lines[3]["items"],
        json!([{"productId": "aurora-solitaire-ring", "variantId": "aurora-solitaire-ring", "sku": "AURORA-SOLITAIRE-RING", "quantity": 2, "price": 2300.0}])
    );
    let skus: Vec<&Value> = lines[4]["items"].as_array().unwrap().iter().map(|i| &i["sku"]).collect();
    assert_eq!(skus, [&json!("BEB-12-PT"), &json!("BEB-14-PT")], "an order's items, a variant each");
    assert_eq!(lines[4]["orderId"], "JW-0000000042");
    assert_eq!(lines[4]["orderValue"], 4600.0);

    let request_lines = app.lines_of("request");
    let this = request_lines.iter().find(|l| l["requestId"] == request_id.as_str()).expect("a request line");
    assert_eq!(this["statusCode"], 200);
    assert_eq!(this["path"], "/events");
}

#[tokio::test]
async fn a_single_event_object_is_accepted() {
    let app = spawn_app().await;
    let event = product_event("product_view");
    let response = app.post_events(&event).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>().await.unwrap()["accepted"], 1);
    let lines = app.lines_of("clickstream");
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["eventId"], event["eventId"]);
}

#[tokio::test]
async fn a_beacon_body_sent_as_text_plain_is_accepted() {
    let app = spawn_app().await;
    let response =
        app.post_events_raw("text/plain;charset=UTF-8", json!({"events": [page_view()]}).to_string(), &[]).await;
    assert_eq!(response.status(), 200);
    assert_eq!(app.lines_of("clickstream").len(), 1);
}

#[tokio::test]
async fn duplicates_are_counted_not_logged_again() {
    let app = spawn_app().await;
    let batch = json!({"events": [page_view(), product_event("product_view")]});
    assert_eq!(app.post_events(&batch).await.status(), 200);
    let again = app.post_events(&batch).await;
    assert_eq!(again.status(), 200, "a retry of delivered events is not an error");
    assert_eq!(again.json::<Value>().await.unwrap(), json!({"accepted": 0, "duplicates": 2, "rejected": []}));

    let event = page_view();
    let twice_in_one = app.post_events(&json!({"events": [event.clone(), event]})).await;
    assert_eq!(twice_in_one.json::<Value>().await.unwrap(), json!({"accepted": 1, "duplicates": 1, "rejected": []}));
    assert_eq!(app.lines_of("clickstream").len(), 3);
}

#[tokio::test]
async fn identity_is_never_taken_from_the_client() {
    let app = spawn_app().await;
    let mut claims_identity = page_view();
    claims_identity["userId"] = json!("admin-user");
    let mut claims_state = page_view();
    claims_state["userLoginState"] = json!("signed_in");
    claims_state["identitySource"] = json!("cognito");
    let honest = page_view();
    let response = app
        .post_events_raw(
            "application/json",
            json!({"events": [claims_identity, claims_state, honest.clone()]}).to_string(),
            &[("X-User-Id", "admin-user")],
        )
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["accepted"], 1);
    let codes: Vec<&str> = body["rejected"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["unknown_field", "unknown_field"]);

    let lines = app.lines_of("clickstream");
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["eventId"], honest["eventId"]);
    assert_eq!(lines[0]["userId"], Value::Null);
    assert_eq!(lines[0]["userLoginState"], "guest");
    assert!(!app.raw_log().contains("admin-user"), "a claimed identity never reaches the log");
}

#[tokio::test]
async fn rejected_events_are_reported_and_logged_once_never_as_accepted() {
    let app = spawn_app().await;
    let good = page_view();
    let mut unknown_name = page_view();
    unknown_name["eventName"] = json!("purchase");
    let mut no_product = page_view();
    no_product["eventName"] = json!("add_to_cart");
    let mut old = page_view();
    old["eventTimestamp"] = json!("2020-01-01T00:00:00Z");
    let response = app.post_events(&json!({"events": [good.clone(), unknown_name.clone(), no_product, old]})).await;
    assert_eq!(response.status(), 200, "200 while at least one event got in");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["accepted"], 1);
    let rejected = body["rejected"].as_array().unwrap();
    assert_eq!(rejected.len(), 3);
    assert_eq!(rejected[0]["index"], 1);
    assert_eq!(rejected[0]["eventId"], unknown_name["eventId"]);
    assert_eq!(rejected[0]["code"], "unknown_event_name");
    assert!(rejected[0]["message"].as_str().unwrap().contains("purchase"));
    assert_eq!(rejected[1]["code"], "missing_product");
    assert_eq!(rejected[2]["code"], "timestamp_out_of_range");

    let accepted = app.lines_of("clickstream");
    assert_eq!(accepted.len(), 1);
    assert_eq!(accepted[0]["eventId"], good["eventId"]);
    let refused = app.lines_of("clickstream_rejected");
    assert_eq!(refused.len(), 1, "one line per request");
    assert_eq!(refused[0]["rejectedCount"], 3);
    assert_eq!(refused[0]["codes"], "missing_product,timestamp_out_of_range,unknown_event_name");
    assert_eq!(refused[0]["rejected"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn when_every_event_is_rejected_the_answer_is_400_with_the_same_shape() {
    let app = spawn_app().await;
    let mut bad = page_view();
    bad["eventName"] = json!("purchase");
    let response = app.post_events(&json!({"events": [bad]})).await;
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["accepted"], 0);
    assert_eq!(body["duplicates"], 0);
    assert_eq!(body["rejected"][0]["code"], "unknown_event_name");
    assert!(app.lines_of("clickstream").is_empty());
}

#[tokio::test]
async fn malformed_bodies_get_400_malformed_body_and_nothing_is_logged_as_accepted() {
    let app = spawn_app().await;
    for raw in ["{not json", "[]", "{\"events\": []}", "{\"events\": [1]}", "{\"events\": [{}], \"eventId\": \"x\"}"] {
        let response = app.post_events_raw("application/json", raw, &[]).await;
        assert_eq!(response.status(), 400, "{raw}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["code"], "malformed_body", "{raw}");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    assert!(app.lines_of("clickstream").is_empty());
}

#[tokio::test]
async fn more_than_fifty_events_is_too_many() {
    let app = spawn_app().await;
    let events: Vec<Value> = (0..51).map(|_| page_view()).collect();
    let response = app.post_events(&json!({ "events": events })).await;
    assert_eq!(response.status(), 400);
    assert_eq!(response.json::<Value>().await.unwrap()["code"], "too_many_events");
    assert!(app.lines_of("clickstream").is_empty());
}

#[tokio::test]
async fn a_body_over_64_kib_gets_413_and_nothing_is_logged_as_accepted() {
    let app = spawn_app().await;
    let mut event = page_view();
    event["referrer"] = json!("x".repeat(70 * 1024));
    let response = app.post_events(&json!({"events": [event]})).await;
    assert_eq!(response.status(), 413);

    // The same without a Content-Length (chunked): the limit holds while reading.
    let mut big = page_view();
    big["referrer"] = json!("y".repeat(70 * 1024));
    let bytes = json!({"events": [big]}).to_string().into_bytes();
    let stream = futures_stream(bytes);
    let response = app.post_events_raw("application/json", reqwest::Body::wrap_stream(stream), &[]).await;
    assert_eq!(response.status(), 413);
    assert!(app.lines_of("clickstream").is_empty());
}

fn futures_stream(bytes: Vec<u8>) -> impl futures_core::Stream<Item = Result<Vec<u8>, std::io::Error>> {
    struct Chunks(Vec<Vec<u8>>);
    impl futures_core::Stream for Chunks {
        type Item = Result<Vec<u8>, std::io::Error>;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            std::task::Poll::Ready(if self.0.is_empty() { None } else { Some(Ok(self.0.remove(0))) })
        }
    }
    Chunks(bytes.chunks(8 * 1024).map(<[u8]>::to_vec).collect())
}

#[tokio::test]
async fn other_content_types_are_refused() {
    let app = spawn_app().await;
    let response = app.post_events_raw("application/x-www-form-urlencoded", "eventName=page_view", &[]).await;
    assert_eq!(response.status(), 415);
    assert_eq!(response.json::<Value>().await.unwrap()["code"], "unsupported_media_type");
}

#[tokio::test]
async fn the_source_ip_comes_from_x_forwarded_for_only_when_the_peer_is_a_trusted_proxy() {
    // The test's own address (127.0.0.1) is the proxy.
    let app = spawn_app_with(|s| {
        s.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()];
        // The whole address, to be compared (cut to its network by default).
        s.privacy.full_source_ip = true;
    })
    .await;
    let response = app
        .post_events_raw(
            "application/json",
            json!({"events": [page_view()]}).to_string(),
            &[("X-Forwarded-For", "10.1.2.3, 203.0.113.50")],
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(app.lines_of("clickstream")[0]["sourceIp"], "203.0.113.50");
    drop(app);

    // A spoofed header from a peer outside the proxies' network changes nothing.
    let elsewhere = spawn_app_with(|s| {
        s.trusted_proxies = vec!["10.0.0.0/8".parse().unwrap()];
        s.privacy.full_source_ip = true;
    })
    .await;
    elsewhere
        .post_events_raw(
            "application/json",
            json!({"events": [page_view()]}).to_string(),
            &[("X-Forwarded-For", "203.0.113.50")],
        )
        .await;
    assert_eq!(elsewhere.lines_of("clickstream")[0]["sourceIp"], "127.0.0.1");
}

#[tokio::test]
async fn every_request_gets_one_request_line_with_its_id() {
    let app = spawn_app().await;
    let response = app.client.get(app.url("/health")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let id = response.headers()["x-request-id"].to_str().unwrap().to_owned();
    let missing = app.client.get(app.url("/no-such-page")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    let lines = app.lines_of("request");
    let health: Vec<&Value> = lines.iter().filter(|l| l["path"] == "/health").collect();
    assert_eq!(health.len(), 1);
    assert_eq!(health[0]["requestId"], id.as_str());
    assert_eq!(health[0]["method"], "GET");
    assert_eq!(health[0]["statusCode"], 200);
    assert!(lines.iter().any(|l| l["path"] == "/no-such-page" && l["statusCode"] == 404));
}

#[tokio::test]
async fn a_refused_body_is_answered_with_exactly_a_code_and_a_message_as_json() {
    let app = spawn_app().await;
    let too_many: Vec<Value> = (0..51).map(|_| page_view()).collect();
    let too_many = json!({ "events": too_many }).to_string();
    let too_large = json!({"events": [{"referrer": "z".repeat(70 * 1024)}]}).to_string();
    let cases = [
        ("application/json", "{not json".to_owned(), 400, "malformed_body"),
        ("application/json", too_many, 400, "too_many_events"),
        ("application/json", too_large, 413, "payload_too_large"),
        ("application/xml", "<events/>".to_owned(), 415, "unsupported_media_type"),
    ];
    for (content_type, body, status, code) in cases {
        let response = app.post_events_raw(content_type, body, &[]).await;
        assert_eq!(response.status(), status, "{code}");
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with("application/json"), "{code}");
        let body: serde_json::Map<String, Value> = response.json().await.unwrap();
        assert_eq!(body.keys().map(String::as_str).collect::<Vec<_>>(), ["code", "message"], "{code}");
        assert_eq!(body["code"], code);
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "{code}");
    }
}
