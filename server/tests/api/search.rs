//! Search as shoppers type it: accents, case and one typo ignored, the best match
//! first. CI runs this file on SQLite and on PostgreSQL, so the same table holds
//! the two to the same answers.

use crate::auth::ADMIN;
use crate::helpers::*;

/// Pieces whose words are in no seeded product's name (one seeded description has
/// "phương", which the table finds last): (id, name, brand, category, price).
const PIECES: [(&str, &str, &str, &str, &str); 4] = [
    ("nhan-phuong-hoang", "Nhẫn Phượng Hoàng", "Kim Hoàn Sài Gòn", "rings", "2400"),
    ("day-chuyen-phuong-vu", "Dây chuyền Phượng Vũ", "Bạc Đồng Xuân", "necklaces", "900"),
    ("bong-tai-hoang-yen", "Bông tai Hoàng Yến", "Phượng Các", "earrings", "650"),
    ("marquise-tanzanite-ring", "Marquise Tanzanite Ring", "Kim Hoàn Sài Gòn", "rings", "3100"),
];

async fn shop_with_the_pieces() -> TestApp {
    let app = spawn_app().await;
    app.sign_in(ADMIN, "/").await;
    for (id, name, brand, category, price) in PIECES {
        let form = [
            ("input[id]", id),
            ("input[name]", name),
            ("input[brand]", brand),
            ("input[category_id]", category),
            ("input[description]", "Made to order in the shop's own workshop."),
            ("input[price]", price),
            ("input[discount_price]", ""),
            ("input[stock]", "3"),
            ("input[stock_was]", "3"),
            ("input[version]", ""),
        ];
        let saved = app.call_json("admin/product/save", &form).await;
        assert_eq!(saved["Saved"]["version"], 1, "{id}: {saved}");
    }
    app
}

fn product_names(html: &str) -> Vec<String> {
    html.split("class=\"product-name\">")
        .skip(1)
        .map(|rest| rest.split('<').next().unwrap_or_default().to_owned())
        .collect()
}

/// What a search finds, in the order shown.
async fn found(app: &TestApp, query: &str) -> Vec<String> {
    let path = format!("/catalog?{query}");
    let (status, html) = app.get_html(&path).await;
    assert_eq!(status, 200, "{path}");
    product_names(&html)
}

#[tokio::test]
async fn the_search_table_gives_the_same_answers_on_either_database() {
    let app = shop_with_the_pieces().await;
    let table: &[(&str, &[&str])] = &[
        // Accents and case do not count; names before brands.
        // The seeded Tidewater ring's Vietnamese description has "phương": last.
        ("q=phuong", &["Dây chuyền Phượng Vũ", "Nhẫn Phượng Hoàng", "Bông tai Hoàng Yến", "Tidewater Sapphire Ring"]),
        ("q=PH%C6%AF%E1%BB%A2NG+HO%C3%80NG", &["Nhẫn Phượng Hoàng", "Bông tai Hoàng Yến"]),
        ("q=nhan+phuong", &["Nhẫn Phượng Hoàng", "Tidewater Sapphire Ring"]),
        ("q=nh%E1%BA%ABn+ph%C6%B0%E1%BB%A3ng", &["Nhẫn Phượng Hoàng", "Tidewater Sapphire Ring"]),
        // "đ" is "d".
        ("q=dong+xuan", &["Dây chuyền Phượng Vũ"]),
        ("q=%C4%91%E1%BB%93ng", &["Dây chuyền Phượng Vũ", "Starlight Diamond Studs"]),
        // One typo in a word of five letters or more, none in a shorter one.
        ("q=tanzanite", &["Marquise Tanzanite Ring"]),
        ("q=tanzanitte", &["Marquise Tanzanite Ring"]),
        ("q=tanznite", &["Marquise Tanzanite Ring"]),
        ("q=marqiuse+ring", &["Marquise Tanzanite Ring"]),
        ("q=phoung", &["Dây chuyền Phượng Vũ", "Nhẫn Phượng Hoàng", "Bông tai Hoàng Yến", "Tidewater Sapphire Ring"]),
        ("q=pheung", &[]),
        ("q=tanazniet", &[]),
        // The start of a word, never its middle; punctuation is no word.
        ("q=tanz", &["Marquise Tanzanite Ring"]),
        ("q=zanite", &[]),
        ("q=%25", &[]),
        // With a category, and with a sort the shopper chose.
        ("q=phuong&category=rings", &["Nhẫn Phượng Hoàng", "Tidewater Sapphire Ring"]),
        (
            "q=phuong&sort=price_asc",
            &["Bông tai Hoàng Yến", "Dây chuyền Phượng Vũ", "Nhẫn Phượng Hoàng", "Tidewater Sapphire Ring"],
        ),
        // Either language's words find a piece, whichever the page is in.
        ("q=ho%E1%BB%93ng+ng%E1%BB%8Dc+ember", &["Ember Ruby Band"]),
        ("q=sai+gon&sort=price_desc", &["Marquise Tanzanite Ring", "Nhẫn Phượng Hoàng"]),
    ];
    let mut wrong = Vec::new();
    for (query, expected) in table {
        let got = found(&app, query).await;
        if got != *expected {
            wrong.push(format!("{query}: got {got:?}, expected {expected:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[tokio::test]
async fn a_search_pages_its_results_and_counts_them_all() {
    let app = spawn_app().await;
    // More than a page of the seeded pieces are in gold.
    let (_, first) = app.get_html("/catalog?q=gold").await;
    let total: usize = first
        .split(" pieces")
        .next()
        .and_then(|before| before.rsplit(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .expect("the page says how many pieces match");
    assert!(total > 12, "more than a page: {total}");
    let (_, second) = app.get_html("/catalog?q=gold&page=2").await;
    let (first, second) = (product_names(&first), product_names(&second));
    assert_eq!(first.len(), 12);
    assert_eq!(second.len(), total - 12);
    assert!(first.iter().all(|name| !second.contains(name)), "no piece on two pages");
}

#[tokio::test]
async fn the_admins_list_searches_by_the_same_rules() {
    let app = shop_with_the_pieces().await;
    let ids = |list: serde_json::Value| -> Vec<String> {
        list.as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_owned()).collect()
    };
    let list = app.call_json("admin/products", &[("search", "PHUONG")]).await;
    assert_eq!(ids(list), ["day-chuyen-phuong-vu", "nhan-phuong-hoang", "bong-tai-hoang-yen"]);
    let list = app.call_json("admin/products", &[("search", "tanzanitte")]).await;
    assert_eq!(ids(list), ["marquise-tanzanite-ring"]);
    let list = app.call_json("admin/products", &[("search", "hoang-yen")]).await;
    assert_eq!(ids(list), ["bong-tai-hoang-yen"], "ids are searched too");
    let list = app.call_json("admin/products", &[("search", "nhan ruby")]).await;
    assert_eq!(ids(list), ["ember-ruby-band"], "names in either language");
    let all = app.call_json("admin/products", &[("search", "")]).await;
    assert_eq!(all.as_array().unwrap().len(), 28 + PIECES.len(), "no search lists every product");
}
