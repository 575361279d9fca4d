//! What search engines read: a product's schema.org Product (held to its schema),
//! canonical and preview tags on the shop's public address, the sitemap and
//! robots.txt from the database, 410 for an archived product and 404 for none.

use crate::auth::ADMIN;
use crate::helpers::{TestApp, spawn_app_with};
use crate::schemas::{errors, schema};
use serde_json::{Value, json};

const PUBLIC: &str = "https://shop.example";

async fn app() -> TestApp {
    spawn_app_with(|s| s.public_url = Some(PUBLIC.to_owned())).await
}

fn select<'a>(page: &'a scraper::Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    page.select(&scraper::Selector::parse(css).unwrap()).collect()
}

/// The `content` of the page's `<meta property=...>` or `<meta name=...>`.
fn meta(page: &scraper::Html, key: &str) -> Option<String> {
    let css = format!("meta[property=\"{key}\"], meta[name=\"{key}\"]");
    select(page, &css).first().and_then(|m| m.value().attr("content")).map(str::to_owned)
}

fn canonical(page: &scraper::Html) -> Option<String> {
    select(page, "link[rel=canonical]").first().and_then(|l| l.value().attr("href")).map(str::to_owned)
}

fn json_ld(page: &scraper::Html) -> Vec<Value> {
    select(page, "script[type=\"application/ld+json\"]")
        .iter()
        .map(|s| serde_json::from_str(&s.inner_html()).expect("JSON-LD is JSON"))
        .collect()
}

/// An admin archives the product `id`.
async fn archive(app: &TestApp, id: &str) {
    app.sign_in(ADMIN, "/").await;
    let version = app.call_json("admin/product", &[("id", id)]).await["version"].to_string();
    let archived =
        app.call_json("admin/product/archive", &[("id", id), ("version", &version), ("archived", "true")]).await;
    assert!(archived.get("Saved").is_some(), "{archived}");
}

#[tokio::test]
async fn a_product_page_carries_a_valid_product_with_its_offer_and_its_preview_tags() {
    let app = app().await;
    let (status, html) = app.get_html("/products/ember-ruby-band").await;
    assert_eq!(status, 200);
    let page = scraper::Html::parse_document(&html);
    let products = json_ld(&page);
    assert_eq!(products.len(), 1, "one Product on the page");
    let product = &products[0];
    let problems = errors(&schema("product-structured-data.schema.json"), product);
    assert!(problems.is_empty(), "{product:#}\n{problems:#?}");
    assert_eq!(product["name"], "Ember Ruby Band");
    assert_eq!(product["sku"], "EMBER-RUBY-BAND", "its one variant's SKU");
    assert_eq!(product["brand"]["name"], "Maison Lune");
    assert_eq!(product["offers"]["price"], "18725000", "the price a shopper pays now (the discount)");
    assert_eq!(product["offers"]["priceCurrency"], "VND");
    assert_eq!(product["offers"]["availability"], "https://schema.org/InStock");
    let url = format!("{PUBLIC}/products/ember-ruby-band");
    assert_eq!(product["url"], url.as_str());
    let image = product["image"][0].as_str().unwrap().to_owned();
    assert!(image.starts_with(&format!("{PUBLIC}/images/")), "{image}");

    assert_eq!(canonical(&page).as_deref(), Some(url.as_str()));
    assert_eq!(meta(&page, "og:url").as_deref(), Some(url.as_str()));
    assert_eq!(meta(&page, "og:type").as_deref(), Some("product"));
    assert_eq!(meta(&page, "og:title").as_deref(), Some("Ember Ruby Band by Maison Lune · Lumen Jewelry"));
    assert_eq!(meta(&page, "og:image").as_deref(), Some(image.as_str()));
    assert_eq!(meta(&page, "twitter:card").as_deref(), Some("summary_large_image"));
    assert_eq!(meta(&page, "twitter:image").as_deref(), Some(image.as_str()));
    assert_eq!(meta(&page, "product:price:amount").as_deref(), Some("18725000"));
    assert_eq!(meta(&page, "product:price:currency").as_deref(), Some("VND"));
    assert!(meta(&page, "og:description").is_some_and(|d| !d.is_empty()));
}

#[tokio::test]
async fn a_product_sold_by_size_and_metal_is_a_valid_product_group_with_an_offer_per_variant() {
    let app = app().await;
    let (status, html) = app.get_html("/products/blush-eternity-band?variant=BEB-12-PT").await;
    assert_eq!(status, 200);
    let page = scraper::Html::parse_document(&html);
    let group = &json_ld(&page)[0];
    let problems = errors(&schema("product-structured-data.schema.json"), group);
    assert!(problems.is_empty(), "{group:#}\n{problems:#?}");
    assert_eq!(group["@type"], "ProductGroup");
    assert_eq!(group["productGroupID"], "blush-eternity-band");
    assert_eq!(group["variesBy"], json!(["https://schema.org/size", "https://schema.org/material"]));
    let variants = group["hasVariant"].as_array().unwrap();
    assert_eq!(variants.len(), 32, "9 sizes in 4 metals, less 4 sizes not made in platinum");
    let platinum = variants.iter().find(|v| v["sku"] == "BEB-12-PT").expect("BEB-12-PT");
    assert_eq!(platinum["size"], "12");
    assert_eq!(platinum["material"], "Platinum");
    assert_eq!(platinum["name"], "Blush Eternity Band (12, Platinum)");
    assert_eq!(platinum["offers"]["price"], "46250000", "its own price");
    assert_eq!(platinum["url"], format!("{PUBLIC}/products/blush-eternity-band?variant=BEB-12-PT").as_str());
    let sold_out = variants.iter().find(|v| v["sku"] == "BEB-16-RG").unwrap();
    assert_eq!(sold_out["offers"]["availability"], "https://schema.org/OutOfStock");
    assert_eq!(sold_out["offers"]["price"], "33750000", "the product's price");
    // The group is the product's, whichever variant the address chose.
    assert_eq!(canonical(&page).as_deref(), Some(format!("{PUBLIC}/products/blush-eternity-band").as_str()));
    assert_eq!(group["url"], format!("{PUBLIC}/products/blush-eternity-band").as_str());
    // A product without options stays a Product (the schema holds both).
    let (_, html) = app.get_html("/products/ember-ruby-band").await;
    assert_eq!(json_ld(&scraper::Html::parse_document(&html))[0]["@type"], "Product");
}

#[tokio::test]
async fn a_product_name_cannot_end_the_structured_data_script() {
    let app = app().await;
    app.sign_in(ADMIN, "/").await;
    let name = "Ring </script><script>alert(1)</script> & co";
    let form: Vec<(&str, &str)> = vec![
        ("input[id]", "script-ring"),
        ("input[name]", name),
        ("input[brand]", "Lumen Atelier"),
        ("input[category_id]", "rings"),
        ("input[description]", "A ring </script> with a story."),
        ("input[price]", "100"),
        ("input[discount_price]", ""),
        ("input[stock]", "1"),
        ("input[version]", ""),
    ];
    let saved = app.call_json("admin/product/save", &form).await;
    assert!(saved.get("Saved").is_some(), "{saved}");
    let (status, html) = app.get_html("/products/script-ring").await;
    assert_eq!(status, 200);
    assert!(!html.contains("<script>alert(1)"), "no script of the name's making");
    let page = scraper::Html::parse_document(&html);
    let product = &json_ld(&page)[0];
    assert_eq!(product["name"], name, "the name reads back whole");
    assert!(product.get("image").is_none(), "no images yet: no image key, not an empty one");
}

#[tokio::test]
async fn the_home_and_catalog_pages_have_their_own_titles_descriptions_and_canonical_addresses() {
    let app = app().await;
    let home = scraper::Html::parse_document(&app.get_html("/").await.1);
    assert_eq!(canonical(&home).as_deref(), Some("https://shop.example/"));
    assert_eq!(meta(&home, "og:title").as_deref(), Some("Fine jewelry, delivered · Lumen Jewelry"));
    assert!(meta(&home, "description").is_some_and(|d| d.starts_with("Rings, necklaces")));

    let rings = scraper::Html::parse_document(&app.get_html("/catalog?category=rings&sort=price_asc").await.1);
    assert_eq!(canonical(&rings).as_deref(), Some("https://shop.example/catalog?category=rings"));
    assert_eq!(select(&rings, "title")[0].inner_html(), "Rings · Lumen Jewelry");
    assert!(meta(&rings, "robots").is_none(), "a category is indexed");
    let search = scraper::Html::parse_document(&app.get_html("/catalog?q=ruby").await.1);
    assert_eq!(meta(&search, "robots").as_deref(), Some("noindex, follow"), "search results are not");
}

#[tokio::test]
async fn archived_products_answer_410_and_unknown_ones_404_with_the_shops_page() {
    let app = app().await;
    archive(&app, "northern-hoops").await;
    let (status, gone) = app.get_html("/products/northern-hoops").await;
    assert_eq!(status, 410);
    assert!(gone.contains("This piece is no longer available") && gone.contains("site-header"), "the shop's page");
    assert!(gone.contains("noindex"));
    let (status, missing) = app.get_html("/products/never-was").await;
    assert_eq!(status, 404);
    assert!(missing.contains("Product not found") && missing.contains("site-header"));
}

#[tokio::test]
async fn the_sitemap_lists_every_listed_product_and_category_with_lastmod_and_robots_points_to_it() {
    let app = app().await;
    archive(&app, "northern-hoops").await;

    let response = app.client.get(app.url("/sitemap.xml")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("application/xml"));
    let xml = response.text().await.unwrap();
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    assert!(xml.contains("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "));
    let locs: Vec<&str> = xml.split("<loc>").skip(1).map(|s| s.split("</loc>").next().unwrap()).collect();
    let settings =
        jewelry_server::config::Settings { database_url: Some(app.database_url.clone().into()), ..Default::default() };
    let pool = jewelry_server::db::connect(&settings.database(), None).await.unwrap();
    let listed: Vec<(String,)> =
        sqlx::query_as("SELECT id FROM products WHERE archived = 0").fetch_all(pool.pool()).await.unwrap();
    let categories: Vec<(String,)> = sqlx::query_as("SELECT id FROM categories").fetch_all(pool.pool()).await.unwrap();
    assert!(listed.len() > 10);
    for (id,) in &listed {
        assert!(locs.contains(&format!("{PUBLIC}/products/{id}").as_str()), "{id} is listed");
    }
    for (id,) in &categories {
        assert!(locs.contains(&format!("{PUBLIC}/catalog?category={id}").as_str()), "category {id}");
    }
    assert!(!xml.contains("northern-hoops"), "an archived product is not");
    assert_eq!(
        locs.len(),
        2 * (2 + categories.len() + listed.len()),
        "home, catalog, categories, products, in both languages"
    );
    assert_eq!(xml.matches("<lastmod>").count(), locs.len(), "each with when it last changed");
    assert!(locs.iter().all(|l| l.starts_with(PUBLIC)));

    let robots = app.client.get(app.url("/robots.txt")).send().await.unwrap().text().await.unwrap();
    for path in ["/admin", "/account", "/cart", "/checkout"] {
        assert!(robots.lines().any(|l| l == format!("Disallow: {path}")), "{path}: {robots}");
    }
    assert!(robots.contains("Sitemap: https://shop.example/sitemap.xml"));
    assert!(!robots.lines().any(|l| l == "Disallow: /products/" || l == "Disallow: /"), "the shop itself is open");
}
