//! The order desk: an admin moves orders placed -> confirmed -> shipped ->
//! delivered, cancels them or takes them back (stock returned per variant), two
//! admins are held apart by the order's version, every move is a `business` and a
//! `crud` line, and the shopper's page shows where the order is. On PostgreSQL too
//! when the suite runs there (`TEST_POSTGRES_URL`).

use crate::helpers::*;
use crate::variants::{RING, browser, pool, set_stock, stock_of, variant_id};
use serde_json::Value;

/// A guest's browser orders `quantity` of each SKU (the Blush Eternity Band's) and
/// answers the order's number.
async fn order_rings(app: &TestApp, shopper: &reqwest::Client, skus: &[(&str, u32)]) -> String {
    let db = pool(app).await;
    for (sku, quantity) in skus {
        let variant = variant_id(&db, sku).await;
        let quantity = quantity.to_string();
        app.call_json_from(
            shopper,
            "cart/add",
            &[("product_id", RING), ("variant_id", &variant), ("quantity", &quantity)],
        )
        .await;
    }
    let placed = app.call_json_from(shopper, "checkout", SHIPPING).await;
    placed["Placed"]["order_id"].as_str().unwrap_or_else(|| panic!("an order placed: {placed}")).to_owned()
}

/// An admin's move of `order_id` from `version` to `to`, with the form's other fields.
async fn move_order(
    app: &TestApp,
    admin: &reqwest::Client,
    order_id: &str,
    version: i64,
    to: &str,
    fields: &[(&str, &str)],
) -> (u16, Value) {
    let version = version.to_string();
    let mut form = vec![("input[order_id]", order_id), ("input[version]", version.as_str()), ("input[to]", to)];
    form.extend_from_slice(fields);
    let response = app.call_from(admin, "admin/order/move", &form).await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

async fn desk(app: &TestApp, admin: &reqwest::Client, order_id: &str) -> Value {
    app.call_json_from(admin, "admin/order", &[("id", order_id)]).await
}

fn version_of(desk: &Value) -> i64 {
    desk["order"]["version"].as_i64().unwrap()
}

const SHIP: &[(&str, &str)] = &[("input[carrier]", "Giao Hàng Nhanh"), ("input[tracking]", "GHN-8812 4471")];

#[tokio::test]
async fn an_order_is_confirmed_shipped_and_delivered_and_its_shopper_sees_each_status() {
    let app = spawn_app().await;
    let shopper = browser();
    let order_id = order_rings(&app, &shopper, &[("BEB-12-WG", 2)]).await;
    let admin = app.other_browser_signed_in(crate::auth::ADMIN).await;

    let placed = desk(&app, &admin, &order_id).await;
    assert_eq!(placed["order"]["status"], "placed");
    assert_eq!(placed["moves"], serde_json::json!(["confirmed", "cancelled"]));
    assert_eq!(placed["order"]["history"].as_array().unwrap().len(), 1, "the placing: {placed}");
    let total = placed["order"]["total"].as_i64().unwrap();

    let steps: [(&str, &[(&str, &str)]); 3] =
        [("confirmed", &[("input[note]", "Phoned the shopper")]), ("shipped", SHIP), ("delivered", &[])];
    let cash = total.to_string();
    for (to, fields) in steps {
        let version = version_of(&desk(&app, &admin, &order_id).await);
        let mut fields = fields.to_vec();
        if to == "delivered" {
            fields.push(("input[cash]", &cash));
        }
        let (status, outcome) = move_order(&app, &admin, &order_id, version, to, &fields).await;
        assert_eq!(status, 200, "{to}: {outcome}");
        assert_eq!(outcome["Moved"]["status"], to);
        assert_eq!(outcome["Moved"]["version"], version + 1);
        // The shopper's own page says it, with the tracking number once shipped.
        let seen = app.call_json_from(&shopper, "order", &[("id", &order_id)]).await;
        assert_eq!(seen["status"], to);
        assert_eq!(seen["history"].as_array().unwrap().last().unwrap()["status"], to);
    }

    let delivered = desk(&app, &admin, &order_id).await;
    let history = delivered["order"]["history"].as_array().unwrap();
    let statuses: Vec<&str> = history.iter().map(|c| c["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["placed", "confirmed", "shipped", "delivered"]);
    assert_eq!(history[0]["actor"], Value::Null, "the shopper placed it");
    assert_eq!(history[1]["actor"], "admin@lumen.example");
    assert_eq!(history[1]["note"], "Phoned the shopper");
    assert_eq!((&history[2]["carrier"], &history[2]["tracking"]), (&"Giao Hàng Nhanh".into(), &"GHN-8812 4471".into()));
    assert_eq!(history[3]["cash_collected"], total);
    assert_eq!(delivered["moves"], serde_json::json!(["returned"]));

    // The shopper reads what happened and when, not who did it or the desk's notes.
    let seen = app.call_json_from(&shopper, "order", &[("id", &order_id)]).await;
    assert!(seen["history"].as_array().unwrap().iter().all(|c| c["actor"].is_null() && c["note"].is_null()), "{seen}");
    let (status, page) = app.get_html_from(&shopper, &format!("/orders/{order_id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Your order is delivered"), "the status on the shopper's page");
    assert!(page.contains(&format!(">Order {order_id}</h1>")), "no longer thanked for an order just placed");
    assert!(page.contains("tracking number GHN-8812 4471"), "the tracking number on the shopper's page");
    assert!(!page.contains("Phoned the shopper"), "the desk's note stays on the desk");

    // A business and a crud line per move: the admin's sub, the amounts, and
    // nothing that names the shopper.
    let business = app.lines_of("business");
    let moves: Vec<&Value> = business.iter().filter(|l| l["action"] != "order_placed").collect();
    let actions: Vec<&str> = moves.iter().map(|l| l["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["order_confirmed", "order_shipped", "order_delivered"]);
    let crud: Vec<Value> = app.lines_of("crud").into_iter().filter(|l| l["entity"] == "order").collect();
    assert_eq!(crud.len(), 3);
    for (line, crud) in moves.iter().zip(&crud) {
        assert_eq!(line["orderId"], order_id.as_str());
        assert_eq!(line["itemCount"], 2);
        assert!(line["userId"].is_string() && line["userId"] == crud["actorId"], "the admin's sub: {line}");
        assert_eq!(crud["entityId"], order_id.as_str());
        let text = line.to_string();
        for personal in ["ada@example.com", "Nguyễn Thị Ada", "090 123 4567", "Hàng Bạc"] {
            assert!(!text.contains(personal), "{personal} in {text}");
        }
    }
    assert_eq!(crud.last().unwrap()["version"], 4);
    assert_eq!(moves[2]["cashCollected"].as_f64(), Some(total as f64));
    assert_eq!(moves[0]["orderValue"].as_f64(), Some(total as f64));

    // The insights count the delivery apart from the orders placed.
    let report = app.call_json_from(&admin, "admin/insights", &[("range", "today")]).await;
    let day = report["days"].as_array().unwrap().last().unwrap().clone();
    assert_eq!((day["orders"].as_i64(), day["delivered"].as_i64()), (Some(1), Some(1)), "{day}");
    assert_eq!(day["delivered_revenue"], total);
    assert_eq!(day["cancelled"], 0);
}

#[tokio::test]
async fn every_move_the_table_does_not_allow_is_refused_with_409_and_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.other_browser_signed_in(crate::auth::ADMIN).await;
    let order_id = order_rings(&app, &browser(), &[("BEB-12-WG", 1)]).await;
    let all = ["placed", "confirmed", "shipped", "delivered", "cancelled", "returned"];
    let path: [(&str, &[(&str, &str)]); 4] = [
        ("confirmed", &[]),
        ("shipped", SHIP),
        ("delivered", &[("input[cash]", "100")]),
        ("returned", &[("input[note]", "Wrong size")]),
    ];
    let mut refused = 0;
    for (next, fields) in path {
        let before = desk(&app, &admin, &order_id).await;
        let allowed: Vec<String> =
            before["moves"].as_array().unwrap().iter().map(|m| m.as_str().unwrap().to_owned()).collect();
        for to in all.iter().filter(|to| !allowed.iter().any(|a| a == *to) && **to != "placed") {
            let fields =
                [("input[carrier]", "VNPost"), ("input[tracking]", "VN1"), ("input[cash]", "1"), ("input[note]", "x")];
            let (status, answer) = move_order(&app, &admin, &order_id, version_of(&before), to, &fields).await;
            assert_eq!(status, 409, "{} -> {to}: {answer}", before["order"]["status"]);
            assert_eq!(answer["Conflict"]["code"], "order_move_not_allowed", "{answer}");
            refused += 1;
        }
        assert_eq!(desk(&app, &admin, &order_id).await, before, "a refused move changes nothing");
        let (status, answer) = move_order(&app, &admin, &order_id, version_of(&before), next, fields).await;
        assert_eq!(status, 200, "{answer}");
    }
    // And nothing leaves a returned order.
    let closed = desk(&app, &admin, &order_id).await;
    assert_eq!(closed["moves"], serde_json::json!([]));
    for to in ["confirmed", "shipped", "delivered", "cancelled", "returned"] {
        let fields =
            [("input[carrier]", "VNPost"), ("input[tracking]", "VN1"), ("input[cash]", "1"), ("input[note]", "x")];
        let (status, answer) = move_order(&app, &admin, &order_id, version_of(&closed), to, &fields).await;
        assert_eq!((status, answer["Conflict"]["code"].as_str()), (409, Some("order_move_not_allowed")), "{to}");
        refused += 1;
    }
    assert_eq!(refused, 3 + 3 + 4 + 4 + 5, "every move outside the table was tried");
    // "placed" is no move at all, and a move's fields are checked.
    let (status, answer) = move_order(&app, &admin, &order_id, version_of(&closed), "placed", &[]).await;
    assert_eq!(status, 200);
    assert!(answer["Invalid"]["to"].is_string(), "{answer}");
    let other = order_rings(&app, &browser(), &[("BEB-13-WG", 1)]).await;
    let (_, answer) = move_order(&app, &admin, &other, 1, "cancelled", &[]).await;
    assert!(answer["Invalid"]["note"].is_string(), "a cancellation needs its reason: {answer}");
    assert_eq!(app.lines_of("business").iter().filter(|l| l["orderId"] == other.as_str()).count(), 1, "only placed");
    // A shopper may not move orders; an unknown order is not found.
    let shopper = app.other_browser_signed_in(crate::auth::SHOPPER).await;
    let (status, _) = move_order(&app, &shopper, &other, 1, "confirmed", &[]).await;
    assert_eq!(status, 403);
    let (status, _) = move_order(&app, &admin, "JW-NOSUCHORDR", 1, "confirmed", &[]).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_cancellation_and_a_resellable_return_put_each_variants_stock_back() {
    let app = spawn_app().await;
    let db = pool(&app).await;
    set_stock(&db, "BEB-12-WG", 5).await;
    set_stock(&db, "BEB-14-PT", 5).await;
    let admin = app.other_browser_signed_in(crate::auth::ADMIN).await;

    // Cancelled once confirmed: both variants get their pieces back.
    let cancelled = order_rings(&app, &browser(), &[("BEB-12-WG", 2), ("BEB-14-PT", 1)]).await;
    assert_eq!((stock_of(&db, "BEB-12-WG").await, stock_of(&db, "BEB-14-PT").await), (3, 4));
    move_order(&app, &admin, &cancelled, 1, "confirmed", &[]).await;
    let (status, answer) =
        move_order(&app, &admin, &cancelled, 2, "cancelled", &[("input[note]", "Out of the shopper's budget")]).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!((stock_of(&db, "BEB-12-WG").await, stock_of(&db, "BEB-14-PT").await), (5, 5));
    let line = app.lines_of("business").into_iter().find(|l| l["action"] == "order_cancelled").unwrap();
    assert_eq!(line["restockedUnits"], 3);
    // The product page sells them again at once.
    let page = app.call_json("product", &[("id", RING)]).await;
    let variant = page["variants"].as_array().unwrap().iter().find(|v| v["sku"] == "BEB-14-PT").unwrap().clone();
    assert_eq!(variant["stock"], 5, "{variant}");

    // Returned: back on sale only when the admin says the piece can be sold again.
    let walk = |order: String, resellable: bool| {
        let (app, admin) = (&app, &admin);
        async move {
            move_order(app, admin, &order, 1, "confirmed", &[]).await;
            move_order(app, admin, &order, 2, "shipped", SHIP).await;
            move_order(app, admin, &order, 3, "delivered", &[("input[cash]", "0")]).await;
            let mut fields = vec![("input[note]", "Scratched in transit")];
            if resellable {
                fields.push(("input[resellable]", "on"));
            }
            let (status, answer) = move_order(app, admin, &order, 4, "returned", &fields).await;
            assert_eq!(status, 200, "{answer}");
        }
    };
    let kept = order_rings(&app, &browser(), &[("BEB-12-WG", 1)]).await;
    walk(kept, false).await;
    assert_eq!(stock_of(&db, "BEB-12-WG").await, 4, "a piece not resold stays out of stock");
    let resold = order_rings(&app, &browser(), &[("BEB-12-WG", 1), ("BEB-14-PT", 2)]).await;
    assert_eq!((stock_of(&db, "BEB-12-WG").await, stock_of(&db, "BEB-14-PT").await), (3, 3));
    walk(resold, true).await;
    assert_eq!((stock_of(&db, "BEB-12-WG").await, stock_of(&db, "BEB-14-PT").await), (4, 5));
    let returns: Vec<Value> =
        app.lines_of("business").into_iter().filter(|l| l["action"] == "order_returned").collect();
    let restocked: Vec<&Value> = returns.iter().map(|l| &l["restockedUnits"]).collect();
    assert_eq!(restocked, [&Value::from(0), &Value::from(3)]);

    // Counted apart: one cancelled and two returned, with their totals.
    let report = app.call_json_from(&admin, "admin/insights", &[("range", "today")]).await;
    let day = report["days"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (day["orders"].as_i64(), day["cancelled"].as_i64(), day["returned"].as_i64()),
        (Some(3), Some(1), Some(2))
    );
    assert!(day["cancelled_revenue"].as_i64().unwrap() > 0, "{day}");
}

#[tokio::test]
async fn two_admins_moving_one_order_at_once_one_wins_and_the_other_is_told_it_changed() {
    let app = spawn_app().await;
    let first = app.other_browser_signed_in(crate::auth::ADMIN).await;
    let second = app.other_browser_signed_in(crate::auth::ADMIN).await;
    let db = pool(&app).await;
    set_stock(&db, "BEB-12-WG", 50).await;
    for round in 0..5 {
        let order_id = order_rings(&app, &browser(), &[("BEB-12-WG", 1)]).await;
        let (a, b) = tokio::join!(
            move_order(&app, &first, &order_id, 1, "confirmed", &[]),
            move_order(&app, &second, &order_id, 1, "cancelled", &[("input[note]", "Duplicate order")]),
        );
        let outcomes = [&a, &b];
        let won: Vec<_> = outcomes.iter().filter(|(status, _)| *status == 200).collect();
        let lost: Vec<_> = outcomes.iter().filter(|(status, _)| *status == 409).collect();
        assert_eq!((won.len(), lost.len()), (1, 1), "round {round}: {a:?} {b:?}");
        assert_eq!(lost[0].1["Conflict"]["code"], "order_changed", "{:?}", lost[0]);
        let now = desk(&app, &first, &order_id).await;
        assert_eq!(version_of(&now), 2);
        assert_eq!(now["order"]["status"], won[0].1["Moved"]["status"]);
        assert_eq!(now["order"]["history"].as_array().unwrap().len(), 2, "one move recorded");
    }
    // A form loaded before a move is refused the same way.
    let order_id = order_rings(&app, &browser(), &[("BEB-12-WG", 1)]).await;
    move_order(&app, &first, &order_id, 1, "confirmed", &[]).await;
    let (status, answer) = move_order(&app, &second, &order_id, 1, "cancelled", &[("input[note]", "Late")]).await;
    assert_eq!((status, answer["Conflict"]["code"].as_str()), (409, Some("order_changed")));
    assert!(answer["Conflict"]["message"].as_str().unwrap().contains("Reload"), "{answer}");
}

#[tokio::test]
async fn the_desk_lists_orders_newest_first_by_status_day_and_search_with_pages_in_the_address() {
    let app = spawn_app().await;
    let db = pool(&app).await;
    set_stock(&db, "BEB-12-WG", 100).await;
    let admin = app.other_browser_signed_in(crate::auth::ADMIN).await;
    let mut placed = Vec::new();
    for _ in 0..27 {
        placed.push(order_rings(&app, &browser(), &[("BEB-12-WG", 1)]).await);
    }
    // Another shopper, to be found by email and phone.
    let other = browser();
    app.call_json_from(&other, "cart/add", &[("product_id", "northern-hoops"), ("quantity", "1")]).await;
    let mut form: Vec<(&str, &str)> = SHIPPING.to_vec();
    form.retain(|(k, _)| !matches!(*k, "input[email]" | "input[phone]"));
    form.extend([("input[email]", "binh.tran@example.vn"), ("input[phone]", "0912 345 678")]);
    let binh = app.call_json_from(&other, "checkout", &form).await["Placed"]["order_id"].as_str().unwrap().to_owned();
    move_order(&app, &admin, &placed[0], 1, "confirmed", &[]).await;

    let list = |query: Vec<(&'static str, String)>| {
        let (app, admin) = (&app, &admin);
        async move {
            let form: Vec<(String, String)> = query.into_iter().map(|(k, v)| (format!("query[{k}]"), v)).collect();
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            app.call_json_from(admin, "admin/orders", &form).await
        }
    };
    let ids = |list: &Value| -> Vec<String> {
        list["orders"].as_array().unwrap().iter().map(|o| o["id"].as_str().unwrap().to_owned()).collect()
    };
    let first = list(vec![("q", String::new()), ("page", "1".into())]).await;
    assert_eq!((first["total"].as_u64(), first["pages"].as_u64()), (Some(28), Some(2)));
    assert_eq!(ids(&first).len(), 25);
    assert_eq!(ids(&first)[0], binh, "newest first");
    let second = list(vec![("q", String::new()), ("page", "2".into())]).await;
    let mut oldest = ids(&second);
    oldest.sort();
    let mut first_three = placed[..3].to_vec();
    first_three.sort();
    assert_eq!(oldest, first_three, "the oldest three on the last page");
    assert_eq!(second["orders"][2]["item_count"], 1);
    assert!(second["orders"][2]["total"].as_i64().unwrap() > 0);

    let confirmed = list(vec![("q", String::new()), ("page", "1".into()), ("status", "confirmed".into())]).await;
    assert_eq!(ids(&confirmed), [placed[0].clone()]);
    let by_number = list(vec![("q", placed[5].to_lowercase()), ("page", "1".into())]).await;
    assert_eq!(ids(&by_number), [placed[5].clone()]);
    let by_email = list(vec![("q", "BINH.tran@".into()), ("page", "1".into())]).await;
    assert_eq!(ids(&by_email), std::slice::from_ref(&binh));
    let by_phone = list(vec![("q", "345-678".into()), ("page", "1".into())]).await;
    assert_eq!(ids(&by_phone), std::slice::from_ref(&binh));
    let wildcard = list(vec![("q", "%".into()), ("page", "1".into())]).await;
    assert_eq!(wildcard["total"], 0, "a LIKE wildcard matches itself only");
    let today = time::OffsetDateTime::now_utc().date();
    let day = |d: time::Date| format!("{}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day());
    let around = list(vec![
        ("q", String::new()),
        ("page", "1".into()),
        ("from", day(today.previous_day().unwrap())),
        ("to", day(today.next_day().unwrap())),
    ])
    .await;
    assert_eq!(around["total"], 28);
    let later = list(vec![
        ("q", String::new()),
        ("page", "1".into()),
        ("from", day(today.next_day().unwrap().next_day().unwrap())),
    ])
    .await;
    assert_eq!(later["total"], 0);
    let earlier = list(vec![
        ("q", String::new()),
        ("page", "1".into()),
        ("to", day(today.previous_day().unwrap().previous_day().unwrap())),
    ])
    .await;
    assert_eq!(earlier["total"], 0);

    // The pages: the list in the address, the order's own page with its moves.
    let (status, page) = app.get_html_from(&admin, "/admin/orders?status=confirmed").await;
    assert_eq!(status, 200);
    assert!(page.contains(&format!("href=\"/admin/orders/{}\"", placed[0])), "the row opens the order on the desk");
    assert!(!page.contains(&placed[1]), "only confirmed orders");
    let (_, page) = app.get_html_from(&admin, "/admin/orders").await;
    assert!(page.contains("href=\"/admin/orders?page=2\""), "the next page's link");
    let (status, page) = app.get_html_from(&admin, &format!("/admin/orders/{binh}")).await;
    assert_eq!(status, 200);
    for shown in
        ["binh.tran@example.vn", "0912 345 678", "12 Hàng Bạc", "data-move=\"confirmed\"", "data-move=\"cancelled\""]
    {
        assert!(page.contains(shown), "{shown} on the order's desk page");
    }
    let (status, _) = app.get_html_from(&browser(), "/admin/orders").await;
    assert_eq!(status, 401);
    let shopper = app.other_browser_signed_in(crate::auth::SHOPPER).await;
    let (status, _) = app.get_html_from(&shopper, &format!("/admin/orders/{binh}")).await;
    assert_eq!(status, 403);
}

/// Without JavaScript, a move's form posts and the admin is sent back to the order's page.
#[tokio::test]
async fn without_javascript_a_move_posts_and_comes_back_to_the_orders_page() {
    let app = spawn_app().await;
    let admin = app.other_browser_signed_in(crate::auth::ADMIN).await;
    let order_id = order_rings(&app, &browser(), &[("BEB-12-WG", 1)]).await;
    let response = admin
        .post(app.url("/api/admin/order/move"))
        .header("Accept", "text/html")
        .form(&[("input[order_id]", order_id.as_str()), ("input[version]", "1"), ("input[to]", "confirmed")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    assert_eq!(response.headers()["location"], format!("/admin/orders/{order_id}").as_str());
    assert_eq!(desk(&app, &admin, &order_id).await["order"]["status"], "confirmed");
}

/// An order placed before the desk existed: after the upgrade it has its placing
/// in its history and version 1, the desk moves it, and its shopper still reads it.
#[tokio::test]
async fn the_upgrade_gives_every_older_order_its_history_and_a_version_the_desk_can_move() {
    let dir = tempfile::tempdir().unwrap();
    let (url, old) = database_before(dir.path(), "20261209000001").await;
    let cart = uuid();
    let statements = [
        "INSERT INTO shop_currency (id, currency) VALUES (1, 'VND')".to_owned(),
        format!(
            "INSERT INTO carts (id, created_at, updated_at) VALUES ('{cart}', '2026-12-06T10:00:00.000Z', '2026-12-06T10:00:00.000Z')"
        ),
        format!(
            "INSERT INTO orders (id, cart_id, status, email, full_name, phone, address_line1, city, region, postal_code, \
             country, payment_method, subtotal_cents, shipping_cents, total_cents, currency, created_at) VALUES \
             ('JW-0000000077', '{cart}', 'placed', 'a@example.com', 'Trần Văn A', '090 123 4567', '12 Hàng Bạc', \
             'Phường Hoàn Kiếm', 'Hà Nội', '', 'VN', 'cash_on_delivery', 12000000, 0, 12000000, 'VND', \
             '2026-12-05T10:00:00.000Z')"
        ),
        "INSERT INTO order_lines (order_id, line_no, product_id, name, brand, unit_price_cents, quantity, \
         line_total_cents, variant_id, sku, options) VALUES ('JW-0000000077', 1, 'ember-ruby-band', 'Ember Ruby Band', \
         'Maison Lune', 12000000, 1, 12000000, 'ember-ruby-band', 'EMBER-RUBY-BAND', '')"
            .to_owned(),
    ];
    for statement in &statements {
        sqlx::query(statement).execute(&old).await.unwrap_or_else(|e| panic!("{statement}: {e}"));
    }
    old.close().await;

    let app = spawn_app_with(|s| s.database_url = Some(url.clone().into())).await;
    let admin = app.other_browser_signed_in(crate::auth::ADMIN).await;
    let before = desk(&app, &admin, "JW-0000000077").await;
    assert_eq!(version_of(&before), 1);
    let history = before["order"]["history"].as_array().unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!((&history[0]["status"], &history[0]["at"]), (&"placed".into(), &"2026-12-05T10:00:00.000Z".into()));
    let (status, answer) = move_order(&app, &admin, "JW-0000000077", 1, "confirmed", &[]).await;
    assert_eq!(status, 200, "{answer}");

    // The guest who placed it still reads it, now confirmed.
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::COOKIE, format!("jw_cart={cart}").parse().unwrap());
    let guest = reqwest::Client::builder().default_headers(headers).build().unwrap();
    let seen = app.call_json_from(&guest, "order", &[("id", "JW-0000000077")]).await;
    assert_eq!(seen["status"], "confirmed");
    assert_eq!(seen["history"].as_array().unwrap().len(), 2);
}
