//! Variants: a ring sold by size and metal (the seed's Blush Eternity Band), a
//! necklace by chain length (the Violet Hour Necklace); their pages, carts,
//! stock and orders, and the upgrade that made every older product its one
//! default variant.

use crate::helpers::*;
use serde_json::{Value, json};
use std::time::Duration;

pub(crate) const RING: &str = "blush-eternity-band";

/// A browser of its own (cookies kept, redirects not followed).
pub(crate) fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

pub(crate) async fn pool(app: &TestApp) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    sqlx::AnyPool::connect(&app.database_url).await.unwrap()
}

pub(crate) async fn stock_of(pool: &sqlx::AnyPool, sku: &str) -> i64 {
    let (stock,): (i64,) =
        sqlx::query_as("SELECT stock FROM product_variants WHERE sku = $1").bind(sku).fetch_one(pool).await.unwrap();
    stock
}

pub(crate) async fn set_stock(pool: &sqlx::AnyPool, sku: &str, stock: i64) {
    sqlx::query("UPDATE product_variants SET stock = $1 WHERE sku = $2")
        .bind(stock)
        .bind(sku)
        .execute(pool)
        .await
        .unwrap();
}

pub(crate) async fn variant_id(pool: &sqlx::AnyPool, sku: &str) -> String {
    let (id,): (String,) =
        sqlx::query_as("SELECT id FROM product_variants WHERE sku = $1").bind(sku).fetch_one(pool).await.unwrap();
    id
}

/// The `<a>` or `<span>` of a picker's value, as the page has it.
fn picker_value<'p>(page: &'p str, label: &str) -> &'p str {
    let pattern = format!(">{label}<");
    let at = page.find(&pattern).unwrap_or_else(|| panic!("no picker value {label:?}"));
    let start = page[..at].rfind('<').unwrap();
    let end = at + page[at..].find("</").unwrap();
    &page[start..end]
}

#[tokio::test]
async fn a_products_page_offers_each_option_as_links_to_its_variants_and_shows_the_chosen_one() {
    let app = spawn_app().await;
    let (status, page) = app.get_html(&format!("/products/{RING}")).await;
    assert_eq!(status, 200, "{page}");
    // Without a choice, the first in stock: size 8 in rose gold.
    assert!(page.contains(r#"data-testid="sku">BEB-8-RG<"#), "the first variant in stock is shown");
    assert!(page.contains("Ring size: 8") && page.contains("Metal: 18K rose gold"), "each picker names its choice");
    assert_eq!(page.matches(r#"role="radiogroup""#).count(), 2, "a group per option");
    let twelve = picker_value(&page, "12");
    assert!(twelve.contains(r#"role="radio""#) && twelve.contains(r#"aria-checked="false""#), "{twelve}");
    assert!(twelve.contains(r#"href="/products/blush-eternity-band?variant=BEB-12-RG""#), "{twelve}");
    // Platinum is not made in size 8: shown as such, leading to the nearest platinum.
    let platinum = picker_value(&page, "Platinum");
    assert!(platinum.contains("unavailable"), "{platinum}");
    assert!(page.contains("Platinum<span class=\"visually-hidden\"> (not made with this choice)"));
    assert!(platinum.contains("?variant=BEB-10-PT"), "{platinum}");
    // The ring has sizes: the guide opens from the page, without JavaScript.
    assert!(page.contains(r#"<details class="size-guide">"#) && page.contains("Ring size guide"));
    assert!(page.contains("<th scope=\"row\">12</th><td>52.0</td><td>16.6</td>"), "52 mm around, 16.6 across");

    // A variant with its own price, chosen by its SKU (any case) in the URL.
    let (status, page) = app.get_html(&format!("/products/{RING}?variant=beb-12-pt")).await;
    assert_eq!(status, 200);
    assert!(page.contains(r#"data-testid="sku">BEB-12-PT<"#));
    assert!(page.contains("Ring size: 12") && page.contains("Metal: Platinum"));
    assert!(page.contains("46,250,000"), "platinum's own price");
    assert!(!page.contains("33,750,000"), "not the product's");
    assert!(
        page.contains(r#"name="variant_id" value="blush-eternity-band:12:platinum""#),
        "the form adds this variant"
    );
    // Canonical to the product, whatever the variant.
    let canonical_at = page.find(r#" rel="canonical""#).unwrap();
    let canonical = &page[page[..canonical_at].rfind("<link").unwrap()..canonical_at];
    assert!(canonical.ends_with(&format!("/products/{RING}\"")), "{canonical}");

    // A sold-out combination: shown, marked, and not offered to the cart.
    let (_, page) = app.get_html(&format!("/products/{RING}?variant=BEB-16-RG")).await;
    assert!(page.contains(r#"data-testid="sku">BEB-16-RG<"#));
    assert!(page.contains("This choice is sold out. Choose another above."), "no add-to-cart form for it");
    let (_, page) = app.get_html(&format!("/products/{RING}?variant=BEB-16-YG")).await;
    let sold_out = picker_value(&page, "18K rose gold");
    assert!(sold_out.contains("sold-out") && page.contains("18K rose gold<span class=\"visually-hidden\"> (sold out)"));

    // In Vietnamese, the options' own words.
    let (_, page) = app.get_html(&format!("/vi/products/{RING}?variant=BEB-12-PT")).await;
    assert!(page.contains("Ni nhẫn: 12") && page.contains("Chất liệu: Bạch kim"));
    assert!(page.contains("Hướng dẫn chọn ni nhẫn") && page.contains("<td>52,0</td><td>16,6</td>"));
}

#[tokio::test]
async fn a_variant_without_its_own_price_takes_the_products_and_its_discount() {
    let app = spawn_app().await;
    let (_, page) = app.get_html("/products/violet-hour-necklace?variant=VHN-45").await;
    assert!(page.contains("13,500,000") && page.contains("15,500,000"), "the product's sale and regular prices");
    assert!(!page.contains("Ring size guide"), "no size guide without sizes");
    let (_, page) = app.get_html("/products/violet-hour-necklace?variant=VHN-50").await;
    assert!(page.contains("16,500,000") && !page.contains("13,500,000"), "its own price, no discount");
}

#[tokio::test]
async fn a_cart_holds_a_line_per_variant_with_its_options_price_and_stock() {
    let app = spawn_app().await;
    let refused = app.call("cart/add", &[("product_id", RING), ("quantity", "1")]).await;
    assert_eq!(refused.status(), 409);
    let refused: Value = refused.json().await.unwrap();
    assert_eq!(refused["Refused"], json!({"code": "choose_variant"}), "a product with options needs a variant");

    let other = app
        .call(
            "cart/add",
            &[("product_id", "ember-ruby-band"), ("variant_id", &format!("{RING}:12:platinum")), ("quantity", "1")],
        )
        .await;
    assert_eq!(other.json::<Value>().await.unwrap()["Refused"], json!({"code": "no_longer_available"}));

    let added = app
        .call_json(
            "cart/add",
            &[("product_id", RING), ("variant_id", &format!("{RING}:12:platinum")), ("quantity", "1")],
        )
        .await;
    assert_eq!(added["variant"]["sku"], "BEB-12-PT");
    assert_eq!(added["product"]["price"], 46_250_000, "the variant's price");
    app.call_json(
        "cart/add",
        &[("product_id", RING), ("variant_id", &format!("{RING}:14:platinum")), ("quantity", "2")],
    )
    .await;
    let cart = app.call_json("cart", &[]).await;
    let lines = cart["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 2, "two sizes of one ring are two lines");
    assert_eq!(lines[0]["variant"]["options"][0]["value"]["en"], "12");
    assert_eq!(lines[1]["variant"]["options"][0]["value"]["en"], "14");
    assert_eq!(lines[1]["quantity"], 2);
    assert_eq!(lines[0]["product"]["stock"], 2, "the variant's stock");

    // Refusals name the variant.
    let over = app.call("cart/update", &[("variant_id", &format!("{RING}:14:platinum")), ("quantity", "3")]).await;
    assert_eq!(
        over.json::<Value>().await.unwrap()["Refused"],
        json!({"code": "not_enough_of", "left": 2, "name": {
            "vi": "Nhẫn eternity Blush (Ni nhẫn: 14, Chất liệu: Bạch kim)",
            "en": "Blush Eternity Band (Ring size: 14, Metal: Platinum)"
        }})
    );
    let sold_out = app
        .call(
            "cart/add",
            &[("product_id", RING), ("variant_id", &format!("{RING}:16:rose-gold-18k")), ("quantity", "1")],
        )
        .await;
    assert_eq!(
        sold_out.json::<Value>().await.unwrap()["Refused"]["name"]["en"],
        "Blush Eternity Band (Ring size: 16, Metal: 18K rose gold)"
    );
    // The cart page says which is which.
    let (_, page) = app.get_html("/cart").await;
    assert!(page.contains("Ring size: 12, Metal: Platinum") && page.contains("Ring size: 14, Metal: Platinum"));
    assert!(page.contains(&format!(r#"href="/products/{RING}?variant=BEB-14-PT""#)));
}

#[tokio::test]
async fn without_javascript_the_variants_form_adds_the_chosen_variant() {
    let app = spawn_app().await;
    let shopper = browser();
    // The form as the page renders it, posted as a browser without JavaScript does.
    let response = shopper
        .post(app.url("/api/cart/add"))
        .header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
        .header("Referer", app.url(&format!("/products/{RING}?variant=BEB-11-YG")))
        .form(&[("product_id", RING), ("variant_id", &format!("{RING}:11:yellow-gold-18k")), ("quantity", "2")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302, "back to the page");
    let cart = app.call_json_from(&shopper, "cart", &[]).await;
    assert_eq!(cart["lines"][0]["variant"]["sku"], "BEB-11-YG");
    assert_eq!(cart["lines"][0]["quantity"], 2);
}

#[tokio::test]
async fn an_order_keeps_each_variant_its_options_and_takes_stock_from_that_variant_alone() {
    let app = spawn_app().await;
    let db = pool(&app).await;
    let before = (stock_of(&db, "BEB-12-YG").await, stock_of(&db, "BEB-13-YG").await, stock_of(&db, "BEB-14-YG").await);
    for (size, quantity) in [("12", "1"), ("14", "2")] {
        app.call_json(
            "cart/add",
            &[("product_id", RING), ("variant_id", &format!("{RING}:{size}:yellow-gold-18k")), ("quantity", quantity)],
        )
        .await;
    }
    let placed = app.call_json("checkout", SHIPPING).await;
    let order_id = placed["Placed"]["order_id"].as_str().expect("placed").to_owned();
    assert_eq!(placed["Placed"]["total"], 33_750_000 * 3, "yellow gold at the product's price");
    let after = (stock_of(&db, "BEB-12-YG").await, stock_of(&db, "BEB-13-YG").await, stock_of(&db, "BEB-14-YG").await);
    assert_eq!(after, (before.0 - 1, before.1, before.2 - 2), "each size's own stock, the others untouched");

    let lines: Vec<(String, Option<String>, Option<String>, String)> = sqlx::query_as(
        "SELECT product_id, variant_id, sku, options FROM order_lines WHERE order_id = $1 ORDER BY line_no",
    )
    .bind(&order_id)
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(
        lines,
        [
            (
                RING.into(),
                Some(format!("{RING}:12:yellow-gold-18k")),
                Some("BEB-12-YG".into()),
                "Ring size: 12, Metal: 18K yellow gold".into()
            ),
            (
                RING.into(),
                Some(format!("{RING}:14:yellow-gold-18k")),
                Some("BEB-14-YG".into()),
                "Ring size: 14, Metal: 18K yellow gold".into()
            ),
        ],
        "the options as the shopper's page said them"
    );
    let (_, page) = app.get_html(&format!("/orders/{order_id}")).await;
    assert!(
        page.contains("Ring size: 12, Metal: 18K yellow gold")
            && page.contains("Ring size: 14, Metal: 18K yellow gold")
    );
    let data = app.call_json("cart", &[]).await;
    assert!(data["lines"].as_array().unwrap().is_empty(), "the cart was emptied");
}

/// 16 shoppers at once try to buy the last 3 rings of one size while 8 others
/// each buy one of another size: exactly 3 of the first sell, all 8 of the
/// other, and no stock goes below none. (On PostgreSQL too when the suite runs
/// there: `TEST_POSTGRES_URL`.)
#[tokio::test]
async fn shoppers_racing_for_the_last_rings_of_one_size_never_oversell_it_and_other_sizes_sell_normally() {
    let app = spawn_app().await;
    let db = pool(&app).await;
    set_stock(&db, "BEB-12-WG", 3).await;
    set_stock(&db, "BEB-13-WG", 10).await;
    let scarce = variant_id(&db, "BEB-12-WG").await;
    let plenty = variant_id(&db, "BEB-13-WG").await;
    let mut shoppers = Vec::new();
    for i in 0..24 {
        let shopper = browser();
        let variant = if i < 16 { &scarce } else { &plenty };
        let added = app
            .call_json_from(&shopper, "cart/add", &[("product_id", RING), ("variant_id", variant), ("quantity", "1")])
            .await;
        assert_eq!(added["line_quantity"], 1);
        shoppers.push((i < 16, shopper));
    }
    let checkouts = shoppers.iter().map(|(scarce, shopper)| {
        let app = &app;
        async move { (*scarce, app.call_json_from(shopper, "checkout", SHIPPING).await) }
    });
    let outcomes = futures_util::future::join_all(checkouts).await;
    let placed = |want: bool| outcomes.iter().filter(|(s, o)| *s == want && o.get("Placed").is_some()).count();
    assert_eq!(placed(true), 3, "exactly the last 3 of size 12 sold");
    assert_eq!(placed(false), 8, "every size-13 shopper bought theirs");
    for (_, outcome) in outcomes.iter().filter(|(s, o)| *s && o.get("Placed").is_none()) {
        let said = outcome["StockChanged"].as_str().unwrap_or_else(|| panic!("a refusal, not {outcome}"));
        assert!(said.contains("Blush Eternity Band (Ring size: 12"), "names the variant: {said}");
    }
    assert_eq!(stock_of(&db, "BEB-12-WG").await, 0);
    assert_eq!(stock_of(&db, "BEB-13-WG").await, 2);
    let (sold,): (i64,) =
        sqlx::query_as("SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM order_lines WHERE variant_id = $1")
            .bind(&scarce)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(sold, 3, "no more sold than there were");
}

/// A database as the release before variants left it: a product, a guest's cart
/// holding it, and an order of it.
#[tokio::test]
async fn the_upgrade_makes_every_product_its_one_variant_and_keeps_carts_and_orders() {
    let dir = tempfile::tempdir().unwrap();
    let (url, old) = database_before(dir.path(), "20261208000001").await;
    let cart = uuid();
    let statements = [
        "INSERT INTO shop_currency (id, currency) VALUES (1, 'VND')".to_owned(),
        "INSERT INTO categories (id, name, description, position) VALUES ('rings', 'Rings', 'Rings.', 0)".to_owned(),
        "INSERT INTO products (id, name, brand, category_id, description, price_cents, discount_price_cents, stock, \
         featured, archived, version, created_at, updated_at, name_vi) VALUES ('old-band', 'Old Band', 'Aurelia', \
         'rings', 'A band from before variants.', 12000000, NULL, 5, 1, 0, 3, '2026-11-30T09:00:00.000Z', \
         '2026-11-30T09:00:00.000Z', 'Nhẫn cũ')"
            .to_owned(),
        "INSERT INTO product_images (product_id, url, alt, alt_vi, position) VALUES ('old-band', \
         '/images/products/ember-ruby-band.svg', 'Old Band', 'Nhẫn cũ', 0)"
            .to_owned(),
        format!(
            "INSERT INTO carts (id, created_at, updated_at) VALUES ('{cart}', '2026-12-06T10:00:00.000Z', '2026-12-06T10:00:00.000Z')"
        ),
        format!(
            "INSERT INTO cart_items (cart_id, product_id, quantity, added_at) VALUES ('{cart}', 'old-band', 2, '2026-12-06T10:00:00.000Z')"
        ),
        format!(
            "INSERT INTO orders (id, cart_id, status, email, full_name, phone, address_line1, city, region, postal_code, \
             country, payment_method, subtotal_cents, shipping_cents, total_cents, currency, created_at) VALUES \
             ('JW-0000000042', '{cart}', 'placed', 'a@example.com', 'Trần Văn A', '090 123 4567', '12 Hàng Bạc', \
             'Phường Hoàn Kiếm', 'Hà Nội', '', 'VN', 'cash_on_delivery', 12000000, 0, 12000000, 'VND', \
             '2026-12-05T10:00:00.000Z')"
        ),
        "INSERT INTO order_lines (order_id, line_no, product_id, name, brand, unit_price_cents, quantity, \
         line_total_cents) VALUES ('JW-0000000042', 1, 'old-band', 'Nhẫn cũ', 'Aurelia', 12000000, 1, 12000000)"
            .to_owned(),
    ];
    for statement in &statements {
        sqlx::query(statement).execute(&old).await.unwrap_or_else(|e| panic!("{statement}: {e}"));
    }
    old.close().await;

    let app = spawn_app_with(|s| s.database_url = Some(url.clone().into())).await;
    let db = pool(&app).await;
    let variants: Vec<(String, String, String, i64)> =
        sqlx::query_as("SELECT id, product_id, sku, stock FROM product_variants").fetch_all(&db).await.unwrap();
    assert_eq!(variants, [("old-band".into(), "old-band".into(), "OLD-BAND".into(), 5)], "one default variant");

    // The guest's cart still holds its line, and the order is still theirs to read.
    let cookie = format!("jw_cart={cart}");
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::COOKIE, cookie.parse().unwrap());
    let guest = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .unwrap();
    let held = app.call_json_from(&guest, "cart", &[]).await;
    assert_eq!(held["lines"][0]["variant"]["id"], "old-band");
    assert_eq!(held["lines"][0]["quantity"], 2);
    assert_eq!(held["lines"][0]["product"]["stock"], 5);
    let order = guest.get(app.url("/orders/JW-0000000042")).send().await.unwrap();
    assert_eq!(order.status(), 200);
    let page = order.text().await.unwrap();
    assert!(page.contains("Nhẫn cũ") && page.contains("12,000,000"), "the order reads as before");

    // The product sells as before: its page, a checkout taking the stock.
    let (status, page) = app.get_html("/products/old-band").await;
    assert_eq!(status, 200);
    assert!(page.contains("In stock (5 available)") && !page.contains("role=\"radiogroup\""));
    let placed = app.call_json_from(&guest, "checkout", SHIPPING).await;
    assert_eq!(placed["Placed"]["item_count"], 2);
    assert_eq!(stock_of(&db, "OLD-BAND").await, 3);
}

/// The catalog's metal and price filters: a piece is in when a variant of it is
/// in that metal at a price in that range; each value shows how many it leaves.
#[tokio::test]
async fn the_catalog_filters_by_metal_and_price_with_counts_and_keeps_the_other_filters() {
    let app = spawn_app().await;
    let names = |page: &str| -> Vec<String> {
        let doc = scraper::Html::parse_document(page);
        let selector = scraper::Selector::parse(".product-card .product-name").unwrap();
        doc.select(&selector).map(|e| e.text().collect::<String>()).collect()
    };
    let (_, page) = app.get_html("/catalog?category=rings&metal=platinum").await;
    assert_eq!(names(&page), ["Aurora Solitaire Ring", "Blush Eternity Band"], "its own metal, or a variant's");
    assert!(page.contains(r#"<meta name="robots" content="noindex, follow">"#), "a filtered page is not indexed");

    // One variant must be both: platinum at 30 to 60 million is the band's, not the solitaire's.
    let (_, page) = app.get_html("/catalog?category=rings&metal=platinum&price=30000000-60000000").await;
    assert_eq!(names(&page), ["Blush Eternity Band"]);
    let (_, page) = app.get_html("/catalog?category=rings&metal=rose-gold&price=60000000-").await;
    assert!(names(&page).is_empty());
    let (_, page) = app.get_html("/catalog?q=eternity&metal=platinum").await;
    assert_eq!(names(&page), ["Blush Eternity Band"], "with a search too");

    // The counts beside each value: the rings, the price filter as chosen.
    let (_, page) = app.get_html("/catalog?category=rings&sort=price_asc").await;
    let doc = scraper::Html::parse_document(&page);
    let facet = |list: &str| -> Vec<(String, String)> {
        let selector = scraper::Selector::parse(&format!("ul[aria-labelledby={list}] li")).unwrap();
        doc.select(&selector)
            .map(|li| {
                let count = li.select(&scraper::Selector::parse(".count").unwrap()).next().unwrap();
                let count = count.text().collect::<String>();
                let label = li.text().collect::<String>();
                (label.strip_suffix(count.as_str()).unwrap_or(&label).to_owned(), count)
            })
            .collect()
    };
    let pairs =
        |list: &[(&str, &str)]| list.iter().map(|(a, b)| ((*a).to_owned(), (*b).to_owned())).collect::<Vec<_>>();
    assert_eq!(
        facet("filter-metal"),
        pairs(&[("Yellow gold", "4"), ("White gold", "1"), ("Rose gold", "1"), ("Platinum", "2"), ("Silver", "2")])
    );
    assert_eq!(
        facet("filter-price"),
        pairs(&[
            ("Under ₫5,000,000", "0"),
            ("₫5,000,000 to ₫15,000,000", "3"),
            ("₫15,000,000 to ₫30,000,000", "1"),
            ("₫30,000,000 to ₫60,000,000", "1"),
            ("₫60,000,000 and over", "2"),
        ])
    );
    // A value's link keeps the category and sort, starts at page 1; a chosen one takes itself off.
    assert!(page.contains(r#"href="/catalog?category=rings&amp;metal=platinum&amp;sort=price_asc""#));
    let (_, page) = app.get_html("/catalog?category=rings&metal=platinum&sort=price_asc&page=1").await;
    assert!(
        page.contains(r#"href="/catalog?category=rings&amp;sort=price_asc" aria-current="true""#),
        "the chosen one"
    );
    let doc = scraper::Html::parse_document(&page);
    let prices: Vec<String> = doc
        .select(&scraper::Selector::parse("ul[aria-labelledby=filter-price] .count").unwrap())
        .map(|c| c.text().collect())
        .collect();
    assert_eq!(prices, ["0", "0", "0", "1", "1"], "price counts with platinum chosen");
}
