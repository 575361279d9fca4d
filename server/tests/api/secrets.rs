//! "No line holds a password, a token, a secret, an email or an address": checked
//! against a run that handled every one of them.

use crate::auth::SHOPPER;
use crate::helpers::*;

#[tokio::test]
async fn no_line_holds_a_password_a_token_an_email_an_address_or_the_database_password() {
    let app = spawn_app().await;
    let signed_in = app.sign_in(SHOPPER, "/").await;
    let token = signed_in
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|c| c.to_str().ok())
        .find_map(|c| c.strip_prefix("jw_id="))
        .and_then(|c| c.split(';').next())
        .expect("an id token")
        .to_owned();
    app.sign_in(("shopper", "a-wrong-Passw0rd"), "/").await;
    app.sign_in(SHOPPER, "/").await;

    // An order whose every personal field is a string found nowhere else.
    let personal = [
        ("input[email]", "marguerite.quist@example.org"),
        ("input[full_name]", "Marguerite Quist"),
        ("input[phone]", "+84 97 364 8215"),
        ("input[address_line1]", "41 Phố Vạn Kiếp Zeta"),
        ("input[address_line2]", "Tầng 5, nhà Quistreham"),
        ("input[city]", "Phường Vĩnh Aumont"),
        ("input[region]", "Tỉnh Hải Ouistreham"),
        ("input[postal_code]", "75713"),
        ("input[country]", "VN"),
        ("input[payment_method]", "cash_on_delivery"),
    ];
    app.call_json("cart/add", &[("product_id", "northern-hoops"), ("quantity", "1")]).await;
    let placed = app.call_json("checkout", &personal).await;
    assert!(placed["Placed"]["order_id"].is_string(), "{placed}");
    app.post_events(&serde_json::json!({"events": all_five()})).await;

    let lines = app.lines();
    for log_type in ["auth", "business", "clickstream", "request"] {
        assert!(lines.iter().any(|l| l["logType"] == log_type), "the run wrote {log_type} lines");
    }
    let log = app.raw_log();
    let mut secrets: Vec<(&str, String)> = vec![
        ("the password", SHOPPER.1.to_owned()),
        ("a wrong password", "a-wrong-Passw0rd".to_owned()),
        ("the id token", token.clone()),
        ("the token's signature", token.rsplit('.').next().unwrap().to_owned()),
    ];
    for (field, value) in personal.iter().filter(|(f, _)| !f.ends_with("[country]") && !f.ends_with("method]")) {
        secrets.push((field, (*value).to_owned()));
    }
    secrets.push(("the account's email", "shopper@lumen.example".to_owned()));
    // On PostgreSQL the database URL holds the test role's password.
    if let Some(password) = database_password(&app.database_url) {
        secrets.push(("the database password", password));
    }
    for (what, value) in &secrets {
        assert!(!log.contains(value.as_str()), "{what} is in the log");
    }
}

/// The password in a `postgres://user:password@host/db` URL.
fn database_password(url: &str) -> Option<String> {
    let rest = url.strip_prefix("postgres://").or_else(|| url.strip_prefix("postgresql://"))?;
    let credentials = rest.split_once('@')?.0;
    Some(credentials.split_once(':')?.1.to_owned()).filter(|p| !p.is_empty())
}

#[test]
fn the_database_password_is_read_from_the_url() {
    assert_eq!(database_password("postgres://shop_test:pw123@127.0.0.1:5432/db").as_deref(), Some("pw123"));
    assert_eq!(database_password("sqlite:///tmp/shop.db?mode=rwc"), None);
}
