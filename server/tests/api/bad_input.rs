//! Server functions given what they cannot read: every one answers 400 with a
//! stable code (never 500), and an admin's function refuses a guest with 401 and a
//! shopper with 403 before it looks at the body.

use crate::auth::{ADMIN, SHOPPER};
use crate::helpers::*;
use serde_json::Value;
use std::collections::BTreeSet;

/// Every server function that takes arguments, by path.
const WITH_ARGUMENTS: &[&str] = &[
    "/api/catalog",
    "/api/product",
    "/api/cart/add",
    "/api/cart/update",
    "/api/cart/remove",
    "/api/checkout",
    "/api/order",
    "/api/admin/products",
    "/api/admin/insights",
    "/api/admin/orders",
    "/api/admin/order",
    "/api/admin/order/move",
    "/api/admin/product",
    "/api/admin/product/save",
    "/api/admin/product/archive",
    "/api/admin/product/variants",
    "/api/admin/product/options/save",
    "/api/admin/product/variants/save",
    "/api/admin/product/variants/bulk",
    "/api/admin/images/presign",
    "/api/admin/images/attach",
    "/api/admin/images/move",
    "/api/admin/images/alt",
    "/api/admin/images/variant",
    "/api/admin/images/remove",
];

/// Every server function without arguments: there is nothing in a body to misread.
const WITHOUT_ARGUMENTS: &[&str] = &[
    "/api/home",
    "/api/categories",
    "/api/cart",
    "/api/cart/count",
    "/api/account",
    "/api/sign-in-options",
    "/api/admin/overview",
    "/api/admin/mail",
    "/api/site",
    "/api/admin/categories",
];

/// Server functions that take their body as it is and answer bad ones with the
/// codes of their own contract (`/events`: `docs/events.md`, tested in `events.rs`).
const RAW_BODY: &[&str] = &["/events"];

/// Bodies no server function can take its arguments from.
const BAD_BODIES: &[(&str, &[u8])] = &[
    ("application/x-www-form-urlencoded", b""),
    ("application/x-www-form-urlencoded", b"garbage=1"),
    ("application/x-www-form-urlencoded", b"%zz=%%&&="),
    ("application/x-www-form-urlencoded", b"product_id=\xff&quantity=1"),
    ("application/json", b"{\"product_id\": "),
];

async fn post(
    client: &reqwest::Client,
    app: &TestApp,
    path: &str,
    content_type: &str,
    body: impl AsRef<[u8]>,
) -> (u16, Value) {
    let body = body.as_ref();
    let response = client
        .post(app.url(path))
        .header("Accept", "application/json")
        .header("Content-Type", content_type)
        .body(body.to_vec())
        .send()
        .await
        .unwrap_or_else(|e| panic!("POST {path}: {e}"));
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let shown = String::from_utf8_lossy(body);
    let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("POST {path} {shown:?}: {status} {text:?}: {e}"));
    (status, json)
}

fn is_admin_function(path: &str) -> bool {
    path.starts_with("/api/admin/")
}

#[test]
fn the_tables_here_name_every_registered_server_function() {
    let registered: BTreeSet<&str> = leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path).collect();
    let listed: BTreeSet<&str> = WITH_ARGUMENTS.iter().chain(WITHOUT_ARGUMENTS).chain(RAW_BODY).copied().collect();
    assert_eq!(registered, listed, "a new server function belongs in one of this file's tables");
}

#[tokio::test]
async fn arguments_that_cannot_be_read_are_answered_400_with_a_code_for_every_server_function() {
    let app = spawn_app().await;
    let admin = app.other_browser_signed_in(ADMIN).await;
    let guest = reqwest::Client::new();
    for path in WITH_ARGUMENTS {
        let client = if is_admin_function(path) { &admin } else { &guest };
        for (content_type, body) in BAD_BODIES {
            let (status, answer) = post(client, &app, path, content_type, body).await;
            let shown = String::from_utf8_lossy(body);
            assert_eq!(status, 400, "{path} {shown:?}: {answer}");
            let code = answer["BadRequest"]["code"].as_str().unwrap_or_else(|| panic!("{path} {shown:?}: {answer}"));
            assert!(["malformed_arguments", "missing_argument"].contains(&code), "{path}: {code}");
        }
    }
    // Bad input is the caller's fault, not the server's: no ERROR line.
    let errors: Vec<Value> = app.lines().into_iter().filter(|l| l["level"] == "ERROR").collect();
    assert!(errors.is_empty(), "{errors:?}");

    // A value of the wrong type, beside the right names.
    let (status, answer) = post(
        &guest,
        &app,
        "/api/cart/add",
        "application/x-www-form-urlencoded",
        "product_id=ember-ruby-band&quantity=many",
    )
    .await;
    assert_eq!((status, answer["BadRequest"]["code"].as_str()), (400, Some("malformed_arguments")), "{answer}");
    // The refusal says what was wrong, and the cart is untouched.
    assert!(answer["BadRequest"]["detail"].as_str().is_some_and(|d| !d.is_empty()), "{answer}");
    assert_eq!(app.call_json("cart", &[]).await["lines"], serde_json::json!([]));

    // Functions without arguments ignore a body they do not need.
    for path in WITHOUT_ARGUMENTS {
        let client = if is_admin_function(path) { &admin } else { &guest };
        let (status, answer) = post(client, &app, path, "application/x-www-form-urlencoded", "garbage=1").await;
        let expected = if *path == "/api/account" { 401 } else { 200 };
        assert_eq!(status, expected, "{path}: {answer}");
        // But not one that is no text at all.
        let (status, answer) = post(client, &app, path, "application/x-www-form-urlencoded", b"\xff\xfe").await;
        assert_eq!((status, answer["BadRequest"]["code"].as_str()), (400, Some("malformed_arguments")), "{path}");
    }
}

/// Long values: a search word is cut as the page cuts it (not handed whole to
/// SQL), any value past the longest a function takes is refused before it is
/// decoded, and a refusal quotes no more than a short prefix of what was sent.
#[tokio::test]
async fn long_arguments_are_bounded_and_never_echoed_whole() {
    let app = spawn_app().await;
    let word = "a".repeat(5_000);
    let page = app
        .call_json("catalog", &[("query[search]", word.as_str()), ("query[sort]", "Featured"), ("query[page]", "1")])
        .await;
    assert_eq!(page["query"]["search"].as_str().map(|s| s.chars().count()), Some(100), "cut as the page cuts q");

    let long = "x".repeat(60_000);
    for (endpoint, form) in [
        ("catalog", vec![("query[search]", long.as_str()), ("query[sort]", "Featured"), ("query[page]", "1")]),
        ("catalog", vec![("query[sort]", long.as_str()), ("query[page]", "1")]),
        ("cart/add", vec![("product_id", long.as_str()), ("quantity", "1")]),
        ("cart/add", vec![("product_id", "ember-ruby-band"), ("quantity", &long[..7_000])]),
    ] {
        let response = app.call(endpoint, &form).await;
        let status = response.status().as_u16();
        let body = response.text().await.unwrap();
        assert_eq!(status, 400, "{endpoint}: {}", &body[..body.len().min(300)]);
        assert!(body.len() < 1_024, "{endpoint} answered {} bytes", body.len());
        let answer: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(answer["BadRequest"]["code"], "malformed_arguments", "{endpoint}: {answer}");
    }
    let errors: Vec<Value> = app.lines().into_iter().filter(|l| l["level"] == "ERROR").collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[tokio::test]
async fn an_admin_function_refuses_a_guest_with_401_and_a_shopper_with_403_whatever_the_body() {
    let app = spawn_app().await;
    let guest = reqwest::Client::new();
    let shopper = app.other_browser_signed_in(SHOPPER).await;
    let good_save = "input[id]=x-ring&input[name]=Ring&input[brand]=B&input[category_id]=rings&\
                     input[description]=A+ring+for+testing&input[price]=10&input[discount_price]=&input[stock]=1&\
                     input[version]=";
    let admin_functions = WITH_ARGUMENTS.iter().chain(WITHOUT_ARGUMENTS).filter(|p| is_admin_function(p));
    for path in admin_functions {
        let bodies = BAD_BODIES.iter().copied().chain([("application/x-www-form-urlencoded", good_save.as_bytes())]);
        for (content_type, body) in bodies {
            let shown = String::from_utf8_lossy(body);
            let (status, answer) = post(&guest, &app, path, content_type, body).await;
            assert_eq!((status, &answer), (401, &Value::from("SignInRequired")), "guest {path} {shown:?}");
            let (status, answer) = post(&shopper, &app, path, content_type, body).await;
            assert_eq!((status, &answer), (403, &Value::from("Forbidden")), "shopper {path} {shown:?}");
        }
    }
    assert!(app.lines_of("crud").is_empty(), "nothing was changed");
    let product = app.call("product", &[("id", "x-ring")]).await;
    assert_eq!(product.status(), 404, "no product was made");
}
