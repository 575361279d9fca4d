use super::payload::{CartItemPayload, CartPayload, EventBatch, EventPayload, OrderPayload, ProductPayload};
use super::*;
use proptest::prelude::*;
use serde_json::{Value, json};
use time::macros::datetime;

const NOW: OffsetDateTime = datetime!(2026-11-26 12:00:00 UTC);
const EVENT_ID: &str = "0b6f2c1e-8a4d-4f7e-9c3b-2d1e5f6a7b8c";
const CLIENT_ID: &str = "11111111-2222-4333-8444-555555555555";
const SESSION_ID: &str = "66666666-7777-4888-9999-aaaaaaaaaaaa";

fn page_view() -> Value {
    json!({
        "eventId": EVENT_ID,
        "eventName": "page_view",
        "eventTimestamp": "2026-11-26T11:59:58.120Z",
        "clientId": CLIENT_ID,
        "sessionId": SESSION_ID,
        "urlPath": "/catalog?category=rings",
        "referrer": "https://www.example.com/",
        "locale": "vi"
    })
}

fn with(mut event: Value, key: &str, value: Value) -> Value {
    event[key] = value;
    event
}

fn without(mut event: Value, key: &str) -> Value {
    event.as_object_mut().unwrap().remove(key);
    event
}

fn product() -> Value {
    json!({"productId": "aurora-solitaire-ring", "name": "Aurora Solitaire Ring", "category": "rings",
           "brand": "Aurelia", "price": 2450.0, "discountPrice": 2200.0, "currency": "USD", "quantity": 1})
}

fn judge(body: &Value) -> Vec<Result<Event, EventRejection>> {
    parse_body(body.to_string().as_bytes(), NOW).expect("a well-formed body")
}

fn one(event: Value) -> Result<Event, EventRejection> {
    judge(&json!({ "events": [event] })).remove(0)
}

fn code(event: Value) -> RejectCode {
    match one(event) {
        Ok(e) => panic!("expected a rejection, accepted {e:?}"),
        Err(r) => r.code,
    }
}

fn body_error(raw: &str) -> BodyError {
    parse_body(raw.as_bytes(), NOW).expect_err("a body error")
}

#[test]
fn accepts_a_valid_page_view_with_every_field_kept() {
    let event = one(page_view()).expect("accepted");
    assert_eq!(event.id().to_string(), EVENT_ID);
    assert_eq!(event.name(), EventName::PageView);
    assert_eq!(event.timestamp().as_str(), "2026-11-26T11:59:58.120Z");
    assert_eq!(event.client_id().to_string(), CLIENT_ID);
    assert_eq!(event.session_id().to_string(), SESSION_ID);
    assert_eq!(event.url_path().as_str(), "/catalog?category=rings");
    assert_eq!(event.referrer(), Some("https://www.example.com/"));
    assert_eq!(event.locale(), Some(crate::Locale::Vi));
    assert_eq!(one(without(page_view(), "locale")).expect("accepted").locale(), None, "an older page sends none");
    assert!(event.product().is_none());
}

#[test]
fn a_page_view_carries_its_landing_pages_campaign_and_nothing_else_may() {
    let landing = with(with(page_view(), "utmSource", json!("zalo")), "utmCampaign", json!("tết 2027"));
    let event = one(landing).expect("accepted");
    assert_eq!(event.campaign().source.as_deref(), Some("zalo"));
    assert_eq!(event.campaign().campaign.as_deref(), Some("tết 2027"));
    assert_eq!(event.campaign().medium, None);
    assert!(one(page_view()).expect("accepted").campaign().is_empty(), "no utm: none");
    assert!(one(with(page_view(), "utmTerm", json!("n".repeat(200)))).is_ok(), "200 characters are allowed");
    let mut add = with(page_view(), "eventName", json!("add_to_cart"));
    add["product"] = json!({"productId": "p1", "quantity": 1});
    assert!(one(add.clone()).is_ok());
    let r = one(with(add, "utmSource", json!("zalo"))).unwrap_err();
    assert_eq!(r.code, RejectCode::InvalidField);
    assert!(r.message.contains("page_view only"), "{}", r.message);
}

#[test]
fn campaigns_are_read_from_the_landing_pages_query() {
    use super::payload::CampaignPayload;
    let c = CampaignPayload::from_query(
        "?q=nhan&utm_source=zalo&utm_medium=social&utm_campaign=t%E1%BA%BFt+2027&utm_term=&utm_content=a",
    );
    assert_eq!(c.utm_source.as_deref(), Some("zalo"));
    assert_eq!(c.utm_medium.as_deref(), Some("social"));
    assert_eq!(c.utm_campaign.as_deref(), Some("tết 2027"));
    assert_eq!(c.utm_term, None, "empty is left out");
    assert_eq!(c.utm_content.as_deref(), Some("a"));
    let long = CampaignPayload::from_query(&format!("utm_source={}", "x".repeat(300)));
    assert_eq!(long.utm_source.map(|s| s.chars().count()), Some(200));
    assert_eq!(CampaignPayload::from_query(""), CampaignPayload::default());
}

#[test]
fn accepts_a_single_event_object_as_the_body() {
    let verdicts = judge(&page_view());
    assert_eq!(verdicts.len(), 1);
    assert!(verdicts[0].is_ok());
}

#[test]
fn accepts_every_event_with_its_context() {
    let add = with(with(page_view(), "eventName", json!("add_to_cart")), "product", product());
    let event = one(add).expect("add_to_cart accepted");
    let p = event.product().unwrap();
    assert_eq!(p.product_id.as_str(), "aurora-solitaire-ring");
    assert_eq!(p.brand.as_deref(), Some("Aurelia"));
    assert_eq!(p.price.map(Amount::value), Some(2450.0));
    assert_eq!(p.discount_price.map(Amount::value), Some(2200.0));
    assert_eq!(p.currency.map(|c| c.as_str().to_owned()).as_deref(), Some("USD"));
    assert_eq!(p.quantity.map(Quantity::get), Some(1));

    let start = with(
        with(page_view(), "eventName", json!("checkout_start")),
        "cart",
        json!({"items": [{"productId": "a", "quantity": 2, "price": 10.5}], "value": 21.0, "currency": "USD"}),
    );
    let cart = one(start).expect("checkout_start accepted").cart().cloned().unwrap();
    assert_eq!(cart.items.len(), 1);
    assert_eq!(cart.items[0].quantity.get(), 2);
    assert_eq!(cart.value.value(), 21.0);

    let complete = with(
        with(page_view(), "eventName", json!("checkout_complete")),
        "order",
        json!({"orderId": "JW-ABCDEF1234", "value": 21.0, "currency": "USD"}),
    );
    let order = one(complete).expect("checkout_complete accepted").order().cloned().unwrap();
    assert_eq!(order.order_id, "JW-ABCDEF1234");

    let view = with(with(page_view(), "eventName", json!("product_view")), "product", json!({"productId": "x"}));
    assert!(one(view).is_ok());
}

#[test]
fn unknown_event_name() {
    assert_eq!(code(with(page_view(), "eventName", json!("purchase"))), RejectCode::UnknownEventName);
    assert_eq!(code(with(page_view(), "eventName", json!("PAGE_VIEW"))), RejectCode::UnknownEventName);
}

#[test]
fn unknown_field_including_identity_sent_by_a_client() {
    assert_eq!(code(with(page_view(), "evnetName", json!("page_view"))), RejectCode::UnknownField);
    for identity in ["userId", "userLoginState", "identitySource"] {
        let r = one(with(page_view(), identity, json!("x"))).unwrap_err();
        assert_eq!(r.code, RejectCode::UnknownField, "{identity}");
        assert!(r.message.contains(identity), "{}", r.message);
    }
    let mut p = product();
    p["colour"] = json!("x");
    let r = one(with(with(page_view(), "eventName", json!("product_view")), "product", p)).unwrap_err();
    assert_eq!(r.code, RejectCode::UnknownField);
    assert!(r.message.contains("product.colour"), "{}", r.message);
}

#[test]
fn missing_field() {
    for field in ["eventId", "eventName", "eventTimestamp", "clientId", "sessionId", "urlPath"] {
        let r = one(without(page_view(), field)).unwrap_err();
        assert_eq!(r.code, RejectCode::MissingField, "{field}");
        assert!(r.message.contains(field), "{}", r.message);
        // null counts as missing for a required field
        assert_eq!(code(with(page_view(), field, Value::Null)), RejectCode::MissingField, "{field}");
    }
    let mut p = product();
    p.as_object_mut().unwrap().remove("quantity");
    let add = with(with(page_view(), "eventName", json!("add_to_cart")), "product", p);
    assert_eq!(code(add), RejectCode::MissingField);
    assert_eq!(code(with(page_view(), "eventName", json!("checkout_start"))), RejectCode::MissingField);
    assert_eq!(code(with(page_view(), "eventName", json!("checkout_complete"))), RejectCode::MissingField);
}

#[test]
fn missing_product() {
    for name in ["product_view", "add_to_cart"] {
        assert_eq!(code(with(page_view(), "eventName", json!(name))), RejectCode::MissingProduct, "{name}");
    }
}

#[test]
fn invalid_field() {
    let cases = [
        ("eventId", json!("not-a-uuid")),
        ("eventId", json!(42)),
        ("clientId", json!("11111111222243338444555555555555")),
        ("sessionId", json!(["66666666-7777-4888-9999-aaaaaaaaaaaa"])),
        ("eventTimestamp", json!("2026-11-26 11:59:58")),
        ("eventTimestamp", json!(1764158398)),
        ("urlPath", json!("catalog")),
        ("urlPath", json!(format!("/{}", "a".repeat(2048)))),
        ("referrer", json!(7)),
        ("locale", json!("fr")),
        ("locale", json!("VI")),
        ("locale", json!(1)),
        ("utmSource", json!("")),
        ("utmCampaign", json!("t".repeat(201))),
        ("utmMedium", json!(3)),
        ("eventName", json!(true)),
        ("product", json!("ring")),
    ];
    for (field, value) in cases {
        let r = one(with(page_view(), field, value.clone())).unwrap_err();
        assert_eq!(r.code, RejectCode::InvalidField, "{field} = {value}");
        assert!(r.message.contains(field), "{}", r.message);
    }
    let product_cases = [
        ("productId", json!("")),
        ("productId", json!("x".repeat(65))),
        ("name", json!("n".repeat(201))),
        ("category", json!("c".repeat(101))),
        ("brand", json!("b".repeat(101))),
        ("price", json!(-1)),
        ("price", json!("2450")),
        ("discountPrice", json!(3000.0)),
        ("currency", json!("usd")),
        ("quantity", json!(0)),
        ("quantity", json!(1000)),
        ("quantity", json!(1.5)),
        ("variantId", json!("")),
        ("variantId", json!("v".repeat(65))),
        ("variantId", json!(12)),
        ("sku", json!("")),
        ("sku", json!("S".repeat(65))),
    ];
    for (field, value) in product_cases {
        let mut p = product();
        p[field] = value.clone();
        let add = with(with(page_view(), "eventName", json!("add_to_cart")), "product", p);
        let r = one(add).unwrap_err();
        assert_eq!(r.code, RejectCode::InvalidField, "product.{field} = {value}");
        assert!(r.message.contains(&format!("product.{field}")), "{}", r.message);
    }
    let start = |cart: Value| with(with(page_view(), "eventName", json!("checkout_start")), "cart", cart);
    let items101: Vec<Value> =
        (0..101).map(|i| json!({"productId": format!("p{i}"), "quantity": 1, "price": 1})).collect();
    for cart in [
        json!({"items": [], "value": 1, "currency": "USD"}),
        json!({"items": items101, "value": 1, "currency": "USD"}),
        json!({"items": [{"productId": "a", "quantity": 0, "price": 1}], "value": 1, "currency": "USD"}),
        json!({"items": [{"productId": "a", "quantity": 1, "price": 1}], "value": -1, "currency": "USD"}),
        json!({"items": [7], "value": 1, "currency": "USD"}),
    ] {
        assert_eq!(code(start(cart.clone())), RejectCode::InvalidField, "{cart}");
    }
    let complete = with(
        with(page_view(), "eventName", json!("checkout_complete")),
        "order",
        json!({"orderId": "", "value": 1, "currency": "USD"}),
    );
    assert_eq!(code(complete), RejectCode::InvalidField);
    let complete = |order: Value| with(with(page_view(), "eventName", json!("checkout_complete")), "order", order);
    for (order, field) in [
        (json!({"orderId": "JW-1", "items": [], "value": 1, "currency": "USD"}), "order.items"),
        (json!({"orderId": "JW-1", "items": {}, "value": 1, "currency": "USD"}), "order.items"),
        (
            json!({"orderId": "JW-1", "items": [{"productId": "a", "sku": "", "quantity": 1, "price": 1}], "value": 1, "currency": "USD"}),
            "order.items[].sku",
        ),
        (
            json!({"orderId": "JW-1", "items": [{"productId": "a", "quantity": 1, "price": 1, "colour": "red"}], "value": 1, "currency": "USD"}),
            "order.items[].colour",
        ),
    ] {
        let r = one(complete(order.clone())).unwrap_err();
        assert!(r.message.contains(field), "{order}: {}", r.message);
    }
    let r = one(start(json!({"items": [{"productId": "a", "variantId": "v".repeat(65), "quantity": 1, "price": 1}], "value": 1, "currency": "USD"}))).unwrap_err();
    assert!(r.message.contains("cart.items[].variantId"), "{}", r.message);
    let repeated = format!(r#"{{"events": [{{"eventId": "{EVENT_ID}", "eventId": "{EVENT_ID}"}}]}}"#);
    let r = parse_body(repeated.as_bytes(), NOW).unwrap().remove(0).unwrap_err();
    assert_eq!(r.code, RejectCode::InvalidField, "a repeated key is refused");
    assert!(r.message.contains("eventId"), "{}", r.message);
}

#[test]
fn timestamp_out_of_range() {
    for ts in ["2026-11-23T11:59:00Z", "2026-11-26T12:10:01Z", "2027-01-01T00:00:00+07:00"] {
        assert_eq!(code(with(page_view(), "eventTimestamp", json!(ts))), RejectCode::TimestampOutOfRange, "{ts}");
    }
    for ts in ["2026-11-23T12:00:01Z", "2026-11-26T12:09:59Z", "2026-11-26T19:05:00+07:00"] {
        assert!(one(with(page_view(), "eventTimestamp", json!(ts))).is_ok(), "{ts}");
    }
}

#[test]
fn malformed_body() {
    for raw in [
        "",
        "not json",
        "[]",
        "\"page_view\"",
        "{\"events\": []}",
        "{\"events\": {}}",
        "{\"events\": [1, 2]}",
        "{\"events\": [{}], \"eventName\": \"page_view\"}",
        "{\"events\": [{}]} trailing",
        "{\"events\": [{}], \"events\": [{}]}",
    ] {
        assert_eq!(body_error(raw).code, RejectCode::MalformedBody, "{raw:?}");
    }
}

#[test]
fn too_many_events() {
    let events: Vec<Value> = (0..51).map(|_| page_view()).collect();
    let e = body_error(&json!({ "events": events }).to_string());
    assert_eq!(e.code, RejectCode::TooManyEvents);
    assert!(e.message.contains("51"), "{}", e.message);
    let events: Vec<Value> = (0..50).map(|_| page_view()).collect();
    assert_eq!(judge(&json!({ "events": events })).len(), 50);
}

#[test]
fn one_bad_event_does_not_sink_the_batch() {
    let verdicts = judge(&json!({"events": [
        page_view(),
        with(page_view(), "eventName", json!("purchase")),
        with(page_view(), "price", json!(1)),
        page_view(),
    ]}));
    let codes: Vec<Option<RejectCode>> = verdicts.iter().map(|v| v.as_ref().err().map(|r| r.code)).collect();
    assert_eq!(codes, [None, Some(RejectCode::UnknownEventName), Some(RejectCode::UnknownField), None]);
    let r = verdicts[1].as_ref().unwrap_err();
    assert_eq!(r.index, 1);
    assert_eq!(r.event_id.as_deref(), Some(EVENT_ID));
}

#[test]
fn rejections_report_the_event_id_only_when_it_was_a_string() {
    let r = one(with(without(page_view(), "clientId"), "eventId", json!(12))).unwrap_err();
    assert_eq!(r.event_id, None);
    let r = one(with(page_view(), "eventId", json!("x".repeat(500)))).unwrap_err();
    assert_eq!(r.event_id.map(|s| s.len()), Some(64));
}

#[test]
fn codes_serialize_as_the_contract_spells_them() {
    let all = [
        (RejectCode::UnknownEventName, "unknown_event_name"),
        (RejectCode::UnknownField, "unknown_field"),
        (RejectCode::MissingField, "missing_field"),
        (RejectCode::InvalidField, "invalid_field"),
        (RejectCode::MissingProduct, "missing_product"),
        (RejectCode::TimestampOutOfRange, "timestamp_out_of_range"),
        (RejectCode::MalformedBody, "malformed_body"),
        (RejectCode::TooManyEvents, "too_many_events"),
    ];
    for (code, text) in all {
        assert_eq!(serde_json::to_value(code).unwrap(), json!(text));
        assert_eq!(code.as_str(), text);
    }
    let report = IngestReport {
        accepted: 1,
        duplicates: 0,
        rejected: vec![EventRejection {
            index: 2,
            event_id: None,
            code: RejectCode::UnknownField,
            message: "m".into(),
        }],
    };
    assert_eq!(
        serde_json::to_value(&report).unwrap(),
        json!({"accepted": 1, "duplicates": 0, "rejected": [{"index": 2, "eventId": null, "code": "unknown_field", "message": "m"}]})
    );
}

#[test]
fn escaped_strings_are_read_like_plain_ones() {
    let event = one(with(page_view(), "urlPath", json!("/search?q=\"ring\"\u{e9}"))).unwrap();
    assert_eq!(event.url_path().as_str(), "/search?q=\"ring\"é");
}

// ---- properties -------------------------------------------------------------------

fn uuid_string() -> impl Strategy<Value = String> {
    any::<u128>().prop_map(|n| uuid::Uuid::from_u128(n).hyphenated().to_string())
}

fn money() -> impl Strategy<Value = f64> {
    (0u32..10_000_000).prop_map(|c| f64::from(c) / 100.0)
}

fn product_payload(with_quantity: bool) -> impl Strategy<Value = ProductPayload> {
    (
        "[a-z0-9-]{1,64}",
        proptest::option::of("\\PC{0,40}"),
        proptest::option::of("[a-z]{1,20}"),
        proptest::option::of("[A-Za-z ]{1,30}"),
        proptest::option::of(money()),
        prop::bool::ANY,
        1u32..=999,
        proptest::option::of(("[a-z0-9:-]{1,64}", "[A-Z0-9-]{1,64}")),
    )
        .prop_map(move |(product_id, name, category, brand, price, discounted, quantity, variant)| {
            ProductPayload {
                product_id,
                variant_id: variant.as_ref().map(|(id, _)| id.clone()),
                sku: variant.map(|(_, sku)| sku),
                name,
                category,
                brand,
                discount_price: price.filter(|_| discounted).map(|p| (p * 0.9 * 100.0).floor() / 100.0),
                price,
                currency: Some("USD".into()),
                quantity: with_quantity.then_some(quantity),
            }
        })
}

/// The strict serde model of a body (`deny_unknown_fields` everywhere) reads it.
fn strict_accepts(bytes: &[u8]) -> bool {
    serde_json::from_slice::<EventBatch>(bytes).is_ok() || serde_json::from_slice::<EventPayload>(bytes).is_ok()
}

/// The parser accepts every event of a body that holds at least one.
fn accepted_whole(bytes: &[u8]) -> bool {
    matches!(parse_body(bytes, NOW), Ok(verdicts) if !verdicts.is_empty() && verdicts.iter().all(Result::is_ok))
}

fn valid_payload() -> impl Strategy<Value = EventPayload> {
    let name = prop::sample::select(EventName::ALL.to_vec());
    (
        name,
        uuid_string(),
        uuid_string(),
        uuid_string(),
        "/[a-z0-9/?=&-]{0,60}",
        -259_000i64..599,
        product_payload(true),
        money(),
    )
        .prop_map(|(event_name, event_id, client_id, session_id, url_path, offset_s, product, value)| {
            let ts = NOW + time::Duration::seconds(offset_s);
            EventPayload {
                event_id,
                event_name,
                event_timestamp: ts.format(&time::format_description::well_known::Rfc3339).unwrap(),
                client_id,
                session_id,
                url_path,
                referrer: None,
                locale: (offset_s % 2 == 0).then(|| "vi".to_owned()),
                utm_source: (event_name == EventName::PageView).then(|| "zalo".to_owned()),
                utm_medium: None,
                utm_campaign: None,
                utm_term: None,
                utm_content: None,
                product: event_name.needs_product().then_some(product),
                cart: (event_name == EventName::CheckoutStart).then(|| CartPayload {
                    items: vec![CartItemPayload {
                        product_id: "p1".into(),
                        variant_id: Some("p1:12".into()),
                        sku: Some("P1-12".into()),
                        quantity: 1,
                        price: value,
                    }],
                    value,
                    currency: "USD".into(),
                }),
                order: (event_name == EventName::CheckoutComplete).then(|| OrderPayload {
                    order_id: "JW-0000000001".into(),
                    items: (offset_s % 3 == 0).then(|| {
                        vec![CartItemPayload {
                            product_id: "p1".into(),
                            variant_id: None,
                            sku: None,
                            quantity: 2,
                            price: value,
                        }]
                    }),
                    value,
                    currency: "USD".into(),
                }),
            }
        })
}

proptest! {
    /// Whatever the tracker can build from valid parts, the server accepts, unchanged.
    #[test]
    fn every_valid_payload_is_accepted_as_sent(batch in prop::collection::vec(valid_payload(), 1..=MAX_BATCH)) {
        let body = serde_json::to_vec(&EventBatch { events: batch.clone() }).unwrap();
        let verdicts = parse_body(&body, NOW).unwrap();
        prop_assert_eq!(verdicts.len(), batch.len());
        for (sent, verdict) in batch.iter().zip(verdicts) {
            let event = verdict.map_err(|r| TestCaseError::fail(format!("{r:?}")))?;
            prop_assert_eq!(event.id().to_string(), sent.event_id.clone());
            prop_assert_eq!(event.name(), sent.event_name);
            prop_assert_eq!(event.timestamp().as_str(), sent.event_timestamp.as_str());
            prop_assert_eq!(event.url_path().as_str(), sent.url_path.as_str());
            if let Some(p) = &sent.product {
                let got = event.product().unwrap();
                prop_assert_eq!(got.product_id.as_str(), p.product_id.as_str());
                prop_assert_eq!(&got.variant_id, &p.variant_id);
                prop_assert_eq!(&got.sku, &p.sku);
                prop_assert_eq!(&got.name, &p.name);
                prop_assert_eq!(got.price.map(Amount::value), p.price);
                prop_assert_eq!(got.discount_price.map(Amount::value), p.discount_price);
                prop_assert_eq!(got.quantity.map(|q| u32::from(q.get())), p.quantity);
            }
            if let Some(o) = &sent.order {
                let got = event.order().unwrap();
                prop_assert_eq!(got.items.as_ref().map(Vec::len), o.items.as_ref().map(Vec::len));
            }
        }
    }

    /// Any bytes at all get an answer, never a panic: verdicts for at most a batch's
    /// worth of events, or a body error with its code; and what the strict serde
    /// model refuses is never accepted whole by the parser either.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        match parse_body(&bytes, NOW) {
            Ok(verdicts) => prop_assert!(verdicts.len() <= MAX_BATCH),
            Err(e) => prop_assert!(matches!(e.code, RejectCode::MalformedBody | RejectCode::TooManyEvents), "{:?}", e.code),
        }
        prop_assert!(!accepted_whole(&bytes) || strict_accepts(&bytes));
    }

    /// Random bytes are rarely JSON, so the second half of the property above is
    /// tried on a valid batch with one byte replaced, inserted or removed.
    #[test]
    fn what_the_strict_model_refuses_is_never_accepted_whole(
        payload in valid_payload(),
        at in any::<prop::sample::Index>(),
        byte in prop::sample::select(b"{}[]\",:0123456789.-+eE aZ\\\x00\xff".to_vec()),
        edit in 0u8..3,
    ) {
        let mut bytes = serde_json::to_vec(&EventBatch { events: vec![payload] }).unwrap();
        let i = at.index(bytes.len());
        match edit {
            0 => bytes[i] = byte,
            1 => bytes.insert(i, byte),
            _ => { bytes.remove(i); }
        }
        prop_assert!(!accepted_whole(&bytes) || strict_accepts(&bytes), "{}", String::from_utf8_lossy(&bytes));
    }

    /// One extra key anywhere in an event rejects that event with `unknown_field`.
    #[test]
    fn any_extra_key_is_an_unknown_field(payload in valid_payload(), key in "[a-zA-Z]{1,12}") {
        let mut value = serde_json::to_value(&payload).unwrap();
        let known = [
            "eventId", "eventName", "eventTimestamp", "clientId", "sessionId", "urlPath", "referrer", "locale",
            "utmSource", "utmMedium", "utmCampaign", "utmTerm", "utmContent", "product", "cart", "order",
        ];
        prop_assume!(!known.contains(&key.as_str()));
        value[&key] = json!(1);
        let verdicts = parse_body(value.to_string().as_bytes(), NOW).unwrap();
        prop_assert_eq!(verdicts[0].as_ref().unwrap_err().code, RejectCode::UnknownField);
    }

    /// Mangling any one string field of a valid event into a number is `invalid_field`
    /// for that field, never an acceptance and never a body error.
    #[test]
    fn a_wrongly_typed_field_is_invalid(payload in valid_payload(), pick in 0usize..5) {
        let field = ["eventId", "eventTimestamp", "clientId", "sessionId", "urlPath"][pick];
        let mut value = serde_json::to_value(&payload).unwrap();
        value[field] = json!(12345);
        let verdicts = parse_body(value.to_string().as_bytes(), NOW).unwrap();
        let r = verdicts[0].as_ref().unwrap_err();
        prop_assert_eq!(r.code, RejectCode::InvalidField);
        prop_assert!(r.message.contains(field));
    }
}

#[test]
fn admin_pages_are_not_shop_traffic() {
    for admin in ["/admin", "/admin/", "/admin/insights?range=7d", "/admin?x=1", "/admin/products/ember-ruby-band/edit"]
    {
        assert!(!super::is_shop_page(admin), "{admin}");
    }
    for shop in ["/", "/catalog?q=admin", "/products/admin-ring", "/administration", "/cart"] {
        assert!(super::is_shop_page(shop), "{shop}");
    }
}
