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
    let created = app.call_json("admin/product/save", &product_form("atelier-band", "Atelier Band", "640", "")).await;
    assert_eq!(created["Saved"]["version"], 1);
    let (_, rings) = app.get_html("/catalog?category=rings&sort=newest").await;
    assert!(rings.contains("Atelier Band"), "a new product is in the catalog at once");
    let (status, page) = app.get_html("/products/atelier-band").await;
    assert_eq!(status, 200);
    assert!(page.contains("$640.00"));

    let edited =
        app.call_json("admin/product/save", &product_form("atelier-band", "Atelier Band", "1,200.50", "1")).await;
    assert_eq!(edited["Saved"]["version"], 2);
    let (_, page) = app.get_html("/products/atelier-band").await;
    assert!(page.contains("$1,200.50"));

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
    assert!(edit.contains("value=\"890.00\"") && edit.contains("Archive product"));
    let (status, _) = app.get_html("/admin/products/new").await;
    assert_eq!(status, 200);
    assert_eq!(app.get_html("/admin/products/no-such-piece/edit").await.0, 404);
}
