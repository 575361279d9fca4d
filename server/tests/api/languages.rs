//! The shop in Vietnamese (its default) and English: an address per language,
//! `lang`, `hreflang` and canonical links, every word from the page's language,
//! the first visit's choice by `Accept-Language`, the switcher, and server
//! functions answering in their page's language.

use crate::helpers::*;
use jewelry::Locale;

/// A server with the shipped languages: Vietnamese at the plain addresses.
async fn vietnamese_shop() -> TestApp {
    spawn_app_with(|settings| settings.default_locale = Locale::Vi).await
}

/// `html` with the entities Leptos writes put back, so table words compare.
fn text_of(html: &str) -> String {
    html.replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The other language's words that must not appear on a page in `locale`: entries
/// that differ between the languages, long enough not to be a common word, with
/// their filled-in parts cut away.
fn foreign_words(locale: Locale) -> Vec<String> {
    let other = if locale == Locale::Vi { Locale::En } else { Locale::Vi };
    let (mine, theirs) = (jewelry::text::all(locale), jewelry::text::all(other));
    let mut words = Vec::new();
    for ((_, _, mine), (_, _, theirs)) in mine.iter().zip(&theirs) {
        if mine == theirs {
            continue;
        }
        for piece in theirs.split(['{', '}']).step_by(2) {
            let piece = piece.trim();
            if piece.chars().count() >= 12 && !mine.contains(piece) {
                words.push(piece.to_owned());
            }
        }
    }
    words
}

/// The page at `path` in `locale` (`/en` before it for English): answered with
/// `status`, its `<html lang>` the language's, and none of the `foreign` words in
/// it. Answers its address and HTML.
async fn page_in(app: &TestApp, locale: Locale, path: &str, status: u16, foreign: &[String]) -> (String, String) {
    let address = if locale == Locale::Vi { path.to_owned() } else { format!("/en{path}") };
    let (got, html) = app.get_html(&address).await;
    assert_eq!(got, status, "{address}");
    assert_eq!(attribute(&html, "<html lang=\""), Some(locale.code()), "{address}");
    let text = text_of(&html);
    for word in foreign {
        assert!(!text.contains(word.as_str()), "{address} in {locale} shows the other language's {word:?}");
    }
    (address, html)
}

fn attribute<'a>(html: &'a str, start: &str) -> Option<&'a str> {
    html.split(start).nth(1)?.split('"').next()
}

#[tokio::test]
async fn every_page_type_is_in_one_language_with_its_alternates() {
    let app = vietnamese_shop().await;
    let pages = [
        ("/", 200),
        ("/catalog", 200),
        ("/catalog?q=nhan", 200),
        ("/products/aurora-solitaire-ring", 200),
        ("/cart", 200),
        ("/checkout", 200),
        ("/signin", 200),
        ("/account", 401),
        ("/no-such-page", 404),
        ("/products/no-such-piece", 404),
    ];
    for locale in [Locale::Vi, Locale::En] {
        let foreign = foreign_words(locale);
        assert!(foreign.len() > 50, "the test compares real words ({})", foreign.len());
        for (path, status) in pages {
            let (address, html) = page_in(&app, locale, path, status, &foreign).await;
            assert!(html.contains("<title>") && !html.contains("<title></title>"), "{address} has a title");
            for hreflang in ["vi", "en", "x-default"] {
                assert!(html.contains(&format!("hreflang=\"{hreflang}\"")), "{address} has its {hreflang} alternate");
            }
            assert!(html.contains("rel=\"canonical\""), "{address} has a canonical");
        }
    }
}

#[tokio::test]
async fn the_account_and_the_admin_area_are_in_one_language_each() {
    let app = vietnamese_shop().await;
    app.sign_in(crate::auth::ADMIN, "/").await;
    // An order, so the account and the overview have rows to write.
    app.call_json("cart/add", &[("product_id", "ember-ruby-band"), ("quantity", "1")]).await;
    let placed = app.call_json("checkout", SHIPPING).await;
    assert!(placed.get("Placed").is_some(), "{placed}");
    let order = format!("/orders/{}", placed["Placed"]["order_id"].as_str().unwrap());
    let pages = [
        "/account",
        order.as_str(),
        "/admin",
        "/admin/products",
        "/admin/products/new",
        "/admin/products/ember-ruby-band/edit",
        "/admin/insights",
    ];
    for locale in [Locale::Vi, Locale::En] {
        let foreign = foreign_words(locale);
        for path in pages {
            page_in(&app, locale, path, 200, &foreign).await;
        }
    }
}

#[tokio::test]
async fn each_language_has_its_own_address_and_canonical() {
    let app = vietnamese_shop().await;
    let origin = app.address.clone();
    let (_, vi) = app.get_html("/catalog?category=rings").await;
    assert!(vi.contains(&format!("<link href=\"{origin}/catalog?category=rings\" rel=\"canonical\">")), "{vi}");
    assert!(vi.contains(&format!("<link href=\"{origin}/en/catalog?category=rings\" hreflang=\"en\"")));
    assert!(vi.contains(&format!("<link href=\"{origin}/catalog?category=rings\" hreflang=\"x-default\"")));
    assert!(vi.contains("Giỏ hàng"), "the Vietnamese header");
    let (_, en) = app.get_html("/en/catalog?category=rings").await;
    assert!(en.contains(&format!("<link href=\"{origin}/en/catalog?category=rings\" rel=\"canonical\">")));
    assert!(en.contains("href=\"/en/catalog\""), "links stay in English");
    let (status, home) = app.get_html("/en").await;
    assert_eq!((status, attribute(&home, "<html lang=\"")), (200, Some("en")));
    assert!(home.contains(&format!("<link href=\"{origin}/en/\" rel=\"canonical\">")));
}

#[tokio::test]
async fn a_first_visit_follows_accept_language_and_the_choice_is_remembered() {
    let app = vietnamese_shop().await;
    let browser =
        reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let page = |path: &str, language: &str| {
        browser.get(app.url(path)).header("Accept", "text/html").header("Accept-Language", language).send()
    };
    let first = page("/catalog?q=nhan", "en-US,en;q=0.9").await.unwrap();
    assert_eq!(first.status(), 302);
    assert_eq!(first.headers()["location"], "/en/catalog?q=nhan");
    assert!(first.headers()["set-cookie"].to_str().unwrap().starts_with("lang=en"));
    // Remembered: a browser now asking for Vietnamese first is still sent to English.
    let again = page("/", "vi-VN").await.unwrap();
    assert_eq!((again.status().as_u16(), again.headers()["location"].to_str().unwrap()), (302, "/en/"));
    let vietnamese = browser.get(app.url("/language/vi?return_to=/catalog%3Fq%3Dnhan")).send().await.unwrap();
    assert_eq!(vietnamese.status(), 303);
    assert_eq!(vietnamese.headers()["location"], "/catalog?q=nhan");
    assert!(vietnamese.headers()["set-cookie"].to_str().unwrap().starts_with("lang=vi"));
    let served = page("/catalog?q=nhan", "en").await.unwrap();
    assert_eq!(served.status(), 200, "the choice outweighs Accept-Language");
    assert_eq!(attribute(&served.text().await.unwrap(), "<html lang=\""), Some("vi"));
    // An address in a language is served in it, whatever was chosen.
    let english = page("/en/catalog", "vi").await.unwrap();
    assert_eq!(english.status(), 200);
    assert_eq!(attribute(&english.text().await.unwrap(), "<html lang=\""), Some("en"));

    // With no choice and no language the shop offers, the default.
    let stranger = reqwest::Client::new();
    let french =
        stranger.get(app.url("/")).header("Accept", "text/html").header("Accept-Language", "fr").send().await.unwrap();
    assert_eq!(french.status(), 200);
    assert!(french.headers().get("set-cookie").is_none(), "nothing chosen, nothing remembered");
}

#[tokio::test]
async fn the_switcher_keeps_the_page_its_query_and_the_cart() {
    let app = vietnamese_shop().await;
    app.call_json("cart/add", &[("product_id", "aurora-solitaire-ring"), ("quantity", "2")]).await;
    let (_, catalog) = app.get_html("/catalog?q=nh%E1%BA%ABn&sort=price_asc").await;
    assert!(catalog.contains("class=\"language-switcher\""), "the page has a switcher");
    let link = catalog
        .split("href=\"/language/en?return_to=")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&");
    let answer = app.client.get(app.url(&format!("/language/en?return_to={link}"))).send().await.unwrap();
    assert_eq!(answer.status(), 303);
    assert_eq!(answer.headers()["location"], "/en/catalog?q=nh%E1%BA%ABn&sort=price_asc");
    let cart = app.call_json("cart", &[]).await;
    assert_eq!(cart["lines"][0]["quantity"], 2, "the cart is the shopper's in any language: {cart}");
    let (_, english_cart) = app.get_html("/en/cart").await;
    assert!(english_cart.contains("Aurora Solitaire Ring"), "the cart page in English shows the cart");
    // Only the shop's own addresses are gone back to.
    for away in ["//evil.example/", "https://evil.example/", "/\\evil.example"] {
        let answer = app.client.get(app.url("/language/en")).query(&[("return_to", away)]).send().await.unwrap();
        assert_eq!(answer.headers()["location"], "/en/", "{away}");
    }
    assert_eq!(app.client.get(app.url("/language/fr")).send().await.unwrap().status(), 404);
}

#[tokio::test]
async fn server_functions_answer_in_the_calling_pages_language() {
    let app = vietnamese_shop().await;
    app.call_json("cart/add", &[("product_id", "aurora-solitaire-ring"), ("quantity", "1")]).await;
    let mut form: Vec<(&str, &str)> = SHIPPING.to_vec();
    form.retain(|(k, _)| *k != "input[email]");
    form.push(("input[email]", "not-an-email"));
    let checkout = |referer: Option<&'static str>| {
        let mut request = app.client.post(app.url("/api/checkout")).header("Accept", "application/json").form(&form);
        if let Some(referer) = referer {
            request = request.header("Referer", format!("{}{referer}", app.address));
        }
        request.send()
    };
    let english = checkout(Some("/en/checkout")).await.unwrap().text().await.unwrap();
    assert!(english.contains("Enter an email address like name@example.com."), "{english}");
    let vietnamese = checkout(Some("/checkout")).await.unwrap().text().await.unwrap();
    assert!(vietnamese.contains(jewelry::text::order::VI.field_email_invalid), "{vietnamese}");
    assert_eq!(vietnamese, checkout(None).await.unwrap().text().await.unwrap(), "no page: the default language");
}

#[tokio::test]
async fn the_sitemap_lists_every_language_with_its_alternates() {
    let app = vietnamese_shop().await;
    let (status, xml) = app.get_html("/sitemap.xml").await;
    assert_eq!(status, 200);
    let origin = &app.address;
    for loc in [
        "/",
        "/en/",
        "/catalog",
        "/en/catalog",
        "/products/aurora-solitaire-ring",
        "/en/products/aurora-solitaire-ring",
    ] {
        assert!(xml.contains(&format!("<loc>{origin}{loc}</loc>")), "{loc}");
    }
    assert!(xml.contains(&format!("hreflang=\"x-default\" href=\"{origin}/catalog\"")));
    assert_eq!(xml.matches("<url>").count() % 2, 0, "each page in both languages");
    let (_, robots) = app.get_html("/robots.txt").await;
    assert!(robots.contains("Disallow: /en/admin"), "{robots}");
}

#[tokio::test]
async fn a_database_from_before_both_languages_keeps_its_english_and_shows_it_in_vietnamese() {
    let dir = tempfile::tempdir().unwrap();
    let (url, pool) = database_before(dir.path(), "20261207000002").await;
    for statement in [
        "INSERT INTO categories (id, name, description, position) VALUES ('rings', 'Rings', 'Rings of every kind.', 0)",
        "INSERT INTO products (id, name, brand, category_id, description, price_cents, discount_price_cents, stock, \
         featured, archived, version, created_at, updated_at) VALUES ('old-band', 'Old Band', 'Aurelia', 'rings', \
         'A band from before the shop spoke Vietnamese.', 7490000, NULL, 3, 1, 0, 1, '2026-11-30T09:00:00.000Z', \
         '2026-11-30T09:00:00.000Z')",
    ] {
        sqlx::query(statement).execute(&pool).await.unwrap_or_else(|e| panic!("{statement}: {e}"));
    }
    pool.close().await;
    let app = spawn_app_with(|s| {
        s.database_url = Some(url.clone().into());
        s.default_locale = Locale::Vi;
    })
    .await;
    let (status, page) = app.get_html("/products/old-band").await;
    assert_eq!(status, 200);
    assert_eq!(attribute(&page, "<html lang=\""), Some("vi"));
    assert!(page.contains("<h1>Old Band</h1>"), "the English name, the one there is");
    assert!(page.contains("A band from before the shop spoke Vietnamese."));
    assert!(page.contains("7.490.000"), "the price kept, written the Vietnamese way");

    // The admin sees which language is missing, and fills it in.
    app.sign_in(crate::auth::ADMIN, "/").await;
    let list = app.call_json("admin/products", &[("search", "old band")]).await;
    assert_eq!(list[0]["name"], serde_json::json!({"vi": "", "en": "Old Band"}));
    let (_, admin) = app.get_html("/admin/products").await;
    assert!(admin.contains(jewelry::text::admin::VI.missing_vi), "the list marks the missing Vietnamese");
    let product = app.call_json("admin/product", &[("id", "old-band")]).await;
    let version = product["version"].to_string();
    let form = [
        ("input[id]", "old-band"),
        ("input[name]", "Old Band"),
        ("input[name_vi]", "Nhẫn trơn cổ điển"),
        ("input[brand]", "Aurelia"),
        ("input[category_id]", "rings"),
        ("input[description]", "A band from before the shop spoke Vietnamese."),
        ("input[description_vi]", "Chiếc nhẫn trơn từ trước khi cửa hàng nói tiếng Việt."),
        ("input[price]", "7490000"),
        ("input[discount_price]", ""),
        ("input[stock]", "3"),
        ("input[stock_was]", "3"),
        ("input[version]", version.as_str()),
    ];
    let saved = app.call_json("admin/product/save", &form).await;
    assert!(saved.get("Saved").is_some(), "{saved}");
    let (_, vietnamese) = app.get_html("/products/old-band").await;
    assert!(vietnamese.contains("<h1>Nhẫn trơn cổ điển</h1>"), "now in Vietnamese");
    let (_, english) = app.get_html("/en/products/old-band").await;
    assert!(english.contains("<h1>Old Band</h1>"), "and still in English");
}
