//! The shop's currency: a setting, recorded in the database, so that a shop never
//! reads one currency's amounts as another's.

use crate::helpers::*;
use jewelry::Currency;
use jewelry_server::config::Settings;
use jewelry_server::logs::LogSink;
use jewelry_server::startup::Application;

/// A database as the release before the currency setting left it, holding one
/// product and one order in US dollars (cents): the only currency then.
async fn database_in_dollars(dir: &std::path::Path) -> String {
    let (url, pool) = database_before(dir, "20261207000001").await;
    let statements = [
        "INSERT INTO categories (id, name, description, position) VALUES ('rings', 'Rings', 'Rings.', 0)",
        "INSERT INTO products (id, name, brand, category_id, description, price_cents, discount_price_cents, stock, \
         featured, archived, version, created_at, updated_at) VALUES ('old-band', 'Old Band', 'Aurelia', 'rings', \
         'A band from the dollar days.', 74900, 69900, 3, 1, 0, 1, '2026-11-30T09:00:00.000Z', \
         '2026-11-30T09:00:00.000Z')",
        "INSERT INTO orders (id, cart_id, status, email, full_name, phone, address_line1, city, postal_code, country, \
         payment_method, subtotal_cents, shipping_cents, total_cents, currency, created_at) VALUES ('JW-0000000001', 'c1', \
         'confirmed', 'a@example.com', 'A Shopper', '+44 20 7946 0000', '1 Road', 'London', 'SW1', 'GB', \
         'cash_on_delivery', 69900, 0, 69900, 'USD', '2026-12-01T10:00:00.000Z')",
    ];
    for statement in statements {
        sqlx::query(statement).execute(&pool).await.unwrap_or_else(|e| panic!("{statement}: {e}"));
    }
    url
}

#[tokio::test]
async fn a_database_from_the_dollar_days_keeps_its_prices_in_dollars() {
    let dir = tempfile::tempdir().unwrap();
    let url = database_in_dollars(dir.path()).await;
    let app = spawn_app_with(|s| {
        s.database_url = Some(url.clone().into());
        s.currency = Currency::Usd;
    })
    .await;
    let (status, page) = app.get_html("/products/old-band").await;
    assert_eq!(status, 200);
    assert!(page.contains("$699.00") && page.contains("$749.00"), "the upgrade lost no price");
    let (_, catalog) = app.get_html("/catalog").await;
    assert!(catalog.contains("Old Band"), "no demo catalog added beside the shop's own");
    assert!(!catalog.contains("Aurora Solitaire Ring"));
}

#[tokio::test]
async fn a_shop_set_to_another_currency_does_not_start_on_that_database_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let url = database_in_dollars(dir.path()).await;
    let data = tempfile::tempdir().unwrap();
    let mut settings = Settings { data_dir: data.path().to_path_buf(), ..Settings::default() };
    settings.database_url = Some(url.into());
    settings.site.addr = "127.0.0.1:0".parse().ok();
    assert_eq!(settings.currency, Currency::Vnd, "the đồng is the default");
    let (sink, _) = LogSink::memory();
    let refused = Application::build(settings, sink).await.err().expect("the shop does not start");
    let message = format!("{refused:#}");
    assert!(
        message.contains("the database's prices and orders are in USD")
            && message.contains("set to sell in VND")
            && message.contains("APP_CURRENCY=USD"),
        "{message}"
    );
}

#[tokio::test]
async fn a_new_database_takes_the_shops_currency_and_its_demo_prices() {
    let app = spawn_app_with(|s| s.currency = Currency::Usd).await;
    let (_, page) = app.get_html("/products/verdant-emerald-ring").await;
    assert!(page.contains("$2,880.00") && page.contains("$3,200.00"), "the demo catalog's dollar prices");
    let pool = sqlx::AnyPool::connect(&app.database_url).await.unwrap();
    let (recorded,): (String,) = sqlx::query_as("SELECT currency FROM shop_currency").fetch_one(&pool).await.unwrap();
    assert_eq!(recorded, "USD");
}
