//! Pages as a browser without JavaScript gets them: complete HTML from the server.

use crate::helpers::*;

fn product_names(html: &str) -> Vec<String> {
    html.split("class=\"product-name\">")
        .skip(1)
        .map(|rest| rest.split('<').next().unwrap_or_default().to_owned())
        .collect()
}

fn title(html: &str) -> String {
    html.split("<title>").nth(1).and_then(|t| t.split("</title>").next()).unwrap_or_default().to_owned()
}

#[tokio::test]
async fn the_home_page_shows_featured_pieces_and_categories() {
    let app = spawn_app().await;
    let (status, html) = app.get_html("/").await;
    assert_eq!(status, 200);
    assert!(title(&html).contains("Lumen Jewelry"), "{}", title(&html));
    assert!(html.contains("<meta name=\"description\""));
    assert!(html.contains("Aurora Solitaire Ring"), "a featured piece");
    for category in ["Rings", "Necklaces", "Earrings", "Bracelets"] {
        assert!(html.contains(category), "{category}");
    }
    assert!(html.contains("/pkg/jewelry.js") || html.contains("/pkg/jewelry"), "the hydration script is linked");
}

#[tokio::test]
async fn the_catalog_filters_searches_sorts_and_pages_from_the_url() {
    let app = spawn_app().await;
    let (status, all) = app.get_html("/catalog").await;
    assert_eq!(status, 200);
    assert!(all.contains("28 pieces"));
    assert_eq!(product_names(&all).len(), 12, "a page holds 12");
    let (_, third) = app.get_html("/catalog?page=3").await;
    assert_eq!(product_names(&third).len(), 4, "28 = 12 + 12 + 4");

    let (_, rings) = app.get_html("/catalog?category=rings&sort=price_asc").await;
    let names = product_names(&rings);
    assert_eq!(names.len(), 7);
    assert_eq!(names.first().map(String::as_str), Some("Lilac Amethyst Ring"), "cheapest first: 5,375,000 ₫ on sale");
    assert_eq!(names.last().map(String::as_str), Some("Verdant Emerald Cocktail Ring"));
    assert!(title(&rings).starts_with("Rings"));

    let (_, desc) = app.get_html("/catalog?category=rings&sort=price_desc").await;
    assert_eq!(product_names(&desc).first().map(String::as_str), Some("Verdant Emerald Cocktail Ring"));

    // The pearls by name first, featured ones first; then, one letter off, the pear-shaped stones.
    let (_, pearls) = app.get_html("/catalog?q=pearl").await;
    assert_eq!(
        product_names(&pearls),
        [
            "Lune Pearl Strand",
            "Moonlit Pearl Drops",
            "Pearl Chain Bracelet",
            "Pearl Signet Ring",
            "Céleste Diamond Pendant",
            "Lagoon Emerald Drops"
        ]
    );

    let (_, words) = app.get_html("/catalog?q=rose+ruby").await;
    let names = product_names(&words);
    assert!(names.contains(&"Rosette Ruby Pendant".to_owned()), "{names:?}");
    assert!(!names.contains(&"Ember Ruby Band".to_owned()), "every word must match: {names:?}");

    let (_, brand) = app.get_html("/catalog?q=nordlys&category=earrings").await;
    assert_eq!(product_names(&brand), ["Dusk Amethyst Huggies", "Northern Hoops"]);

    let (_, none) = app.get_html("/catalog?q=%25").await;
    assert!(product_names(&none).is_empty(), "a `%` is a character, not a wildcard");
    assert!(none.contains("No pieces match"));
}

#[tokio::test]
async fn a_product_page_shows_everything_a_shopper_needs() {
    let app = spawn_app().await;
    let (status, html) = app.get_html("/products/verdant-emerald-ring").await;
    assert_eq!(status, 200);
    assert!(title(&html).starts_with("Verdant Emerald Cocktail Ring by Aurelia"));
    assert!(html.contains("₫72,000,000") && html.contains("₫80,000,000"), "sale and regular price");
    assert!(html.contains("Only 3 left"));
    assert!(html.contains("Colombian emerald"), "the description");
    assert!(html.contains("src=\"/images/products/verdant-emerald-ring.svg\""));
    assert!(html.contains("alt=\"Verdant Emerald Cocktail Ring in yellow gold with emerald\""));
    assert!(html.contains("Add to cart"));

    let (_, sold_out) = app.get_html("/products/pearl-signet-ring").await;
    assert!(sold_out.contains("Sold out") && !sold_out.contains(">Add to cart<"));

    let (status, missing) = app.get_html("/products/no-such-ring").await;
    assert_eq!(status, 404);
    assert!(missing.contains("Product not found"));
}

#[tokio::test]
async fn every_image_the_catalog_names_ships_with_the_project() {
    let app = spawn_app().await;
    let mut seen = 0;
    for page in 1..=3 {
        let (_, html) = app.get_html(&format!("/catalog?page={page}")).await;
        for src in html.split("src=\"/images/").skip(1).filter_map(|s| s.split('"').next()) {
            let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/images").join(src);
            let svg = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            assert!(svg.contains("<svg") && svg.contains("role=\"img\""), "{src}");
            seen += 1;
        }
    }
    assert_eq!(seen, 28, "one image per product");
}
