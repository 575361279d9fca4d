//! What search engines and link previews read: the shop's absolute addresses and a
//! product's schema.org `Product` (JSON-LD), with the fields Google's rich results
//! require and recommend.

use crate::catalog::ProductDetail;
use crate::variant::OptionKind;
use crate::{Currency, Locale};
use serde_json::{Value, json};

/// The vocabulary of the structured data.
pub const SCHEMA_CONTEXT: &str = "https://schema.org";

/// `path` (or a URL already absolute, such as a CDN image's) on the shop at `base`
/// (`https://shop.example`, no trailing slash).
pub fn absolute(base: &str, path: &str) -> String {
    if path.starts_with("https://") || path.starts_with("http://") {
        path.to_owned()
    } else {
        format!("{}{}", base.trim_end_matches('/'), path)
    }
}

/// A product page's address.
pub fn product_path(id: &str) -> String {
    format!("/products/{}", crate::catalog::encode_component(id))
}

/// The product as schema.org's `Product`, with one `Offer` at the price a shopper
/// pays now in the shop's `currency`, for the shop at `base`, described in `locale`
/// on its page at `address` (the product's path in that language).
pub fn product_json_ld(
    product: &ProductDetail,
    base: &str,
    address: &str,
    currency: Currency,
    locale: Locale,
) -> Value {
    let summary = &product.summary;
    let url = absolute(base, address);
    let images: Vec<String> = product.images.iter().map(|i| absolute(base, &i.url)).collect();
    let availability = if summary.stock > 0 { "https://schema.org/InStock" } else { "https://schema.org/OutOfStock" };
    let mut ld = json!({
        "@context": SCHEMA_CONTEXT,
        "@type": "Product",
        "name": summary.name.get(locale),
        "image": images,
        "description": product.description.get(locale),
        // The SKU of its one variant (a product without options), else its id.
        "sku": product.variants.first().map_or(summary.id.as_str(), |v| v.sku.as_str()),
        "category": summary.category_name.get(locale),
        "brand": {"@type": "Brand", "name": summary.brand},
        "url": url,
        "inLanguage": locale.code(),
        "offers": {
            "@type": "Offer",
            "url": url,
            "price": summary.effective_price().to_input(currency),
            "priceCurrency": currency.code(),
            "availability": availability,
            "itemCondition": "https://schema.org/NewCondition",
        },
    });
    // A product without images yet says nothing rather than an empty list.
    if images.is_empty() {
        ld.as_object_mut().map(|o| o.remove("image"));
    }
    // A group only when schema.org has a word for what it varies by.
    if product.options.iter().any(|o| varies_by(o.kind).is_some()) {
        return product_group(product, ld, base, &url, currency, locale);
    }
    ld
}

/// What schema.org calls an option's kind, for `variesBy` and a variant's values;
/// `None` for one it has no word for.
fn varies_by(kind: OptionKind) -> Option<&'static str> {
    match kind {
        OptionKind::Size | OptionKind::Length => Some("size"),
        OptionKind::Metal => Some("material"),
        OptionKind::Other => None,
    }
}

/// A product sold by options as a `ProductGroup` (Google's product variant
/// structured data): its `productGroupID`, what it `variesBy`, and a `Product` with
/// its own `Offer` for each variant on sale, at its own address (`?variant=SKU`).
/// `product` is the group's fields as a single `Product` would have them.
fn product_group(
    detail: &ProductDetail,
    mut group: Value,
    base: &str,
    url: &str,
    currency: Currency,
    locale: Locale,
) -> Value {
    let name = detail.summary.name.get(locale);
    let mut varies: Vec<String> = Vec::new();
    for kind in detail.options.iter().filter_map(|o| varies_by(o.kind)) {
        let url = format!("{SCHEMA_CONTEXT}/{kind}");
        if !varies.contains(&url) {
            varies.push(url);
        }
    }
    let variants: Vec<Value> = detail
        .variants
        .iter()
        .map(|v| {
            let chosen = crate::variant::describe(&detail.options, &v.values);
            let values: Vec<&str> = chosen.iter().map(|c| c.value.get(locale)).collect();
            let variant_url = format!("{url}?variant={}", crate::catalog::encode_component(&v.sku));
            let availability =
                if v.in_stock() { "https://schema.org/InStock" } else { "https://schema.org/OutOfStock" };
            let mut ld = json!({
                "@type": "Product",
                "name": format!("{name} ({})", values.join(", ")),
                "sku": v.sku,
                "url": variant_url,
                "inProductGroupWithID": detail.summary.id,
                "offers": {
                    "@type": "Offer",
                    "url": variant_url,
                    "price": v.effective_price().to_input(currency),
                    "priceCurrency": currency.code(),
                    "availability": availability,
                    "itemCondition": "https://schema.org/NewCondition",
                },
            });
            let object = ld.as_object_mut().expect("an object");
            for (option, value) in detail.options.iter().zip(&v.values) {
                let label = option.values.iter().find(|x| &x.code == value).map(|x| x.label.get(locale));
                if let (Some(property), Some(label)) = (varies_by(option.kind), label) {
                    object.entry(property).or_insert_with(|| Value::from(label));
                }
            }
            let images: Vec<String> = v.images.iter().map(|i| absolute(base, &i.url)).collect();
            if !images.is_empty() {
                object.insert("image".into(), Value::from(images));
            }
            ld
        })
        .collect();
    let object = group.as_object_mut().expect("an object");
    object.remove("offers");
    object.remove("sku");
    object.insert("@type".into(), Value::from("ProductGroup"));
    object.insert("productGroupID".into(), Value::from(detail.summary.id.clone()));
    object.insert("variesBy".into(), Value::from(varies));
    object.insert("hasVariant".into(), Value::from(variants));
    group
}

/// JSON for a `<script type="application/ld+json">` element: `<`, `>` and `&` as
/// JSON escapes, so no text in it (a product's name) can end the element.
pub fn json_for_script(value: &Value) -> String {
    value.to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Money;
    use crate::catalog::{ProductImage, ProductSummary};

    fn product(stock: i64) -> ProductDetail {
        ProductDetail {
            summary: ProductSummary {
                id: "ember-ruby-band".into(),
                name: crate::Localized::new("Ember </script><b>Band", "Ember </script><b>Band"),
                brand: "Maison Lune".into(),
                category_id: "rings".into(),
                category_name: crate::Localized::new("Rings", "Rings"),
                price: Money::from_minor(89_000),
                discount_price: Some(Money::from_minor(74_900)),
                stock,
                image: None,
            },
            description: crate::Localized::new("A band & a ruby.", "A band & a ruby."),
            images: vec![
                ProductImage { url: "/images/ember.svg".into(), alt: crate::Localized::default() },
                ProductImage { url: "https://cdn.example/p/1.png".into(), alt: crate::Localized::default() },
            ],
            options: Vec::new(),
            variants: Vec::new(),
        }
    }

    #[test]
    fn a_product_is_offered_at_its_current_price_with_absolute_addresses() {
        let ld = product_json_ld(
            &product(3),
            "https://shop.example/",
            &product_path(&product(3).summary.id),
            Currency::Usd,
            Locale::Vi,
        );
        assert_eq!(ld["offers"]["price"], "749.00");
        assert_eq!(ld["offers"]["priceCurrency"], "USD");
        let in_dong = product_json_ld(
            &product(3),
            "https://shop.example/",
            &product_path(&product(3).summary.id),
            Currency::Vnd,
            Locale::Vi,
        );
        assert_eq!(
            (&in_dong["offers"]["price"], &in_dong["offers"]["priceCurrency"]),
            (&json!("74900"), &json!("VND"))
        );
        assert_eq!(ld["offers"]["availability"], "https://schema.org/InStock");
        assert_eq!(ld["url"], "https://shop.example/products/ember-ruby-band");
        assert_eq!(ld["image"], json!(["https://shop.example/images/ember.svg", "https://cdn.example/p/1.png"]));
        assert_eq!(ld["brand"]["name"], "Maison Lune");
        assert_eq!(
            product_json_ld(&product(0), "https://s", &product_path(&product(0).summary.id), Currency::Vnd, Locale::Vi)
                ["offers"]["availability"],
            "https://schema.org/OutOfStock"
        );
    }

    #[test]
    fn script_json_cannot_end_its_element_and_reads_back_the_same() {
        let ld = product_json_ld(
            &product(1),
            "https://shop.example",
            &product_path(&product(1).summary.id),
            Currency::Vnd,
            Locale::Vi,
        );
        let text = json_for_script(&ld);
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'), "{text}");
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), ld);
    }
}
