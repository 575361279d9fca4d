//! Untrusted text in every place it reaches a page: the URL's query and path, the
//! checkout form, an admin's product fields. Each page is parsed as a browser
//! parses it (html5ever, through `scraper`), and the probe must stay text: no
//! `<x-probe>` element, no script or title broken out of, the title reading back
//! as the literal words.

use crate::auth::{ADMIN, SHOPPER};
use crate::helpers::*;
use jewelry::catalog::encode_component;
use scraper::{Html, Selector};

/// Closes the title, a textarea and a script (the elements whose text is not
/// parsed as markup), then an attribute either way, then opens an element.
const PROBE: &str = "</title></textarea></script>\"'><x-probe>";

fn select<'a>(page: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    page.select(&Selector::parse(css).unwrap()).collect()
}

fn text(element: &scraper::ElementRef) -> String {
    element.text().collect()
}

/// Parses `html` and checks what every page must hold whatever it was given: no
/// element made from the probe, exactly one `<title>`, in the head, ending with the
/// shop's name, and no script whose text the probe could have cut short.
fn parse_safely(what: &str, html: &str) -> Html {
    assert!(!html.contains(PROBE), "{what}: the probe is in the HTML as it was sent:\n{html}");
    let page = Html::parse_document(html);
    assert!(select(&page, "x-probe").is_empty(), "{what}: the probe became an element:\n{html}");
    let titles = select(&page, "title");
    assert_eq!(titles.len(), 1, "{what}: one <title>:\n{html}");
    assert_eq!(select(&page, "head > title").len(), 1, "{what}: the title is in the head");
    assert!(text(&titles[0]).ends_with(" · Lumen Jewelry"), "{what}: title {:?}", text(&titles[0]));
    for script in select(&page, "script") {
        // Inside a script only these end it early or change how it ends.
        let body = text(&script).to_ascii_lowercase();
        for cut in ["</script", "<!--", "<script"] {
            assert!(!body.contains(cut), "{what}: a script holds {cut:?}: {body}");
        }
    }
    page
}

fn title_of(page: &Html) -> String {
    text(&select(page, "title")[0])
}

async fn get_page(client: &reqwest::Client, app: &TestApp, path: &str) -> (u16, String) {
    let response = client.get(app.url(path)).send().await.unwrap_or_else(|e| panic!("GET {path}: {e}"));
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn the_catalog_search_title_is_the_literal_search_words() {
    let app = spawn_app().await;
    let (status, html) = app.get_html(&format!("/catalog?q={}", encode_component(PROBE))).await;
    assert_eq!(status, 200);
    let page = parse_safely("catalog search", &html);
    assert_eq!(title_of(&page), format!("Results for “{PROBE}” · Lumen Jewelry"));
    assert_eq!(text(&select(&page, "h1")[0]), format!("Results for “{PROBE}”"));
}

#[tokio::test]
async fn every_page_type_keeps_a_probe_in_its_query_or_path_as_text() {
    let app = spawn_app().await;
    let probe = encode_component(PROBE);
    let admin = app.other_browser_signed_in(ADMIN).await;
    let shopper = app.other_browser_signed_in(SHOPPER).await;
    let guest = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let pages = [
        format!("/?q={probe}"),
        format!("/catalog?q={probe}&category={probe}&sort={probe}&page={probe}"),
        format!("/catalog?category={probe}"),
        format!("/products/{probe}"),
        format!("/products/aurora-solitaire-ring?ref={probe}"),
        format!("/cart?x={probe}"),
        format!("/checkout?x={probe}"),
        format!("/orders/{probe}"),
        format!("/signin?error={probe}&return_to={probe}"),
        format!("/signin?error=invalid&return_to=/{probe}"),
        format!("/account?x={probe}"),
        format!("/admin?x={probe}"),
        format!("/admin/products?q={probe}"),
        "/admin/products/new".to_owned(),
        format!("/admin/products/{probe}/edit"),
        format!("/{probe}"),
        format!("/{probe}/{probe}?{probe}={probe}"),
    ];
    for (who, client) in [("guest", &guest), ("shopper", &shopper), ("admin", &admin)] {
        for path in &pages {
            let (status, html) = get_page(client, &app, path).await;
            assert!(status < 500, "{who} {path}: {status}");
            parse_safely(&format!("{who} {path} ({status})"), &html);
        }
    }

    // The sign-in form sends the shopper back to the path it was given, as text.
    let (_, html) = get_page(&guest, &app, &format!("/signin?return_to=/{probe}")).await;
    let page = parse_safely("sign-in", &html);
    let return_to = select(&page, "input[name=return_to]");
    assert_eq!(return_to[0].value().attr("value"), Some(format!("/{PROBE}").as_str()));
    // A parameter that is not a path on this site comes back as `/`.
    let (_, html) = get_page(&guest, &app, &format!("/signin?return_to={probe}")).await;
    let page = parse_safely("sign-in", &html);
    assert_eq!(select(&page, "input[name=return_to]")[0].value().attr("value"), Some("/"));
    // An unknown error code shows the one generic message, never the code.
    let (_, html) = get_page(&guest, &app, &format!("/signin?error={probe}")).await;
    let page = parse_safely("sign-in", &html);
    let alert: Vec<String> = select(&page, "[role=alert]").iter().map(text).collect();
    assert_eq!(alert, ["Signing in is not available right now. Please try again in a moment."]);
}

#[tokio::test]
async fn an_admins_product_fields_reach_every_page_as_text() {
    let app = spawn_app().await;
    app.sign_in(ADMIN, "/").await;
    let name = format!("Ring {PROBE}");
    let brand = format!("Atelier {PROBE}");
    let description = format!("A hammered band {PROBE} made in the shop's own workshop.");
    let saved = app
        .call_json(
            "admin/product/save",
            &[
                ("input[id]", "probe-ring"),
                ("input[name]", &name),
                ("input[brand]", &brand),
                ("input[category_id]", "rings"),
                ("input[description]", &description),
                ("input[price]", "640"),
                ("input[discount_price]", ""),
                ("input[stock]", "5"),
                ("input[featured]", "on"),
                ("input[version]", ""),
            ],
        )
        .await;
    assert_eq!(saved["Saved"]["version"], 1, "{saved}");

    let (status, html) = app.get_html("/products/probe-ring").await;
    assert_eq!(status, 200);
    let page = parse_safely("product page", &html);
    // The add-to-cart island is given the product as JSON in an attribute, which the
    // parser gives back whole.
    let island = select(&page, "leptos-island[data-component^=AddToCartForm]");
    assert_eq!(island.len(), 1, "the add-to-cart island");
    let props: serde_json::Value = serde_json::from_str(island[0].value().attr("data-props").unwrap()).unwrap();
    assert_eq!(props["product"]["name"]["en"], name.as_str(), "the island's props hold the name as typed");
    assert_eq!(title_of(&page), format!("{name} by {brand} · Lumen Jewelry"));
    assert_eq!(text(&select(&page, "h1")[0]), name);
    let meta = select(&page, "meta[name=description]");
    assert_eq!(meta.len(), 1);
    assert_eq!(meta[0].value().attr("content"), Some(description.as_str()));

    for path in [
        "/",
        "/catalog?sort=newest",
        "/catalog?category=rings&sort=newest",
        "/catalog?q=x-probe",
        "/admin/products",
        "/admin/products?q=probe",
        "/admin/products/probe-ring/edit",
    ] {
        let (status, html) = app.get_html(path).await;
        assert_eq!(status, 200, "{path}");
        let page = parse_safely(path, &html);
        assert!(html.contains("Ring &lt;/title&gt;"), "{path} shows the product's name, escaped");
        if path.ends_with("/edit") {
            let field = select(&page, "input[name='input[name]']");
            assert_eq!(field[0].value().attr("value"), Some(name.as_str()), "the edit form holds the name as typed");
            assert_eq!(text(&select(&page, "textarea[name='input[description]']")[0]), description);
        }
    }

    // In a cart, and an order made of it.
    app.call_json("cart/add", &[("product_id", "probe-ring"), ("quantity", "1")]).await;
    let (_, html) = app.get_html("/cart").await;
    parse_safely("cart", &html);
    let (_, html) = app.get_html("/checkout").await;
    parse_safely("checkout", &html);
    let placed = app.call_json("checkout", SHIPPING).await;
    let order_id = placed["Placed"]["order_id"].as_str().unwrap().to_owned();
    let (status, html) = app.get_html(&format!("/orders/{order_id}")).await;
    assert_eq!(status, 200);
    let page = parse_safely("order", &html);
    assert!(select(&page, "table.order-lines a").iter().any(|a| text(a) == name), "the order lists the name as typed");
}

#[tokio::test]
async fn checkout_fields_reach_the_order_pages_as_text_or_are_refused() {
    let app = spawn_app().await;
    app.sign_in(SHOPPER, "/").await;
    app.call_json("cart/add", &[("product_id", "ember-ruby-band"), ("quantity", "1")]).await;

    // Fields whose rules leave no room for markup refuse it, each with its message.
    for field in ["input[phone]", "input[postal_code]", "input[country]", "input[payment_method]"] {
        let form: Vec<(&str, &str)> =
            SHIPPING.iter().map(|&(k, v)| if k == field { (k, PROBE) } else { (k, v) }).collect();
        let answer = app.call_json("checkout", &form).await;
        let name = field.trim_start_matches("input[").trim_end_matches(']');
        assert!(answer["Invalid"][name].is_string(), "{field}: {answer}");
    }

    // The others are kept as typed, and shown as text.
    let email = format!("{PROBE}@example.com");
    let free_text =
        ["input[full_name]", "input[address_line1]", "input[address_line2]", "input[city]", "input[region]"];
    let form: Vec<(&str, String)> = SHIPPING
        .iter()
        .map(|&(k, v)| match k {
            "input[email]" => (k, email.clone()),
            k if free_text.contains(&k) => (k, format!("{} {PROBE}", &k[6..k.len() - 1])),
            _ => (k, v.to_owned()),
        })
        .collect();
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let placed = app.call_json("checkout", &form).await;
    let order_id = placed["Placed"]["order_id"].as_str().unwrap_or_else(|| panic!("placed: {placed}")).to_owned();

    let (status, html) = app.get_html(&format!("/orders/{order_id}")).await;
    assert_eq!(status, 200);
    let page = parse_safely("order confirmation", &html);
    let address = text(&select(&page, "address")[0]);
    for field in free_text {
        let typed = format!("{} {PROBE}", &field[6..field.len() - 1]);
        assert!(address.contains(&typed), "{field} as typed in the address: {address:?}");
    }
    assert!(text(&select(&page, ".order-page")[0]).contains(&email), "the email as typed");

    let (_, html) = app.get_html("/account").await;
    parse_safely("account", &html);
    let admin = app.other_browser_signed_in(ADMIN).await;
    let (status, html) = get_page(&admin, &app, "/admin").await;
    assert_eq!(status, 200);
    let page = parse_safely("admin overview", &html);
    assert!(select(&page, "table td").iter().any(|td| text(td).contains(&email)), "the latest orders show the email");
}
