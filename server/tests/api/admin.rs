//! The admin area's products: create, edit, archive, with versions and crud lines.

use crate::auth::{ADMIN, SHOPPER};
use crate::helpers::*;

fn product_form<'a>(id: &'a str, name: &'a str, price: &'a str, version: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("input[id]", id),
        ("input[name]", name),
        ("input[brand]", "Lumen Atelier"),
        ("input[category_id]", "rings"),
        ("input[description]", "A hammered gold band made in the shop's own workshop."),
        ("input[price]", price),
        ("input[discount_price]", ""),
        ("input[stock]", "5"),
        ("input[stock_was]", "5"),
        ("input[version]", version),
    ]
}

async fn admin() -> TestApp {
    let app = spawn_app().await;
    app.sign_in(ADMIN, "/").await;
    app
}

#[tokio::test]
async fn admins_create_edit_archive_and_restore_products_and_every_change_is_logged() {
    let app = admin().await;
    let created =
        app.call_json("admin/product/save", &product_form("atelier-band", "Atelier Band", "16000000", "")).await;
    assert_eq!(created["Saved"]["version"], 1);
    let (_, rings) = app.get_html("/catalog?category=rings&sort=newest").await;
    assert!(rings.contains("Atelier Band"), "a new product is in the catalog at once");
    let (status, page) = app.get_html("/products/atelier-band").await;
    assert_eq!(status, 200);
    assert!(page.contains("₫16,000,000"), "the price in đồng, as English writes them");

    let edited =
        app.call_json("admin/product/save", &product_form("atelier-band", "Atelier Band", "30.012.500 ₫", "1")).await;
    assert_eq!(edited["Saved"]["version"], 2);
    let (_, page) = app.get_html("/products/atelier-band").await;
    assert!(page.contains("₫30,012,500"));

    let archived =
        app.call_json("admin/product/archive", &[("id", "atelier-band"), ("version", "2"), ("archived", "true")]).await;
    assert_eq!(archived["Saved"]["version"], 3);
    assert_eq!(app.get_html("/products/atelier-band").await.0, 410, "archived: out of the catalog, gone from its page");
    let (_, rings) = app.get_html("/catalog?category=rings").await;
    assert!(!rings.contains("Atelier Band"));
    let list = app.call_json("admin/products", &[("search", "atelier")]).await;
    assert_eq!(list[0]["archived"], true, "the admin still sees it");

    app.call_json("admin/product/archive", &[("id", "atelier-band"), ("version", "3"), ("archived", "false")]).await;
    assert_eq!(app.get_html("/products/atelier-band").await.0, 200);

    let admin_id = app.lines_of("auth")[0]["userId"].as_str().unwrap().to_owned();
    let crud = app.lines_of("crud");
    let actions: Vec<(&str, i64)> =
        crud.iter().map(|l| (l["action"].as_str().unwrap(), l["version"].as_i64().unwrap())).collect();
    assert_eq!(actions, [("create", 1), ("update", 2), ("archive", 3), ("restore", 4)]);
    for line in &crud {
        assert_eq!(line["entity"], "product");
        assert_eq!(line["entityId"], "atelier-band");
        assert_eq!(line["actorId"], admin_id.as_str());
    }
}

#[tokio::test]
async fn two_admins_cannot_silently_overwrite_each_other() {
    let app = admin().await;
    let loaded = app.call_json("admin/product", &[("id", "ember-ruby-band")]).await;
    let version = loaded["version"].as_i64().unwrap().to_string();

    // Another admin saves first.
    let other = app.other_browser_signed_in(ADMIN).await;
    let theirs = app
        .call_json_from(
            &other,
            "admin/product/save",
            &product_form("ember-ruby-band", "Ember Ruby Band II", "900", &version),
        )
        .await;
    assert!(theirs.get("Saved").is_some(), "{theirs}");

    // This admin saves from the stale version: refused, nothing overwritten.
    let mine = app.call_json("admin/product/save", &product_form("ember-ruby-band", "Mine", "1", &version)).await;
    assert_eq!(mine["Conflict"]["current_version"], version.parse::<i64>().unwrap() + 1);
    let now = app.call_json("admin/product", &[("id", "ember-ruby-band")]).await;
    assert_eq!(now["input"]["name"], "Ember Ruby Band II");
    let stale_archive = app
        .call_json("admin/product/archive", &[("id", "ember-ruby-band"), ("version", &version), ("archived", "true")])
        .await;
    assert!(stale_archive.get("Conflict").is_some());
    assert_eq!(app.lines_of("crud").len(), 1, "only the change that happened is logged");
}

#[tokio::test]
async fn product_fields_are_checked_and_ids_are_unique() {
    let app = admin().await;
    let mut form = product_form("Bad Id!", "X", "free", "");
    for field in form.iter_mut().filter(|(k, _)| *k == "input[stock]") {
        field.1 = "-3";
    }
    let outcome = app.call_json("admin/product/save", &form).await;
    let errors = outcome["Invalid"].as_object().expect("field errors");
    for field in ["id", "name", "price", "stock"] {
        assert!(errors.contains_key(field), "{field}: {errors:?}");
    }
    let taken = app.call_json("admin/product/save", &product_form("ember-ruby-band", "Copy", "10", "")).await;
    assert_eq!(taken["Invalid"]["id"], "A product with this id exists already: choose another.");
    assert!(app.lines_of("crud").is_empty());
}

#[tokio::test]
async fn shoppers_and_guests_cannot_manage_products() {
    let app = spawn_app().await;
    let form = product_form("sneaky-ring", "Sneaky", "1", "");
    assert_eq!(app.call("admin/product/save", &form).await.status(), 401);
    assert_eq!(app.call("admin/products", &[("search", "")]).await.status(), 401);
    app.sign_in(SHOPPER, "/").await;
    assert_eq!(app.call("admin/product/save", &form).await.status(), 403);
    assert_eq!(
        app.call("admin/product/archive", &[("id", "ember-ruby-band"), ("version", "1"), ("archived", "true")])
            .await
            .status(),
        403
    );
    let (status, _) = app.get_html("/admin/products").await;
    assert_eq!(status, 403);
    assert_eq!(app.get_html("/products/sneaky-ring").await.0, 404);
}

#[tokio::test]
async fn past_orders_still_show_an_archived_product() {
    let app = admin().await;
    app.call_json("cart/add", &[("product_id", "polar-bar-necklace"), ("quantity", "1")]).await;
    let order_id = app.call_json("checkout", SHIPPING).await["Placed"]["order_id"].as_str().unwrap().to_owned();
    let version = app.call_json("admin/product", &[("id", "polar-bar-necklace")]).await["version"].to_string();
    app.call_json(
        "admin/product/archive",
        &[("id", "polar-bar-necklace"), ("version", &version), ("archived", "true")],
    )
    .await;
    let (status, page) = app.get_html(&format!("/orders/{order_id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Polar Bar Necklace"));
}

#[tokio::test]
async fn the_admin_pages_render_for_admins() {
    let app = admin().await;
    let (status, list) = app.get_html("/admin/products?q=ruby").await;
    assert_eq!(status, 200);
    assert!(list.contains("Ember Ruby Band") && !list.contains("Northern Hoops"));
    let (status, edit) = app.get_html("/admin/products/ember-ruby-band/edit").await;
    assert_eq!(status, 200);
    assert!(edit.contains("value=\"22250000\"") && edit.contains("Archive product"));
    let (status, _) = app.get_html("/admin/products/new").await;
    assert_eq!(status, 200);
    assert_eq!(app.get_html("/admin/products/no-such-piece/edit").await.0, 404);
}

/// The edit form of `id` as loaded: every field as the admin found it, with the
/// price changed to `price`.
async fn loaded_form(app: &TestApp, id: &str, price: &str, stock: Option<&str>) -> Vec<(String, String)> {
    let loaded = app.call_json("admin/product", &[("id", id)]).await;
    let input = loaded["input"].as_object().expect("the form's fields");
    let mut form: Vec<(String, String)> =
        input.iter().filter_map(|(k, v)| v.as_str().map(|v| (format!("input[{k}]"), v.to_owned()))).collect();
    for (key, value) in form.iter_mut() {
        match key.as_str() {
            "input[price]" => *value = price.to_owned(),
            "input[stock]" if stock.is_some() => *value = stock.unwrap().to_owned(),
            _ => {}
        }
    }
    form
}

async fn save(app: &TestApp, form: &[(String, String)]) -> serde_json::Value {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.call_json("admin/product/save", &pairs).await
}

/// A guest buys `quantity` of `id` (a browser of its own).
async fn guest_buys(app: &TestApp, id: &str, quantity: &str) -> u16 {
    let guest = crate::process::browser();
    let added = app.call_from(&guest, "cart/add", &[("product_id", id), ("quantity", quantity)]).await;
    assert_eq!(added.status(), 200);
    app.call_from(&guest, "checkout", SHIPPING).await.status().as_u16()
}

/// An admin's save never puts back stock sold while the form was open: the form
/// changes the stock by what the admin changed in it.
#[tokio::test]
async fn a_save_from_a_form_opened_before_a_sale_keeps_the_sale() {
    let app = admin().await;
    let form = loaded_form(&app, "ember-ruby-band", "22.500.000", None).await;
    assert_eq!(stock_of(&app, "ember-ruby-band").await, 12);
    assert_eq!(guest_buys(&app, "ember-ruby-band", "3").await, 200);
    assert!(save(&app, &form).await.get("Saved").is_some(), "only the price changed");
    assert_eq!(stock_of(&app, "ember-ruby-band").await, 9, "the 3 sold stay sold");

    // The admin adds 11 (9 -> 20 in the form) while 2 more sell.
    let form = loaded_form(&app, "ember-ruby-band", "22.500.000", Some("20")).await;
    assert_eq!(guest_buys(&app, "ember-ruby-band", "2").await, 200);
    assert!(save(&app, &form).await.get("Saved").is_some());
    assert_eq!(stock_of(&app, "ember-ruby-band").await, 18, "7 left after the sale, and the 11 added");

    // Taking out more than is left leaves none, never fewer.
    let form = loaded_form(&app, "ember-ruby-band", "22.500.000", Some("0")).await;
    assert_eq!(guest_buys(&app, "ember-ruby-band", "1").await, 200);
    assert!(save(&app, &form).await.get("Saved").is_some());
    assert_eq!(stock_of(&app, "ember-ruby-band").await, 0);
}

/// Saves racing checkouts: whatever the order, the stock ends as the start, less
/// every unit sold, plus what the saves added.
#[tokio::test]
async fn saves_running_with_checkouts_never_undo_a_sale() {
    let app = admin().await;
    let start = stock_of(&app, "northern-hoops").await;
    let checkouts = async {
        let mut sold = 0;
        for _ in 0..12 {
            let (two, one) =
                tokio::join!(guest_buys(&app, "northern-hoops", "2"), guest_buys(&app, "northern-hoops", "1"));
            sold += [(two, 2), (one, 1)].iter().filter(|(s, _)| *s == 200).map(|(_, q)| q).sum::<i64>();
        }
        sold
    };
    let saves = async {
        let mut added = 0;
        for i in 0..12 {
            // Each save adds one to the stock its form showed, and changes the price.
            let form = loaded_form(&app, "northern-hoops", &format!("{}", 300 + i), None).await;
            let shown: i64 = form.iter().find(|(k, _)| k == "input[stock_was]").unwrap().1.parse().unwrap();
            let form: Vec<(String, String)> = form
                .into_iter()
                .map(|(k, v)| if k == "input[stock]" { (k, (shown + 1).to_string()) } else { (k, v) })
                .collect();
            if save(&app, &form).await.get("Saved").is_some() {
                added += 1;
            }
        }
        added
    };
    let (sold, added) = tokio::join!(checkouts, saves);
    assert!(sold > 0 && added > 0, "sold {sold}, added {added}");
    assert_eq!(stock_of(&app, "northern-hoops").await, start - sold + added, "sold {sold}, added {added}");
}
