//! The catalog's pages are read from memory (the catalog cache), yet what they show
//! is never older than the last change made through this server: an admin's edit,
//! a checkout's stock, an image. A change made by another instance on the same
//! database shows within `catalog_cache_secs`.

use crate::auth::ADMIN;
use crate::helpers::*;
use std::time::{Duration, Instant};

const PRODUCT: &str = "riviera-tennis-bracelet";

/// Loads each page twice, so that the second answer comes from memory.
async fn read_twice(app: &TestApp, paths: &[&str]) {
    for path in paths {
        for _ in 0..2 {
            assert_eq!(app.get_html(path).await.0, 200, "{path}");
        }
    }
}

fn edit_form(price: &'static str, version: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("input[id]", PRODUCT),
        ("input[name]", "Riviera Tennis Bracelet"),
        ("input[brand]", "Lumen Atelier"),
        ("input[category_id]", "bracelets"),
        ("input[description]", "A line of brilliant-cut diamonds set in white gold."),
        ("input[price]", price),
        ("input[discount_price]", ""),
        ("input[stock]", "2"),
        ("input[version]", version),
    ]
}

#[tokio::test]
async fn a_price_an_admin_changes_shows_at_once_on_every_catalog_page() {
    let app = spawn_app().await;
    app.sign_in(ADMIN, "/").await;
    let pages = ["/", "/catalog", "/catalog?category=bracelets", "/catalog?q=tennis&sort=price_desc"];
    let product = format!("/products/{PRODUCT}");
    read_twice(&app, &[pages.as_slice(), &[product.as_str()]].concat()).await;
    let (_, before) = app.get_html(&product).await;
    assert!(before.contains("$3,780.00"), "the sale price before the change");

    let saved = app.call_json("admin/product/save", &edit_form("4,321.00", "1")).await;
    assert_eq!(saved["Saved"]["version"], 2, "{saved}");
    let (_, after) = app.get_html(&product).await;
    assert!(after.contains("$4,321.00") && !after.contains("$3,780.00"), "the product page");
    for path in ["/catalog?category=bracelets", "/catalog?q=tennis&sort=price_desc"] {
        let (_, page) = app.get_html(path).await;
        assert!(page.contains("$4,321.00") && !page.contains("$3,780.00"), "{path}");
    }

    // Archived: gone from the pages at once, and back when restored.
    let archived =
        app.call_json("admin/product/archive", &[("id", PRODUCT), ("version", "2"), ("archived", "true")]).await;
    assert_eq!(archived["Saved"]["version"], 3, "{archived}");
    assert_eq!(app.get_html(&product).await.0, 404);
    assert!(!app.get_html("/catalog?category=bracelets").await.1.contains("Riviera Tennis Bracelet"));
}

#[tokio::test]
async fn the_stock_a_checkout_takes_shows_at_once_on_the_product_page() {
    let app = spawn_app().await;
    let product = format!("/products/{PRODUCT}");
    read_twice(&app, &[product.as_str(), "/catalog?category=bracelets"]).await;
    assert!(app.get_html(&product).await.1.contains("Only 2 left"));

    app.call_json("cart/add", &[("product_id", PRODUCT), ("quantity", "1")]).await;
    let outcome = app.call_json("checkout", SHIPPING).await;
    assert!(outcome["Placed"].is_object(), "{outcome}");
    assert!(app.get_html(&product).await.1.contains("Only 1 left"), "one was sold");

    app.call_json("cart/add", &[("product_id", PRODUCT), ("quantity", "1")]).await;
    assert!(app.call_json("checkout", SHIPPING).await["Placed"].is_object());
    let (_, page) = app.get_html(&product).await;
    assert!(page.contains("Sold out"), "the last one was sold");
    let (_, list) = app.get_html("/catalog?category=bracelets").await;
    assert!(list.contains("Sold out"), "the catalog's badge too");
    // And the cart, read from the database, shows what is left: nothing to add.
    let refused = app.call("cart/add", &[("product_id", PRODUCT), ("quantity", "1")]).await;
    assert!(!refused.status().is_success() || refused.text().await.unwrap().contains("Refused"));
}

#[tokio::test]
async fn an_image_an_admin_adds_shows_at_once_on_the_product_page() {
    let app = spawn_app().await;
    app.sign_in(ADMIN, "/").await;
    let product = "/products/northern-hoops";
    read_twice(&app, &[product]).await;
    let image = app.upload_png("northern-hoops", "Northern Hoops, worn").await;
    let url = image["image"]["url"].as_str().unwrap().to_owned();
    let (_, page) = app.get_html(product).await;
    assert!(page.contains(&url) && page.contains("Northern Hoops, worn"), "the new image is on the page");
    let id = image["id"].to_string();
    app.call_json(
        "admin/images/alt",
        &[("product_id", "northern-hoops"), ("image_id", &id), ("alt", "Hoops on a model")],
    )
    .await;
    assert!(app.get_html(product).await.1.contains("Hoops on a model"), "its new alt text");
    app.call_json("admin/images/remove", &[("product_id", "northern-hoops"), ("image_id", &id)]).await;
    assert!(!app.get_html(product).await.1.contains(&url), "removed");
}

#[tokio::test]
async fn a_change_made_by_another_instance_on_the_same_database_shows_within_the_cache_bound() {
    let bound = Duration::from_secs(1);
    let app = spawn_app_with(|s| s.catalog_cache = bound).await;
    let product = format!("/products/{PRODUCT}");
    read_twice(&app, &[product.as_str()]).await;
    // The other instance's change: straight to the shared database.
    sqlx::any::install_default_drivers();
    let other = sqlx::AnyPool::connect(&app.database_url).await.unwrap();
    sqlx::query("UPDATE products SET discount_price_cents = 123400, version = version + 1 WHERE id = $1")
        .bind(PRODUCT)
        .execute(&other)
        .await
        .unwrap();
    let changed = Instant::now();
    loop {
        if app.get_html(&product).await.1.contains("$1,234.00") {
            break;
        }
        assert!(
            changed.elapsed() < bound + Duration::from_millis(750),
            "still the old price after {:?}",
            changed.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
