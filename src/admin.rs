//! What admins edit: a product's fields as a form posts them, and the rules they meet.

use crate::catalog::ProductImage;
use crate::checkout::FieldErrors;
use crate::text::admin::Words;
use crate::text::fill;
use crate::{Currency, Locale, Localized, Money};
use serde::{Deserialize, Serialize};

/// Products an admin may stock of one piece.
pub const MAX_STOCK: i64 = 100_000;

/// The product form as submitted: every field a string, as a form posts it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductInput {
    /// The product's id, also its URL (`/products/{id}`); chosen once, at creation.
    pub id: String,
    /// The name in English; [`ProductInput::name_vi`] is the Vietnamese. One of the
    /// two may be empty (shoppers are shown the other).
    pub name: String,
    #[serde(default)]
    pub name_vi: String,
    pub brand: String,
    pub category_id: String,
    /// The description in English, and in Vietnamese; one may be empty.
    pub description: String,
    #[serde(default)]
    pub description_vi: String,
    pub price: String,
    #[serde(default)]
    pub discount_price: String,
    pub stock: String,
    /// The stock the edit form was loaded with (a hidden field); empty when creating.
    /// An edit changes the stock by what the admin typed less this, so a sale made
    /// while the form was open is never undone.
    #[serde(default)]
    pub stock_was: String,
    /// A checkbox: `"on"` when ticked, absent otherwise.
    #[serde(default)]
    pub featured: Option<String>,
    /// Its metal for the catalog's filter (a [`crate::variant::Metal`] code), or
    /// empty; a metal option's values say it per variant instead.
    #[serde(default)]
    pub metal: String,
    /// The version the admin started from; empty when creating.
    #[serde(default)]
    pub version: String,
}

/// A product that passed every rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidProduct {
    pub id: String,
    pub name: Localized,
    pub brand: String,
    pub category_id: String,
    pub description: Localized,
    pub price: Money,
    pub discount_price: Option<Money>,
    /// What the admin typed: a new product's stock.
    pub stock: i64,
    pub featured: bool,
    pub metal: Option<crate::variant::Metal>,
    /// `None` when creating; otherwise the version the edit is based on.
    pub version: Option<i64>,
    /// An edit's change to the stock (typed less loaded); `None` when creating.
    pub stock_change: Option<i64>,
}

/// A product id: 3 to 64 lowercase letters, digits and single hyphens.
pub(crate) fn valid_id(id: &str) -> bool {
    (3..=64).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
}

/// Checks every field and reports every problem at once, in `words` (the admin's
/// language), writing numbers as `locale` writes them. `categories` are the ids a
/// product may belong to; prices are read in the shop's `currency`.
pub fn validate_product(
    input: &ProductInput,
    categories: &[String],
    currency: Currency,
    words: &Words,
    locale: Locale,
) -> Result<ValidProduct, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut check = |field: &str, ok: bool, message: &str| {
        if !ok {
            errors.entry(field.to_owned()).or_insert_with(|| message.to_owned());
        }
    };
    let len = |s: &str| s.chars().count();
    let version = input.version.trim();
    let creating = version.is_empty();
    let id = input.id.trim();
    check("id", !creating || valid_id(id), words.error_id);
    // Each language's text is optional, but not both; one given is checked.
    let (name, name_vi) = (input.name.trim(), input.name_vi.trim());
    check("name", !name.is_empty() || !name_vi.is_empty(), words.error_name_missing);
    check("name_vi", !name.is_empty() || !name_vi.is_empty(), words.error_name_missing);
    check("name", name.is_empty() || (2..=200).contains(&len(name)), words.error_name);
    check("name_vi", name_vi.is_empty() || (2..=200).contains(&len(name_vi)), words.error_name);
    let brand = input.brand.trim();
    check("brand", (1..=100).contains(&len(brand)), words.error_brand);
    let category = input.category_id.trim();
    check("category_id", categories.iter().any(|c| c == category), words.error_category);
    let (description, description_vi) = (input.description.trim(), input.description_vi.trim());
    let any_description = !description.is_empty() || !description_vi.is_empty();
    check("description", any_description, words.error_description_missing);
    check("description_vi", any_description, words.error_description_missing);
    check("description", description.is_empty() || (10..=4000).contains(&len(description)), words.error_description);
    check(
        "description_vi",
        description_vi.is_empty() || (10..=4000).contains(&len(description_vi)),
        words.error_description,
    );
    let price = Money::parse(&input.price, currency);
    let example = currency.price_example();
    let max = currency.max_price().format(currency, locale);
    check(
        "price",
        price.is_some_and(|p| p.minor() > 0),
        &fill(words.error_price, &[("currency", &currency), ("max", &max), ("example", &example)]),
    );
    let discount = input.discount_price.trim();
    let discount_price = (!discount.is_empty()).then(|| Money::parse(discount, currency));
    check(
        "discount_price",
        !matches!(discount_price, Some(None)),
        &fill(words.error_discount_price, &[("currency", &currency), ("example", &example)]),
    );
    if let (Some(price), Some(Some(discount))) = (price, discount_price) {
        check("discount_price", discount < price, words.error_discount_not_below);
    }
    let stock = input.stock.trim().parse::<i64>().ok().filter(|s| (0..=MAX_STOCK).contains(s));
    check(
        "stock",
        stock.is_some(),
        &fill(words.error_stock, &[("max", &locale.group_digits(MAX_STOCK.unsigned_abs()))]),
    );
    let metal = input.metal.trim();
    let metal_value = crate::variant::Metal::parse(metal);
    check("metal", metal.is_empty() || metal_value.is_some(), words.error_metal);
    let version_number = version.parse::<i64>().ok();
    check("version", creating || version_number.is_some(), words.error_reload);
    let stock_was = input.stock_was.trim().parse::<i64>().ok().filter(|s| *s >= 0);
    check("stock", creating || stock.is_none() || stock_was.is_some(), words.error_stock_was);

    match (errors.is_empty(), price, stock) {
        (true, Some(price), Some(stock)) => Ok(ValidProduct {
            id: id.to_owned(),
            name: Localized::new(name_vi, name),
            brand: brand.to_owned(),
            category_id: category.to_owned(),
            description: Localized::new(description_vi, description),
            price,
            discount_price: discount_price.flatten(),
            stock,
            featured: input.featured.as_deref().is_some_and(|f| !f.is_empty() && f != "off"),
            metal: metal_value,
            version: version_number,
            stock_change: (!creating).then(|| stock - stock_was.unwrap_or(stock)),
        }),
        _ => Err(errors),
    }
}

/// A product as the admin list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminProductRow {
    pub id: String,
    pub name: Localized,
    pub brand: String,
    pub category_name: Localized,
    pub price: Money,
    pub discount_price: Option<Money>,
    pub stock: i64,
    pub featured: bool,
    pub archived: bool,
    pub image_count: i64,
}

/// A product as the admin edits it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminProduct {
    pub input: ProductInput,
    pub archived: bool,
    pub version: i64,
    pub images: Vec<AdminImage>,
    /// Whether it sells by options (its stock is then per variant, not the form's).
    #[serde(default)]
    pub has_options: bool,
    /// Its variants on sale, when it has options: what an image may be given to.
    #[serde(default)]
    pub variant_choices: Vec<VariantChoice>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminImage {
    pub id: i64,
    pub image: ProductImage,
    pub position: i64,
    /// The variant it shows (its page shows it when that variant is chosen);
    /// `None`: the product's, shown for any variant without images of its own.
    #[serde(default)]
    pub variant_id: Option<String>,
}

/// A variant an image may be given to, as the admin's list names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariantChoice {
    pub id: String,
    /// Its options and SKU, in each language.
    pub label: Localized,
}

/// What saving a product did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SaveOutcome {
    Saved {
        id: String,
        version: i64,
    },
    /// Field name to message.
    Invalid(FieldErrors),
    /// Someone saved the product since this admin loaded it; nothing was written.
    Conflict {
        current_version: i64,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> ProductInput {
        ProductInput {
            id: "aurora-ring".into(),
            name: "Aurora Ring".into(),
            name_vi: "Nhẫn Aurora".into(),
            brand: "Aurelia".into(),
            category_id: "rings".into(),
            description: "A ring with a single diamond.".into(),
            description_vi: "Nhẫn đính một viên kim cương.".into(),
            price: "25.000.000 ₫".into(),
            discount_price: "".into(),
            stock: "4".into(),
            stock_was: "".into(),
            featured: Some("on".into()),
            metal: "rose-gold".into(),
            version: "".into(),
        }
    }

    fn categories() -> Vec<String> {
        vec!["rings".into(), "necklaces".into()]
    }

    /// `validate_product` in English, which the assertions read.
    fn validate(input: &ProductInput, currency: Currency) -> Result<ValidProduct, FieldErrors> {
        validate_product(input, &categories(), currency, &crate::text::admin::EN, Locale::En)
    }

    #[test]
    fn accepts_a_good_product() {
        let p = validate(&good(), Currency::Vnd).unwrap();
        assert_eq!(p.price, Money::from_minor(25_000_000));
        assert_eq!(p.discount_price, None);
        assert!(p.featured);
        assert_eq!(p.metal, Some(crate::variant::Metal::RoseGold));
        assert_eq!((p.version, p.stock, p.stock_change), (None, 4, None));
        let edit = ProductInput { version: "3".into(), stock_was: "6".into(), featured: None, ..good() };
        let p = validate(&edit, Currency::Vnd).unwrap();
        assert_eq!((p.version, p.featured), (Some(3), false));
        assert_eq!(p.stock_change, Some(-2), "an edit changes the stock by what was typed less what was loaded");
    }

    #[test]
    fn an_edit_must_say_what_stock_it_started_from() {
        let edit = ProductInput { version: "3".into(), ..good() };
        assert!(validate(&edit, Currency::Vnd).unwrap_err().contains_key("stock"));
        let edit = ProductInput { version: "3".into(), stock_was: "-5".into(), ..good() };
        assert!(validate(&edit, Currency::Vnd).unwrap_err().contains_key("stock"));
    }

    #[test]
    fn reports_every_bad_field() {
        let bad = ProductInput {
            id: "Not An Id".into(),
            name: "A".into(),
            name_vi: "".into(),
            brand: "".into(),
            category_id: "hats".into(),
            description: "short".into(),
            description_vi: "".into(),
            price: "free".into(),
            discount_price: "lots".into(),
            stock: "-1".into(),
            stock_was: "".into(),
            featured: None,
            metal: "tin".into(),
            version: "".into(),
        };
        let errors = validate(&bad, Currency::Vnd).unwrap_err();
        let fields: Vec<&str> = errors.keys().map(String::as_str).collect();
        assert_eq!(
            fields,
            ["brand", "category_id", "description", "discount_price", "id", "metal", "name", "price", "stock"]
        );
    }

    #[test]
    fn either_language_may_be_missing_but_not_both() {
        let english_only = ProductInput { name_vi: " ".into(), description_vi: "".into(), ..good() };
        let product = validate(&english_only, Currency::Vnd).unwrap();
        assert_eq!(product.name.get(Locale::Vi), "Aurora Ring", "shown the English");
        assert_eq!(product.name.missing(), vec![Locale::Vi]);
        let vietnamese_only = ProductInput { name: "".into(), description: "".into(), ..good() };
        assert_eq!(
            validate(&vietnamese_only, Currency::Vnd).unwrap().description.get(Locale::En),
            "Nhẫn đính một viên kim cương."
        );
        let neither = ProductInput { name: "".into(), name_vi: "".into(), ..good() };
        let errors = validate(&neither, Currency::Vnd).unwrap_err();
        assert_eq!(errors.keys().map(String::as_str).collect::<Vec<_>>(), ["name", "name_vi"]);
        assert_eq!(errors["name"], crate::text::admin::EN.error_name_missing);
        let short = ProductInput { name_vi: "N".into(), ..good() };
        assert_eq!(validate(&short, Currency::Vnd).unwrap_err().keys().collect::<Vec<_>>(), ["name_vi"]);
    }

    #[test]
    fn a_sale_price_must_be_below_the_price() {
        let input = ProductInput { discount_price: "30.000.000".into(), ..good() };
        assert!(validate(&input, Currency::Vnd).unwrap_err().contains_key("discount_price"));
        let input = ProductInput { discount_price: "24.990.000 ₫".into(), ..good() };
        let valid = validate(&input, Currency::Vnd).unwrap();
        assert_eq!(valid.discount_price, Some(Money::from_minor(24_990_000)));
    }

    #[test]
    fn prices_are_read_in_the_shops_currency_and_a_wrong_one_says_what_is_expected() {
        let errors = validate(&ProductInput { price: "25,5".into(), ..good() }, Currency::Vnd).unwrap_err();
        assert_eq!(
            errors["price"],
            "Enter a price in VND above 0 and at most ₫100,000,000,000, like 25000000, 25.000.000 or 25.000.000 ₫."
        );
        let dollars = ProductInput { price: "$1,250.50".into(), discount_price: "999.99".into(), ..good() };
        let valid = validate(&dollars, Currency::Usd).unwrap();
        assert_eq!((valid.price, valid.discount_price), (Money::from_minor(125_050), Some(Money::from_minor(99_999))));
        let too_much = ProductInput { price: "100.000.000.001".into(), ..good() };
        assert!(validate(&too_much, Currency::Vnd).unwrap_err().contains_key("price"));
    }

    #[test]
    fn ids_are_url_safe_slugs_and_only_checked_when_creating() {
        for id in ["ab", "-ring", "ring-", "ri--ng", "Ring", "ring/../x", "ring ring"] {
            let input = ProductInput { id: id.into(), ..good() };
            assert!(validate(&input, Currency::Vnd).unwrap_err().contains_key("id"), "{id}");
        }
        let edit =
            ProductInput { id: "ignored when editing".into(), version: "1".into(), stock_was: "4".into(), ..good() };
        assert!(validate(&edit, Currency::Vnd).is_ok());
    }

    #[test]
    fn errors_are_said_in_the_admins_language_with_its_numbers() {
        let input = ProductInput { price: "free".into(), stock: "many".into(), ..good() };
        let errors =
            validate_product(&input, &categories(), Currency::Vnd, &crate::text::admin::VI, Locale::Vi).unwrap_err();
        assert!(errors["price"].starts_with("Nhập giá bằng VND"), "{}", errors["price"]);
        assert!(errors["price"].contains("100.000.000.000\u{a0}₫"), "{}", errors["price"]);
        assert!(errors["stock"].contains("từ 0 đến 100.000."), "{}", errors["stock"]);
        let english = validate(&input, Currency::Vnd).unwrap_err();
        assert_eq!(english["stock"], "Enter how many are in stock: a whole number from 0 to 100,000.");
    }
}
