//! The catalog's pages are read from memory (the catalog's reads, and whole pages
//! for shoppers not signed in), yet what they show is never older than the last
//! change made through this server: an admin's edit, a checkout's stock, an image.
//! A change made by another instance on the same database shows within
//! `catalog_cache_secs`. Every page is read both by the test's browser (cookies:
//! signed in, a cart) and by a new visitor (none). A signed-in shopper is sent the
//! page kept for guests with their own account links: the page rendered for them.

use crate::auth::{ADMIN, SHOPPER};
use crate::helpers::*;
use std::time::{Duration, Instant};

const PRODUCT: &str = "riviera-tennis-bracelet";

/// A page as a visitor without cookies sees it: status and HTML.
async fn visitor_html(app: &TestApp, path: &str) -> (u16, String) {
    let response = reqwest::get(app.url(path)).await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// A page as the test's browser and a new visitor see it.
struct Seen {
    status: u16,
    pages: [String; 2],
}

impl Seen {
    fn shows(&self, text: &str) -> bool {
        self.pages.iter().all(|p| p.contains(text))
    }

    fn hides(&self, text: &str) -> bool {
        self.pages.iter().all(|p| !p.contains(text))
    }
}

async fn html(app: &TestApp, path: &str) -> Seen {
    let (status, page) = app.get_html(path).await;
    let (visitor_status, visitor_page) = visitor_html(app, path).await;
    assert_eq!(status, visitor_status, "{path}");
    Seen { status, pages: [page, visitor_page] }
}

/// Loads each page twice, for both, so that the second answers come from memory.
async fn read_twice(app: &TestApp, paths: &[&str]) {
    for path in paths {
        for _ in 0..2 {
            assert_eq!(app.get_html(path).await.0, 200, "{path}");
            assert_eq!(visitor_html(app, path).await.0, 200, "{path}");
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
        ("input[stock_was]", "2"),
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
    assert!(html(&app, &product).await.shows("₫94,500,000"), "the sale price before the change");

    let saved = app.call_json("admin/product/save", &edit_form("108.025.000", "1")).await;
    assert_eq!(saved["Saved"]["version"], 2, "{saved}");
    let after = html(&app, &product).await;
    assert!(after.shows("₫108,025,000") && after.hides("₫94,500,000"), "the product page");
    for path in ["/catalog?category=bracelets", "/catalog?q=tennis&sort=price_desc"] {
        let page = html(&app, path).await;
        assert!(page.shows("₫108,025,000") && page.hides("₫94,500,000"), "{path}");
    }

    // Archived: gone from the pages at once, and back when restored.
    let archived =
        app.call_json("admin/product/archive", &[("id", PRODUCT), ("version", "2"), ("archived", "true")]).await;
    assert_eq!(archived["Saved"]["version"], 3, "{archived}");
    assert_eq!(html(&app, &product).await.status, 410, "an archived product is gone");
    assert!(html(&app, "/catalog?category=bracelets").await.hides("Riviera Tennis Bracelet"));
}

#[tokio::test]
async fn the_stock_a_checkout_takes_shows_at_once_on_the_product_page() {
    let app = spawn_app().await;
    let product = format!("/products/{PRODUCT}");
    read_twice(&app, &[product.as_str(), "/catalog?category=bracelets"]).await;
    assert!(html(&app, &product).await.shows("Only 2 left"));

    app.call_json("cart/add", &[("product_id", PRODUCT), ("quantity", "1")]).await;
    let outcome = app.call_json("checkout", SHIPPING).await;
    assert!(outcome["Placed"].is_object(), "{outcome}");
    assert!(html(&app, &product).await.shows("Only 1 left"), "one was sold");

    app.call_json("cart/add", &[("product_id", PRODUCT), ("quantity", "1")]).await;
    assert!(app.call_json("checkout", SHIPPING).await["Placed"].is_object());
    assert!(html(&app, &product).await.shows("Sold out"), "the last one was sold");
    assert!(html(&app, "/catalog?category=bracelets").await.shows("Sold out"), "the catalog's badge too");
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
    let page = html(&app, product).await;
    assert!(page.shows(&url) && page.shows("Northern Hoops, worn"), "the new image is on the page");
    let id = image["id"].to_string();
    app.call_json(
        "admin/images/alt",
        &[("product_id", "northern-hoops"), ("image_id", &id), ("alt", "Hoops on a model")],
    )
    .await;
    assert!(html(&app, product).await.shows("Hoops on a model"), "its new alt text");
    app.call_json("admin/images/remove", &[("product_id", "northern-hoops"), ("image_id", &id)]).await;
    assert!(html(&app, product).await.hides(&url), "removed");
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
    sqlx::query("UPDATE products SET discount_price_cents = 1234000, version = version + 1 WHERE id = $1")
        .bind(PRODUCT)
        .execute(&other)
        .await
        .unwrap();
    let changed = Instant::now();
    loop {
        if html(&app, &product).await.shows("₫1,234,000") {
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

#[tokio::test]
async fn a_new_visitor_is_sent_the_kept_page_with_a_nonce_of_its_own() {
    let app = spawn_app().await;
    let first = reqwest::get(app.url("/catalog?category=rings")).await.unwrap();
    let nonce = |r: &reqwest::Response| {
        let csp = r.headers()["content-security-policy"].to_str().unwrap().to_owned();
        csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap().to_owned()
    };
    let first_nonce = nonce(&first);
    let first_html = first.text().await.unwrap();
    let second = reqwest::get(app.url("/catalog?category=rings")).await.unwrap();
    let second_nonce = nonce(&second);
    let second_html = second.text().await.unwrap();
    assert_ne!(first_nonce, second_nonce, "a nonce is never sent twice");
    assert!(!second_html.contains(&first_nonce), "the kept page's old nonce is gone");
    let scripts = scraper::Selector::parse("script").unwrap();
    let document = scraper::Html::parse_document(&second_html);
    let nonces: Vec<_> = document.select(&scripts).map(|s| s.value().attr("nonce").map(str::to_owned)).collect();
    assert!(!nonces.is_empty() && nonces.iter().all(|n| n.as_deref() == Some(second_nonce.as_str())), "{nonces:?}");
    assert_eq!(
        first_html.replace(&first_nonce, "N"),
        second_html.replace(&second_nonce, "N"),
        "otherwise the same page"
    );
}

/// A page with its CSP nonce (new on every answer) taken out.
fn without_nonce(html: &str) -> String {
    let nonce = html.split("nonce=\"").nth(1).and_then(|rest| rest.split('"').next()).expect("a nonce");
    html.replace(nonce, "N")
}

/// Nothing on a storefront page is rendered from the cart (the browser fills in
/// the header's badge), which is what lets a shopper with a cart be sent the kept
/// page; the cart itself is read from the database every time. Both with pages
/// rendered for every request (the page is the same) and kept (the page a shopper
/// with a cart was rendered and which is kept is the new visitor's too).
#[tokio::test]
async fn a_shopper_with_a_cart_is_sent_the_page_a_new_visitor_is() {
    let product = format!("/products/{PRODUCT}");
    for keep in [Duration::ZERO, Duration::from_secs(60)] {
        let app = spawn_app_with(|s| s.catalog_cache = keep).await;
        app.call_json("cart/add", &[("product_id", PRODUCT), ("quantity", "1")]).await;
        for path in ["/", "/catalog?q=ring", product.as_str()] {
            let (status, shopper) = app.get_html(path).await;
            let (visitor_status, visitor) = visitor_html(&app, path).await;
            assert_eq!((status, visitor_status), (200, 200), "{path}");
            assert_eq!(without_nonce(&shopper), without_nonce(&visitor), "{path}, pages kept for {keep:?}");
        }
        let cart = app.call_json("cart", &[]).await;
        assert_eq!(cart["lines"][0]["quantity"], 1, "{cart}");
        app.call_json("cart/add", &[("product_id", PRODUCT), ("quantity", "1")]).await;
        assert_eq!(app.call_json("cart", &[]).await["lines"][0]["quantity"], 2, "never a kept cart ({keep:?})");
    }
}

/// A signed-in shopper is sent the page kept for guests with their own account
/// links in the header, and that is the page the server renders for them: the
/// pages seen with pages kept are those seen with every page rendered (the
/// origin, which differs between the two servers, and the nonce taken out).
/// Their name never reaches anyone else's page.
#[tokio::test]
async fn a_signed_in_shopper_is_sent_the_page_rendered_for_them() {
    let product = format!("/products/{PRODUCT}");
    let paths = ["/", "/catalog?q=ring&sort=price_asc", product.as_str()];
    let mut seen = Vec::new();
    for keep in [Duration::ZERO, Duration::from_secs(60)] {
        let app = spawn_app_with(|s| s.catalog_cache = keep).await;
        // The shopper asks first: with pages kept, each is rendered for a guest then.
        assert_eq!(app.sign_in(SHOPPER, "/").await.status(), 303);
        let admin = app.other_browser_signed_in(ADMIN).await;
        let mut pages = Vec::new();
        for path in paths {
            for round in 0..2 {
                let (status, shopper) = app.get_html(path).await;
                let answer = admin.get(app.url(path)).send().await.unwrap();
                let admin_status = answer.status().as_u16();
                let admin_page = answer.text().await.unwrap();
                let (visitor_status, visitor) = visitor_html(&app, path).await;
                assert_eq!((status, admin_status, visitor_status), (200, 200, 200), "{path}");
                let links = |page: &str| {
                    let document = scraper::Html::parse_document(page);
                    let selector = scraper::Selector::parse(".account-links a, .account-links button").unwrap();
                    document.select(&selector).map(|e| e.text().collect::<String>()).collect::<Vec<_>>()
                };
                assert_eq!(links(&shopper), ["Account of shopper@lumen.example", "Sign out"], "{path}");
                assert_eq!(links(&admin_page), ["Account of admin@lumen.example", "Admin", "Sign out"], "{path}");
                assert_eq!(links(&visitor), ["Sign in"], "{path}");
                for page in [&shopper, &admin_page, &visitor] {
                    let names = ["shopper@lumen.example", "admin@lumen.example"];
                    let named = names.iter().filter(|name| page.contains(**name)).count();
                    assert!(named <= 1, "{path}: one shopper's page names another ({keep:?})");
                }
                if round == 1 {
                    let origin = app.url("");
                    pages.push([shopper, admin_page, visitor].map(|p| without_nonce(&p).replace(&origin, "ORIGIN")));
                }
            }
        }
        seen.push(pages);
    }
    for (rendered, kept) in seen[0].iter().zip(&seen[1]) {
        for (rendered, kept) in rendered.iter().zip(kept) {
            assert_eq!(rendered, kept, "the page kept and answered to a shopper is the page rendered for them");
        }
    }
}

/// A signed-in shopper is sent the page kept for guests with their own links put
/// in place of the guest's, not a page rendered anew: the header's account element
/// is the one the page cache looks for (`jewelry_page_cache_answers_total` counts
/// which it was, in a server of the test's own).
#[tokio::test]
async fn a_signed_in_shopper_is_sent_the_kept_page() {
    let server = crate::process::Launch::new().env("APP_CATALOG_CACHE_SECS", "60").start();
    let shopper = server.sign_in(SHOPPER).await;
    let answers = || async {
        let metrics = reqwest::get(server.url("/metrics")).await.unwrap().text().await.unwrap();
        let count = |outcome: &str| {
            let name = format!("jewelry_page_cache_answers_total{{outcome=\"{outcome}\"}} ");
            metrics.lines().find_map(|l| l.strip_prefix(&name)?.trim().parse::<u64>().ok()).unwrap_or(0)
        };
        (count("hit"), count("rendered"))
    };
    let path = "/catalog?category=rings";
    assert_eq!(reqwest::get(server.url(path)).await.unwrap().status(), 200, "a visitor's page, kept");
    let (hits, renders) = answers().await;
    let page = shopper.get(server.url(path)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("shopper@lumen.example"), "the shopper's own links");
    assert_eq!(answers().await, (hits + 1, renders), "the kept page was answered, none rendered");
}
