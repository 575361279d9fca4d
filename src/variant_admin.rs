//! What admins edit of a product's variants: its options (the values of each,
//! from which every combination becomes a variant), each variant's SKU, own
//! price, stock and whether it is archived, and changes to many at once.

use crate::checkout::FieldErrors;
use crate::text::admin::Words;
use crate::text::fill;
use crate::variant::{ChosenOption, MAX_OPTIONS, OptionKind, OptionValue, ProductOption, valid_sku};
use crate::{Currency, Locale, Localized, Money};
use serde::{Deserialize, Serialize};

/// Values one option may have.
pub const MAX_VALUES: usize = 30;
/// Variants one product may have: its options' values multiplied.
pub const MAX_VARIANTS: usize = 300;
/// How long a value may be, in characters.
const MAX_VALUE_CHARS: usize = 40;

/// The options form as posted: three slots, each a kind, a name in each language,
/// and its values (comma-separated, English then Vietnamese in the same order). A
/// slot without values is no option.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OptionsInput {
    pub product_id: String,
    /// The product's version the admin started from.
    pub version: String,
    pub kind1: String,
    pub name1: String,
    pub name_vi1: String,
    pub values1: String,
    pub values_vi1: String,
    pub kind2: String,
    pub name2: String,
    pub name_vi2: String,
    pub values2: String,
    pub values_vi2: String,
    pub kind3: String,
    pub name3: String,
    pub name_vi3: String,
    pub values3: String,
    pub values_vi3: String,
}

impl OptionsInput {
    /// The form filled with a product's options.
    pub fn of(product_id: &str, version: i64, options: &[ProductOption]) -> OptionsInput {
        let mut input =
            OptionsInput { product_id: product_id.to_owned(), version: version.to_string(), ..Default::default() };
        for (i, option) in options.iter().enumerate().take(MAX_OPTIONS) {
            let join = |locale: Locale| {
                option.values.iter().map(|v| v.label.own(locale).to_owned()).collect::<Vec<_>>().join(", ")
            };
            let values_vi = match option.values.iter().all(|v| v.label.vi.is_empty() || v.label.vi == v.label.en) {
                true => String::new(),
                false => join(Locale::Vi),
            };
            input.slot_mut(i).set(Slot {
                kind: option.kind.as_str().to_owned(),
                name: option.name.en.clone(),
                name_vi: option.name.vi.clone(),
                values: join(Locale::En),
                values_vi,
            });
        }
        input
    }

    /// Slot `i` (0-based).
    pub fn slot(&self, i: usize) -> Slot {
        let (kind, name, name_vi, values, values_vi) = match i {
            0 => (&self.kind1, &self.name1, &self.name_vi1, &self.values1, &self.values_vi1),
            1 => (&self.kind2, &self.name2, &self.name_vi2, &self.values2, &self.values_vi2),
            _ => (&self.kind3, &self.name3, &self.name_vi3, &self.values3, &self.values_vi3),
        };
        Slot {
            kind: kind.clone(),
            name: name.clone(),
            name_vi: name_vi.clone(),
            values: values.clone(),
            values_vi: values_vi.clone(),
        }
    }

    fn slot_mut(&mut self, i: usize) -> SlotMut<'_> {
        match i {
            0 => SlotMut(&mut self.kind1, &mut self.name1, &mut self.name_vi1, &mut self.values1, &mut self.values_vi1),
            1 => SlotMut(&mut self.kind2, &mut self.name2, &mut self.name_vi2, &mut self.values2, &mut self.values_vi2),
            _ => SlotMut(&mut self.kind3, &mut self.name3, &mut self.name_vi3, &mut self.values3, &mut self.values_vi3),
        }
    }
}

/// One option's fields as the form has them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Slot {
    pub kind: String,
    pub name: String,
    pub name_vi: String,
    pub values: String,
    pub values_vi: String,
}

/// A slot's fields, to fill.
struct SlotMut<'a>(&'a mut String, &'a mut String, &'a mut String, &'a mut String, &'a mut String);

impl SlotMut<'_> {
    fn set(self, slot: Slot) {
        *self.0 = slot.kind;
        *self.1 = slot.name;
        *self.2 = slot.name_vi;
        *self.3 = slot.values;
        *self.4 = slot.values_vi;
    }
}

/// Options that passed every rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidOptions {
    pub product_id: String,
    pub version: i64,
    pub options: Vec<ProductOption>,
}

impl ValidOptions {
    /// Every combination of the options' values, the first option varying slowest.
    pub fn combinations(&self) -> Vec<Vec<&OptionValue>> {
        let lists: Vec<&[OptionValue]> = self.options.iter().map(|o| o.values.as_slice()).collect();
        crate::variant::combinations(&lists)
    }
}

/// A value's code: its English (else Vietnamese) label folded to lowercase ASCII,
/// runs of other characters a hyphen: "18K Yellow Gold" is `18k-yellow-gold`,
/// "16.5" is `16.5`, "Vàng hồng" is `vang-hong`.
pub fn code_of(label: &str) -> String {
    let folded = crate::search::fold(label);
    let mut code = String::new();
    for c in folded.chars() {
        match c {
            'a'..='z' | '0'..='9' | '.' => code.push(c),
            _ if !code.is_empty() && !code.ends_with('-') => code.push('-'),
            _ => {}
        }
    }
    let code = code.trim_end_matches('-');
    crate::truncate_chars(code, 32).trim_end_matches('-').to_owned()
}

/// Checks the options form, reporting every problem at once in `words` (the
/// admin's language): each slot with values needs a name and 1 to [`MAX_VALUES`]
/// distinct values, and together no more than [`MAX_VARIANTS`] combinations.
pub fn validate_options(input: &OptionsInput, words: &Words, locale: Locale) -> Result<ValidOptions, FieldErrors> {
    let mut errors = FieldErrors::new();
    let version = input.version.trim().parse::<i64>().ok();
    if version.is_none() {
        errors.insert("version".into(), words.error_reload.into());
    }
    let split =
        |s: &str| -> Vec<String> { s.split(',').map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned).collect() };
    let mut options = Vec::new();
    for i in 0..MAX_OPTIONS {
        let slot = input.slot(i);
        let n = i + 1;
        let values = split(&slot.values);
        if values.is_empty() {
            continue;
        }
        let values_vi = split(&slot.values_vi);
        let (name, name_vi) = (slot.name.trim(), slot.name_vi.trim());
        let name_ok =
            (!name.is_empty() || !name_vi.is_empty()) && name.chars().count() <= 60 && name_vi.chars().count() <= 60;
        if !name_ok {
            errors.insert(format!("name{n}"), words.error_option_name.into());
        }
        let codes: Vec<String> = values.iter().map(|v| code_of(v)).collect();
        let distinct = codes.iter().enumerate().all(|(j, c)| !c.is_empty() && !codes[..j].contains(c));
        if values.len() > MAX_VALUES || !distinct || values.iter().any(|v| v.chars().count() > MAX_VALUE_CHARS) {
            let max = MAX_VALUES.to_string();
            errors.insert(format!("values{n}"), fill(words.error_option_values, &[("max", &max)]));
        }
        if !values_vi.is_empty() && values_vi.len() != values.len() {
            errors.insert(format!("values_vi{n}"), words.error_option_values_vi.into());
        }
        options.push(ProductOption {
            kind: OptionKind::parse(slot.kind.trim()).unwrap_or_default(),
            name: Localized::new(name_vi, name),
            values: values
                .iter()
                .zip(codes)
                .enumerate()
                .map(|(j, (value, code))| OptionValue {
                    code,
                    label: Localized::new(values_vi.get(j).cloned().unwrap_or_default(), value.clone()),
                })
                .collect(),
        });
    }
    let count: usize = options.iter().map(|o| o.values.len()).product();
    if !options.is_empty() && count > MAX_VARIANTS {
        let (n, max) = (locale.group_digits(count as u64), locale.group_digits(MAX_VARIANTS as u64));
        errors.insert("values1".into(), fill(words.error_too_many_variants, &[("n", &n), ("max", &max)]));
    }
    match (errors.is_empty(), version) {
        (true, Some(version)) => Ok(ValidOptions { product_id: input.product_id.trim().to_owned(), version, options }),
        _ => Err(errors),
    }
}

/// A product's variants as the admin edits them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminVariants {
    pub product_id: String,
    pub version: i64,
    /// What a variant without its own price sells at.
    pub product_price: Money,
    pub product_discount: Option<Money>,
    pub options: Vec<ProductOption>,
    /// Live ones first, in their order, then archived ones.
    pub variants: Vec<AdminVariant>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminVariant {
    pub id: String,
    pub sku: String,
    pub options: Vec<ChosenOption>,
    /// Its own price and sale price; `None`: the product's.
    pub price: Option<Money>,
    pub discount_price: Option<Money>,
    pub stock: i64,
    pub archived: bool,
}

/// The variants form as posted: a row per variant.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VariantsInput {
    pub product_id: String,
    pub version: String,
    pub rows: Vec<VariantRowInput>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VariantRowInput {
    pub id: String,
    pub sku: String,
    /// Empty: the product's price (and sale price).
    pub price: String,
    pub discount_price: String,
    pub stock: String,
    /// The stock the form was loaded with: a save changes the stock by the
    /// difference, so a sale made meanwhile stays sold (as for a product).
    pub stock_was: String,
    /// A checkbox: `"on"` when ticked.
    pub archived: Option<String>,
}

/// A variant row that passed every rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidVariantRow {
    pub id: String,
    pub sku: String,
    pub price: Option<Money>,
    pub discount_price: Option<Money>,
    pub stock_change: i64,
    pub archived: bool,
}

/// Checks the variants form; errors are keyed by field and row, `sku.3`.
pub fn validate_variants(
    input: &VariantsInput,
    currency: Currency,
    words: &Words,
    locale: Locale,
) -> Result<(i64, Vec<ValidVariantRow>), FieldErrors> {
    let mut errors = FieldErrors::new();
    let version = input.version.trim().parse::<i64>().ok();
    if version.is_none() {
        errors.insert("version".into(), words.error_reload.into());
    }
    let example = currency.price_example();
    let max_price = currency.max_price().format(currency, locale);
    let max_stock = locale.group_digits(crate::admin::MAX_STOCK.unsigned_abs());
    let mut rows = Vec::with_capacity(input.rows.len());
    for (i, row) in input.rows.iter().enumerate() {
        let sku = row.sku.trim().to_ascii_uppercase();
        if !valid_sku(&sku) {
            errors.insert(format!("sku.{i}"), words.error_sku.into());
        } else if input.rows[..i].iter().any(|r| r.sku.trim().eq_ignore_ascii_case(&sku)) {
            errors.insert(format!("sku.{i}"), words.error_sku_taken.into());
        }
        let price = optional_price(&row.price, currency);
        if matches!(price, Some(None)) || matches!(price, Some(Some(p)) if p.minor() <= 0) {
            let message =
                fill(words.error_price, &[("currency", &currency), ("max", &max_price), ("example", &example)]);
            errors.insert(format!("price.{i}"), message);
        }
        let discount = optional_price(&row.discount_price, currency);
        match (price, discount) {
            (_, Some(None)) => {
                let message = fill(words.error_discount_price, &[("currency", &currency), ("example", &example)]);
                errors.insert(format!("discount_price.{i}"), message);
            }
            (None, Some(Some(_))) => {
                errors.insert(format!("discount_price.{i}"), words.error_discount_needs_price.into());
            }
            (Some(Some(p)), Some(Some(d))) if d >= p => {
                errors.insert(format!("discount_price.{i}"), words.error_discount_not_below.into());
            }
            _ => {}
        }
        let stock = row.stock.trim().parse::<i64>().ok().filter(|s| (0..=crate::admin::MAX_STOCK).contains(s));
        let stock_was = row.stock_was.trim().parse::<i64>().ok().filter(|s| *s >= 0);
        if stock.is_none() {
            errors.insert(format!("stock.{i}"), fill(words.error_stock, &[("max", &max_stock)]));
        } else if stock_was.is_none() {
            errors.insert(format!("stock.{i}"), words.error_stock_was.into());
        }
        rows.push(ValidVariantRow {
            id: row.id.trim().to_owned(),
            sku,
            price: price.flatten(),
            discount_price: discount.flatten(),
            stock_change: stock.unwrap_or(0) - stock_was.unwrap_or(0),
            archived: row.archived.as_deref().is_some_and(|a| !a.is_empty() && a != "off"),
        });
    }
    match (errors.is_empty(), version) {
        (true, Some(version)) => Ok((version, rows)),
        _ => Err(errors),
    }
}

/// An optional price field: `None` when empty, else what it reads as.
fn optional_price(text: &str, currency: Currency) -> Option<Option<Money>> {
    let text = text.trim();
    (!text.is_empty()).then(|| Money::parse(text, currency))
}

/// The change-in-bulk form: which variants (all, or those with one option's
/// value: `2:platinum`) and what to do to them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BulkInput {
    pub product_id: String,
    pub version: String,
    /// Empty: every live variant; `{option position}:{value code}`: those with it.
    pub which: String,
    /// A new own price (empty: unchanged).
    pub price: String,
    /// A new own sale price (empty: unchanged).
    pub discount_price: String,
    /// A checkbox: back to the product's price and sale price.
    pub product_price: Option<String>,
    /// Added to each one's stock (negative takes away, never below none).
    pub stock_add: String,
}

/// A bulk change that passed every rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidBulk {
    pub version: i64,
    /// `(option position 1..=3, value code)`, or every variant.
    pub which: Option<(i64, String)>,
    pub prices: BulkPrices,
    pub stock_add: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BulkPrices {
    Unchanged,
    /// The product's again.
    Product,
    /// This price and sale price of their own.
    Own {
        price: Money,
        discount_price: Option<Money>,
    },
}

pub fn validate_bulk(
    input: &BulkInput,
    currency: Currency,
    words: &Words,
    locale: Locale,
) -> Result<ValidBulk, FieldErrors> {
    let mut errors = FieldErrors::new();
    let version = input.version.trim().parse::<i64>().ok();
    if version.is_none() {
        errors.insert("version".into(), words.error_reload.into());
    }
    let which = input.which.trim();
    let which = match which.split_once(':') {
        None if which.is_empty() => Some(None),
        Some((position, code)) => position
            .parse::<i64>()
            .ok()
            .filter(|p| (1..=MAX_OPTIONS as i64).contains(p))
            .map(|p| Some((p, code.to_owned()))),
        None => None,
    };
    if which.is_none() {
        errors.insert("which".into(), words.error_reload.into());
    }
    let example = currency.price_example();
    let back_to_product = input.product_price.as_deref().is_some_and(|a| !a.is_empty() && a != "off");
    let price = optional_price(&input.price, currency);
    let discount = optional_price(&input.discount_price, currency);
    let prices = match (back_to_product, price, discount) {
        (true, _, _) => BulkPrices::Product,
        (false, None, None) => BulkPrices::Unchanged,
        (false, Some(Some(price)), discount) if price.minor() > 0 => match discount {
            None => BulkPrices::Own { price, discount_price: None },
            Some(Some(d)) if d < price => BulkPrices::Own { price, discount_price: Some(d) },
            Some(Some(_)) => {
                errors.insert("discount_price".into(), words.error_discount_not_below.into());
                BulkPrices::Unchanged
            }
            Some(None) => {
                let message = fill(words.error_discount_price, &[("currency", &currency), ("example", &example)]);
                errors.insert("discount_price".into(), message);
                BulkPrices::Unchanged
            }
        },
        (false, None, Some(_)) => {
            errors.insert("discount_price".into(), words.error_discount_needs_price.into());
            BulkPrices::Unchanged
        }
        (false, Some(_), _) => {
            let max = currency.max_price().format(currency, locale);
            let message = fill(words.error_price, &[("currency", &currency), ("max", &max), ("example", &example)]);
            errors.insert("price".into(), message);
            BulkPrices::Unchanged
        }
    };
    let stock_text = input.stock_add.trim();
    let stock_add = match stock_text {
        "" => Some(0),
        text => {
            text.strip_prefix('+').unwrap_or(text).parse::<i64>().ok().filter(|n| n.abs() <= crate::admin::MAX_STOCK)
        }
    };
    if stock_add.is_none() {
        let max = locale.group_digits(crate::admin::MAX_STOCK.unsigned_abs());
        errors.insert("stock_add".into(), fill(words.error_stock_add, &[("max", &max)]));
    }
    if errors.is_empty() && prices == BulkPrices::Unchanged && stock_add == Some(0) {
        errors.insert("price".into(), words.error_bulk_nothing.into());
    }
    match (errors.is_empty(), version, which, stock_add) {
        (true, Some(version), Some(which), Some(stock_add)) => Ok(ValidBulk { version, which, prices, stock_add }),
        _ => Err(errors),
    }
}

/// A variant's SKU made from its product's id and its values' codes:
/// `BLUSH-ETERNITY-BAND-12-PLATINUM`, cut to 64 characters.
pub fn sku_for(product_id: &str, codes: &[&str]) -> String {
    let mut sku = product_id.to_ascii_uppercase();
    for code in codes {
        sku.push('-');
        sku.push_str(&code.to_ascii_uppercase());
    }
    let sku: String = sku.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')).collect();
    crate::truncate_chars(&sku, 64).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::admin::EN;

    fn options(values1: &str, values2: &str) -> OptionsInput {
        OptionsInput {
            product_id: "ring".into(),
            version: "3".into(),
            kind1: "size".into(),
            name1: "Ring size".into(),
            name_vi1: "Ni nhẫn".into(),
            values1: values1.into(),
            kind2: "metal".into(),
            name2: "Metal".into(),
            values2: values2.into(),
            values_vi2: String::new(),
            ..Default::default()
        }
    }

    #[test]
    fn values_become_codes_any_admin_would_recognise() {
        assert_eq!(code_of("18K Yellow Gold"), "18k-yellow-gold");
        assert_eq!(code_of(" 16.5 "), "16.5");
        assert_eq!(code_of("Vàng hồng 18K"), "vang-hong-18k");
        assert_eq!(code_of("!!!"), "");
    }

    #[test]
    fn options_make_every_combination_of_their_values() {
        let valid = validate_options(&options("8, 9, 10", "Gold, Platinum"), &EN, Locale::En).unwrap();
        assert_eq!(valid.version, 3);
        assert_eq!(valid.options.len(), 2);
        assert_eq!(valid.options[0].kind, OptionKind::Size);
        assert_eq!(valid.options[0].name, Localized::new("Ni nhẫn", "Ring size"));
        let combos: Vec<String> = valid
            .combinations()
            .iter()
            .map(|c| c.iter().map(|v| v.code.as_str()).collect::<Vec<_>>().join("/"))
            .collect();
        assert_eq!(combos, ["8/gold", "8/platinum", "9/gold", "9/platinum", "10/gold", "10/platinum"]);
        let none = validate_options(&options("", ""), &EN, Locale::En).unwrap();
        assert!(none.options.is_empty() && none.combinations().is_empty(), "no options: the default variant");
    }

    #[test]
    fn options_are_refused_with_every_reason() {
        let mut input = options("8, 8", "Gold");
        input.name2 = String::new();
        input.values_vi2 = "Vàng, Bạch kim".into();
        let errors = validate_options(&input, &EN, Locale::En).unwrap_err();
        assert_eq!(errors.keys().collect::<Vec<_>>(), ["name2", "values1", "values_vi2"]);
        let many = (1..=20).map(|n| n.to_string()).collect::<Vec<_>>().join(",");
        let errors = validate_options(&options(&many, &many), &EN, Locale::En).unwrap_err();
        assert_eq!(errors["values1"], "These options make 400 variants; at most 300 can be sold.");
    }

    #[test]
    fn a_variants_own_prices_and_stock_change_are_read_from_its_row() {
        let row = |price: &str, discount: &str, stock: &str| VariantRowInput {
            id: "v1".into(),
            sku: "ring-12-pt".into(),
            price: price.into(),
            discount_price: discount.into(),
            stock: stock.into(),
            stock_was: "4".into(),
            archived: None,
        };
        let input = |rows| VariantsInput { product_id: "ring".into(), version: "7".into(), rows };
        let (version, rows) =
            validate_variants(&input(vec![row("1850000", "", "6")]), Currency::Vnd, &EN, Locale::En).unwrap();
        assert_eq!(version, 7);
        assert_eq!(rows[0].sku, "RING-12-PT", "uppercased");
        assert_eq!(rows[0].price, Some(Money::from_minor(1_850_000)));
        assert_eq!(rows[0].stock_change, 2);
        let (_, rows) = validate_variants(&input(vec![row("", "", "4")]), Currency::Vnd, &EN, Locale::En).unwrap();
        assert_eq!((rows[0].price, rows[0].discount_price), (None, None), "the product's price");

        let errors =
            validate_variants(&input(vec![row("", "900", "x"), row("abc", "", "1")]), Currency::Vnd, &EN, Locale::En)
                .unwrap_err();
        assert_eq!(errors.keys().collect::<Vec<_>>(), ["discount_price.0", "price.1", "sku.1", "stock.0"]);
        assert_eq!(errors["sku.1"], EN.error_sku_taken);
    }

    #[test]
    fn a_bulk_change_names_which_variants_and_what_changes() {
        let bulk = |which: &str, price: &str, stock: &str| BulkInput {
            product_id: "ring".into(),
            version: "2".into(),
            which: which.into(),
            price: price.into(),
            stock_add: stock.into(),
            ..Default::default()
        };
        let valid = validate_bulk(&bulk("2:platinum", "46250000", "+3"), Currency::Vnd, &EN, Locale::En).unwrap();
        assert_eq!(valid.which, Some((2, "platinum".to_owned())));
        assert_eq!(valid.prices, BulkPrices::Own { price: Money::from_minor(46_250_000), discount_price: None });
        assert_eq!(valid.stock_add, 3);
        assert_eq!(validate_bulk(&bulk("", "", "-2"), Currency::Vnd, &EN, Locale::En).unwrap().which, None);
        let errors = validate_bulk(&bulk("", "", ""), Currency::Vnd, &EN, Locale::En).unwrap_err();
        assert_eq!(errors["price"], EN.error_bulk_nothing);
        assert!(
            validate_bulk(&bulk("9:x", "", "1"), Currency::Vnd, &EN, Locale::En).unwrap_err().contains_key("which")
        );
    }

    #[test]
    fn skus_are_made_from_the_product_and_its_values() {
        assert_eq!(sku_for("blush-band", &["12", "platinum"]), "BLUSH-BAND-12-PLATINUM");
        assert_eq!(sku_for(&"a".repeat(60), &["yellow-gold"]).len(), 64);
        assert!(valid_sku(&sku_for("ring", &["16.5"])));
    }
}
