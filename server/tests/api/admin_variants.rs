//! Admins' variants: options that make the matrix, each variant's SKU, prices,
//! stock and archiving, changes in bulk; versions and crud lines.

use crate::auth::ADMIN;
use crate::helpers::*;
use serde_json::Value;

/// A product of the admin's own, without options: `atelier-band`, 5 in stock.
async fn admin_with_a_band() -> TestApp {
    let app = spawn_app().await;
    app.sign_in(ADMIN, "/").await;
    let created = app
        .call_json(
            "admin/product/save",
            &[
                ("input[id]", "atelier-band"),
                ("input[name]", "Atelier Band"),
                ("input[brand]", "Lumen Atelier"),
                ("input[category_id]", "rings"),
                ("input[description]", "A hammered gold band made in the shop's own workshop."),
                ("input[price]", "16000000"),
                ("input[discount_price]", ""),
                ("input[stock]", "5"),
                ("input[metal]", "yellow-gold"),
                ("input[version]", ""),
            ],
        )
        .await;
    assert_eq!(created["Saved"]["version"], 1);
    app
}

async fn variants(app: &TestApp) -> Value {
    app.call_json("admin/product/variants", &[("id", "atelier-band")]).await
}

fn options_form<'a>(version: &'a str, sizes: &'a str, metals: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("input[product_id]", "atelier-band"),
        ("input[version]", version),
        ("input[kind1]", "size"),
        ("input[name1]", "Ring size"),
        ("input[name_vi1]", "Ni nhẫn"),
        ("input[values1]", sizes),
        ("input[values_vi1]", ""),
        ("input[kind2]", "metal"),
        ("input[name2]", "Metal"),
        ("input[name_vi2]", "Chất liệu"),
        ("input[values2]", metals),
        ("input[values_vi2]", if metals.is_empty() { "" } else { "Vàng 18K, Bạch kim" }),
    ]
}

fn skus(variants: &Value, archived: bool) -> Vec<String> {
    variants["variants"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["archived"] == archived)
        .map(|v| v["sku"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn options_make_the_matrix_and_changing_them_archives_and_restores_variants() {
    let app = admin_with_a_band().await;
    let before = variants(&app).await;
    assert_eq!(skus(&before, false), ["ATELIER-BAND"], "one default variant");
    let (_, gold) = app.get_html("/catalog?metal=yellow-gold").await;
    assert!(gold.contains("Atelier Band"), "the product's own metal, for the filter");

    let saved =
        app.call_json("admin/product/options/save", &options_form("1", "10, 12", "18K yellow gold, Platinum")).await;
    assert_eq!(saved["Saved"]["version"], 2);
    let after = variants(&app).await;
    assert_eq!(
        skus(&after, false),
        [
            "ATELIER-BAND-10-18K-YELLOW-GOLD",
            "ATELIER-BAND-10-PLATINUM",
            "ATELIER-BAND-12-18K-YELLOW-GOLD",
            "ATELIER-BAND-12-PLATINUM"
        ]
    );
    assert_eq!(skus(&after, true), ["ATELIER-BAND"], "the default variant is archived, not deleted");
    assert_eq!(after["options"][1]["values"][1]["label"], serde_json::json!({"vi": "Bạch kim", "en": "Platinum"}));
    let (_, platinum) = app.get_html("/catalog?metal=platinum").await;
    assert!(platinum.contains("Atelier Band"), "now a variant's metal");
    // The shop offers them at once, each out of stock until the admin says.
    let (_, page) = app.get_html("/products/atelier-band").await;
    assert!(page.contains("Ring size: 10") && page.contains("Metal: 18K yellow gold"));
    assert!(page.contains("This choice is sold out."));

    // A second admin's stale form is refused, and changes nothing.
    let stale =
        app.call_json("admin/product/options/save", &options_form("1", "10", "18K yellow gold, Platinum")).await;
    assert_eq!(stale["Conflict"]["current_version"], 2);

    // Size 12 dropped, size 14 added: 12's variants archived, 14's made.
    app.call_json("admin/product/options/save", &options_form("2", "10, 14", "18K yellow gold, Platinum")).await;
    let after = variants(&app).await;
    assert_eq!(skus(&after, false).len(), 4);
    assert!(skus(&after, true).contains(&"ATELIER-BAND-12-PLATINUM".to_owned()));
    // And back: the archived ones return (with their stock and SKU), none made anew.
    app.call_json("admin/product/options/save", &options_form("3", "10, 12, 14", "18K yellow gold, Platinum")).await;
    let after = variants(&app).await;
    assert_eq!(skus(&after, false).len(), 6);
    assert_eq!(skus(&after, true), ["ATELIER-BAND"]);
    // No options at all: the default variant sells again.
    app.call_json("admin/product/options/save", &options_form("4", "", "")).await;
    let after = variants(&app).await;
    assert_eq!(skus(&after, false), ["ATELIER-BAND"]);
    assert_eq!(after["variants"][0]["stock"], 5, "with the stock it had");

    let crud = app.lines_of("crud");
    let variant_lines: Vec<(&str, &str)> = crud
        .iter()
        .filter(|l| l["entity"] == "variant")
        .map(|l| (l["action"].as_str().unwrap(), l["entityId"].as_str().unwrap()))
        .collect();
    assert!(variant_lines.contains(&("archive", "atelier-band")));
    assert!(variant_lines.contains(&("create", "atelier-band:12:platinum")));
    assert!(variant_lines.contains(&("restore", "atelier-band:12:platinum")));
    assert!(variant_lines.contains(&("restore", "atelier-band")));
    assert_eq!(crud.iter().filter(|l| l["entity"] == "product" && l["action"] == "update").count(), 4);
}

#[tokio::test]
async fn options_are_refused_field_by_field() {
    let app = admin_with_a_band().await;
    let mut form = options_form("1", "10, 10", "Gold");
    form.retain(|(k, _)| *k != "input[values_vi2]");
    form.push(("input[values_vi2]", "Vàng, Bạc"));
    let refused = app.call_json("admin/product/options/save", &form).await;
    let errors = refused["Invalid"].as_object().unwrap();
    assert_eq!(errors.keys().collect::<Vec<_>>(), ["values1", "values_vi2"]);
    assert_eq!(skus(&variants(&app).await, false), ["ATELIER-BAND"], "nothing changed");
}

#[tokio::test]
async fn each_variants_sku_prices_stock_and_archiving_are_saved_and_a_sale_made_meanwhile_stays_sold() {
    let app = admin_with_a_band().await;
    app.call_json("admin/product/options/save", &options_form("1", "10, 12", "")).await;
    let loaded = variants(&app).await;
    let rows: Vec<&Value> = loaded["variants"].as_array().unwrap().iter().filter(|v| v["archived"] == false).collect();
    let (ten, twelve) = (rows[0]["id"].as_str().unwrap(), rows[1]["id"].as_str().unwrap());
    // Stock for both, size 12 with a price of its own.
    let form = |version: &'static str, stock10: &'static str, was10: &'static str, archive12: bool| {
        let mut form = vec![
            ("input[product_id]".to_owned(), "atelier-band".to_owned()),
            ("input[version]".to_owned(), version.to_owned()),
        ];
        for (i, (id, sku, price, stock, was, archived)) in
            [(ten, "AB-10", "", stock10, was10, false), (twelve, "AB-12", "17500000", "3", "0", archive12)]
                .into_iter()
                .enumerate()
        {
            let field = |name: &str| format!("input[rows][{i}][{name}]");
            form.push((field("id"), id.to_owned()));
            form.push((field("sku"), sku.to_owned()));
            form.push((field("price"), price.to_owned()));
            form.push((field("discount_price"), String::new()));
            form.push((field("stock"), stock.to_owned()));
            form.push((field("stock_was"), was.to_owned()));
            if archived {
                form.push((field("archived"), "on".to_owned()));
            }
        }
        form
    };
    let call = |form: Vec<(String, String)>| {
        let app = &app;
        async move {
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            app.call_json("admin/product/variants/save", &pairs).await
        }
    };
    let saved = call(form("2", "4", "0", false)).await;
    assert_eq!(saved["Saved"]["version"], 3, "{saved}");
    let (_, page) = app.get_html("/products/atelier-band?variant=AB-12").await;
    assert!(page.contains("₫17,500,000") && page.contains("Only 3 left"), "its own price and stock");
    let (_, page) = app.get_html("/products/atelier-band?variant=AB-10").await;
    assert!(page.contains("₫16,000,000"), "the product's price");

    // A shopper buys one size 10 while the admin's form (showing 4) is open.
    app.call_json("cart/add", &[("product_id", "atelier-band"), ("variant_id", ten), ("quantity", "1")]).await;
    assert!(app.call_json("checkout", SHIPPING).await.get("Placed").is_some());
    // The admin adds 2 (4 to 6) and archives size 12.
    let saved = call(form("3", "6", "4", true)).await;
    assert_eq!(saved["Saved"]["version"], 4);
    let loaded = variants(&app).await;
    let ten_now = loaded["variants"].as_array().unwrap().iter().find(|v| v["id"] == ten).unwrap();
    assert_eq!(ten_now["stock"], 5, "4 - 1 sold + 2 added: the sale stays sold");
    assert_eq!(skus(&loaded, true), ["ATELIER-BAND", "AB-12"]);
    let (_, page) = app.get_html("/products/atelier-band").await;
    assert!(!page.contains("variant=AB-12"), "an archived variant is not offered");

    // A stale form is refused whole; a SKU another variant has is refused.
    let stale = call(form("3", "9", "5", false)).await;
    assert_eq!(stale["Conflict"]["current_version"], 4);
    let mut taken = form("4", "5", "5", true);
    taken[3].1 = "BEB-12-PT".to_owned();
    let refused = call(taken).await;
    assert_eq!(refused["Invalid"]["sku.0"], "Another variant has this SKU.");

    let crud = app.lines_of("crud");
    let updates: Vec<(&str, &str)> = crud
        .iter()
        .filter(|l| l["entity"] == "variant" && l["version"].is_i64())
        .map(|l| (l["action"].as_str().unwrap(), l["entityId"].as_str().unwrap()))
        .collect();
    assert_eq!(updates, [("update", ten), ("update", twelve), ("archive", twelve), ("update", ten)]);
}

#[tokio::test]
async fn a_bulk_change_prices_and_restocks_the_variants_of_one_value() {
    let app = admin_with_a_band().await;
    app.call_json("admin/product/options/save", &options_form("1", "10, 12, 14", "18K yellow gold, Platinum")).await;
    let applied = app
        .call_json(
            "admin/product/variants/bulk",
            &[
                ("input[product_id]", "atelier-band"),
                ("input[version]", "2"),
                ("input[which]", "2:platinum"),
                ("input[price]", "21000000"),
                ("input[discount_price]", "19500000"),
                ("input[stock_add]", "+2"),
            ],
        )
        .await;
    assert_eq!(applied["changed"], 3, "the three platinum sizes");
    assert_eq!(applied["outcome"]["Saved"]["version"], 3);
    let loaded = variants(&app).await;
    for v in loaded["variants"].as_array().unwrap().iter().filter(|v| v["archived"] == false) {
        let platinum = v["sku"].as_str().unwrap().ends_with("PLATINUM");
        assert_eq!(v["stock"], if platinum { 2 } else { 0 }, "{v}");
        assert_eq!(v["price"], if platinum { Value::from(21_000_000) } else { Value::Null }, "{v}");
    }
    // Every one of them back to the product's price, and stock taken away (never below none).
    let applied = app
        .call_json(
            "admin/product/variants/bulk",
            &[
                ("input[product_id]", "atelier-band"),
                ("input[version]", "3"),
                ("input[which]", ""),
                ("input[product_price]", "on"),
                ("input[stock_add]", "-1"),
            ],
        )
        .await;
    assert_eq!(applied["changed"], 6);
    let loaded = variants(&app).await;
    let live: Vec<&Value> = loaded["variants"].as_array().unwrap().iter().filter(|v| v["archived"] == false).collect();
    assert!(live.iter().all(|v| v["price"].is_null() && v["discount_price"].is_null()));
    assert_eq!(live.iter().map(|v| v["stock"].as_i64().unwrap()).sum::<i64>(), 3);
    let nothing = app
        .call_json(
            "admin/product/variants/bulk",
            &[("input[product_id]", "atelier-band"), ("input[version]", "4"), ("input[which]", "")],
        )
        .await;
    assert_eq!(nothing["outcome"]["Invalid"]["price"], "Enter at least one change.");
}

#[tokio::test]
async fn an_image_given_to_a_variant_is_shown_when_that_variant_is_chosen() {
    let app = spawn_app().await;
    app.sign_in(ADMIN, "/").await;
    let product = app.call_json("admin/product", &[("id", "blush-eternity-band")]).await;
    let image = product["images"][0]["id"].to_string();
    let choices = product["variant_choices"].as_array().unwrap();
    assert_eq!(choices.len(), 32, "every variant on sale");
    let platinum = choices.iter().find(|c| c["label"]["en"] == "Ring size: 12, Metal: Platinum (BEB-12-PT)").unwrap();
    let platinum = platinum["id"].as_str().unwrap();

    let images = app
        .call_json(
            "admin/images/variant",
            &[("product_id", "blush-eternity-band"), ("image_id", &image), ("variant_id", platinum)],
        )
        .await;
    assert_eq!(images[0]["variant_id"], platinum);
    let img = "/images/products/blush-eternity-band.svg";
    let (_, page) = app.get_html("/products/blush-eternity-band?variant=BEB-12-PT").await;
    assert!(page.contains(&format!(r#"<div class="gallery-main"><img src="{img}""#)), "its variant's image");
    let (_, page) = app.get_html("/products/blush-eternity-band?variant=BEB-10-RG").await;
    assert!(!page.contains(&format!(r#"<div class="gallery-main"><img src="{img}""#)), "not another variant's");

    // Back to the product's, for every variant; a variant of another product is refused.
    app.call_json(
        "admin/images/variant",
        &[("product_id", "blush-eternity-band"), ("image_id", &image), ("variant_id", "")],
    )
    .await;
    let (_, page) = app.get_html("/products/blush-eternity-band?variant=BEB-10-RG").await;
    assert!(page.contains(&format!(r#"<div class="gallery-main"><img src="{img}""#)));
    let refused = app
        .call(
            "admin/images/variant",
            &[("product_id", "blush-eternity-band"), ("image_id", &image), ("variant_id", "ember-ruby-band")],
        )
        .await;
    assert_eq!(refused.status(), 404);
    let crud = app.lines_of("crud");
    assert_eq!(crud.iter().filter(|l| l["entity"] == "product_image" && l["action"] == "update").count(), 2);
}
