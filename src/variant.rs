//! Variants: a ring sold by size, a chain by length, either in several metals.
//! A product has up to [`MAX_OPTIONS`] options ("Size", "Metal"), each with its
//! values, and sells as variants, one per combination, each with its SKU, its
//! stock and, when set, its own price. A product without options sells as one
//! default variant, whose id is the product's.

use crate::catalog::ProductImage;
use crate::{Locale, Localized, Money};
use serde::{Deserialize, Serialize};

/// Options a product may have.
pub const MAX_OPTIONS: usize = 3;

/// What an option is, which decides what the shop does with it: a size guide
/// beside sizes, a catalog filter by metal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OptionKind {
    Size,
    Metal,
    Length,
    #[default]
    Other,
}

impl OptionKind {
    pub const ALL: [OptionKind; 4] = [OptionKind::Size, OptionKind::Metal, OptionKind::Length, OptionKind::Other];

    pub const fn as_str(self) -> &'static str {
        match self {
            OptionKind::Size => "size",
            OptionKind::Metal => "metal",
            OptionKind::Length => "length",
            OptionKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<OptionKind> {
        OptionKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The metals a shopper filters the catalog by. A metal option's values (`18K
/// yellow gold`, `Vàng trắng 18K`) and a product's own metal belong to one of
/// them ([`Metal::of`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Metal {
    YellowGold,
    WhiteGold,
    RoseGold,
    Platinum,
    Silver,
}

impl Metal {
    pub const ALL: [Metal; 5] = [Metal::YellowGold, Metal::WhiteGold, Metal::RoseGold, Metal::Platinum, Metal::Silver];

    /// In the URL (`?metal=rose-gold`) and the database (`products.metal`).
    pub const fn code(self) -> &'static str {
        match self {
            Metal::YellowGold => "yellow-gold",
            Metal::WhiteGold => "white-gold",
            Metal::RoseGold => "rose-gold",
            Metal::Platinum => "platinum",
            Metal::Silver => "silver",
        }
    }

    pub fn parse(code: &str) -> Option<Metal> {
        Metal::ALL.into_iter().find(|m| m.code() == code.trim())
    }

    pub const fn label(self, locale: Locale) -> &'static str {
        match (self, locale) {
            (Metal::YellowGold, Locale::Vi) => "Vàng",
            (Metal::YellowGold, Locale::En) => "Yellow gold",
            (Metal::WhiteGold, Locale::Vi) => "Vàng trắng",
            (Metal::WhiteGold, Locale::En) => "White gold",
            (Metal::RoseGold, Locale::Vi) => "Vàng hồng",
            (Metal::RoseGold, Locale::En) => "Rose gold",
            (Metal::Platinum, Locale::Vi) => "Bạch kim",
            (Metal::Platinum, Locale::En) => "Platinum",
            (Metal::Silver, Locale::Vi) => "Bạc",
            (Metal::Silver, Locale::En) => "Silver",
        }
    }

    /// The metal a metal option's value code names (`18k-yellow-gold`,
    /// `vang-trang-18k`, `platinum`), if any: by its words, in English or Vietnamese.
    pub fn of(code: &str) -> Option<Metal> {
        let words: Vec<&str> = code.split(|c: char| !c.is_ascii_alphanumeric()).collect();
        let has = |w: &str| words.contains(&w);
        if has("platinum") || (has("bach") && has("kim")) {
            Some(Metal::Platinum)
        } else if (has("white") && has("gold")) || (has("vang") && has("trang")) {
            Some(Metal::WhiteGold)
        } else if (has("rose") && has("gold")) || (has("vang") && has("hong")) {
            Some(Metal::RoseGold)
        } else if has("silver") || has("bac") || has("sterling") {
            Some(Metal::Silver)
        } else if has("gold") || has("vang") {
            Some(Metal::YellowGold)
        } else {
            None
        }
    }
}

/// One of a product's options, with its values in their order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductOption {
    pub kind: OptionKind,
    pub name: Localized,
    pub values: Vec<OptionValue>,
}

/// A value of an option: its code (the same for the same value across
/// products: `12`, `yellow-gold-18k`) and what shoppers read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionValue {
    pub code: String,
    pub label: Localized,
}

/// A variant as a product page offers it: its prices resolved (its own, or the
/// product's).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variant {
    pub id: String,
    pub sku: String,
    /// The value codes it chose, one per option, in the options' order.
    pub values: Vec<String>,
    pub price: Money,
    pub discount_price: Option<Money>,
    pub stock: i64,
    /// Its own images, shown instead of the product's when it is chosen.
    pub images: Vec<ProductImage>,
}

impl Variant {
    pub fn effective_price(&self) -> Money {
        self.discount_price.unwrap_or(self.price)
    }

    pub fn in_stock(&self) -> bool {
        self.stock > 0
    }
}

/// An option as a variant chose it: "Size" and "12".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChosenOption {
    pub name: Localized,
    pub value: Localized,
}

/// The options `values` (a variant's codes) choose, named.
pub fn describe(options: &[ProductOption], values: &[String]) -> Vec<ChosenOption> {
    options
        .iter()
        .zip(values)
        .filter_map(|(option, code)| {
            let value = option.values.iter().find(|v| &v.code == code)?;
            Some(ChosenOption { name: option.name.clone(), value: value.label.clone() })
        })
        .collect()
}

/// The chosen options as a line says them, in `locale`: "Size: 12, Metal: 18K
/// yellow gold"; empty for a product without options.
pub fn options_text(chosen: &[ChosenOption], locale: Locale) -> String {
    chosen.iter().map(|c| format!("{}: {}", c.name.get(locale), c.value.get(locale))).collect::<Vec<_>>().join(", ")
}

/// A piece's name with its options, as refusals and order lines name it: "Ring
/// (Size: 12, Metal: Platinum)".
pub fn named_with_options(name: &Localized, chosen: &[ChosenOption]) -> Localized {
    if chosen.is_empty() {
        return name.clone();
    }
    let with = |locale: Locale| format!("{} ({})", name.get(locale), options_text(chosen, locale));
    Localized::new(with(Locale::Vi), with(Locale::En))
}

/// Every combination of one value from each list, the first list varying
/// slowest: the variants options make. No lists, no combination.
pub fn combinations<'a, T>(lists: &[&'a [T]]) -> Vec<Vec<&'a T>> {
    if lists.is_empty() {
        return Vec::new();
    }
    let mut all: Vec<Vec<&T>> = vec![Vec::new()];
    for list in lists {
        all = all.into_iter().flat_map(|c| list.iter().map(move |v| [c.clone(), vec![v]].concat())).collect();
    }
    all
}

/// The variant a product page shows: the one whose SKU the URL names (any case),
/// else the first in stock, else the first.
pub fn chosen<'a>(variants: &'a [Variant], sku: Option<&str>) -> Option<&'a Variant> {
    sku.and_then(|sku| variants.iter().find(|v| v.sku.eq_ignore_ascii_case(sku.trim())))
        .or_else(|| variants.iter().find(|v| v.in_stock()))
        .or_else(|| variants.first())
}

/// Whether a value can be had with the other options as chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Availability {
    Available,
    /// The combination exists and is sold out.
    SoldOut,
    /// No variant has this value with the other options as chosen.
    Unavailable,
}

/// One value of a picker: whether it is the chosen one, whether it can be had
/// with the others as chosen, and the variant choosing it leads to (none when no
/// variant has the value at all).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PickerValue<'a> {
    pub value: &'a OptionValue,
    pub selected: bool,
    pub availability: Availability,
    pub target: Option<&'a Variant>,
}

/// Option `option`'s values as its picker shows them, `current` being chosen.
/// Choosing a value keeps the other options as chosen when that combination
/// exists; when it does not, it leads to the variant with that value sharing the
/// most of the other choices, one in stock first.
pub fn picker<'a>(
    options: &'a [ProductOption],
    variants: &'a [Variant],
    current: &'a Variant,
    option: usize,
) -> Vec<PickerValue<'a>> {
    let Some(values) = options.get(option).map(|o| &o.values) else { return Vec::new() };
    values
        .iter()
        .map(|value| {
            let exact = variants.iter().find(|v| {
                v.values.get(option) == Some(&value.code)
                    && v.values.iter().enumerate().all(|(i, code)| i == option || current.values.get(i) == Some(code))
            });
            let (availability, target) = match exact {
                Some(v) if v.in_stock() => (Availability::Available, Some(v)),
                Some(v) => (Availability::SoldOut, Some(v)),
                None => {
                    let shared = |v: &Variant| {
                        v.values.iter().enumerate().filter(|(i, code)| current.values.get(*i) == Some(*code)).count()
                    };
                    let nearest = variants
                        .iter()
                        .filter(|v| v.values.get(option) == Some(&value.code))
                        .max_by_key(|v| (v.in_stock(), shared(v), std::cmp::Reverse(v.id.as_str())));
                    (Availability::Unavailable, nearest)
                }
            };
            PickerValue { value, selected: current.values.get(option) == Some(&value.code), availability, target }
        })
        .collect()
}

/// Ring sizes as the size guide lists them: Vietnamese sizes ("ni", the Japanese
/// scale), from [`RING_SIZES`], each with its inside circumference (40 mm plus
/// the size, in mm) and its inside diameter (the circumference over π), in tenths
/// of a millimetre.
pub fn ring_size_guide() -> Vec<(u32, u32, u32)> {
    RING_SIZES
        .map(|size| {
            let circumference_tenths = (40 + size) * 10;
            let diameter_tenths = (f64::from(circumference_tenths) / std::f64::consts::PI).round() as u32;
            (size, circumference_tenths, diameter_tenths)
        })
        .collect()
}

/// The ring sizes the guide lists.
pub const RING_SIZES: std::ops::RangeInclusive<u32> = 5..=22;

/// Tenths of a millimetre as a page writes them in `locale`: "16,6" or "16.6".
pub fn millimetres(tenths: u32, locale: Locale) -> String {
    let separator = match locale {
        Locale::Vi => ',',
        Locale::En => '.',
    };
    format!("{}{separator}{}", tenths / 10, tenths % 10)
}

/// A SKU: 1 to 64 of A-Z, 0-9, `-`, `_` and `.`.
pub fn valid_sku(sku: &str) -> bool {
    (1..=64).contains(&sku.len())
        && sku.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.'))
}

/// An option value's code: 1 to 32 of a-z, 0-9, `-` and `.` (`12`, `16.5`,
/// `yellow-gold-18k`).
pub fn valid_code(code: &str) -> bool {
    (1..=32).contains(&code.len())
        && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn option(kind: OptionKind, name: &str, codes: &[&str]) -> ProductOption {
        ProductOption {
            kind,
            name: Localized::new(name, name),
            values: codes.iter().map(|c| OptionValue { code: (*c).into(), label: Localized::new(*c, *c) }).collect(),
        }
    }

    fn variant(id: &str, values: &[&str], stock: i64) -> Variant {
        Variant {
            id: id.into(),
            sku: id.to_uppercase(),
            values: values.iter().map(|v| (*v).to_owned()).collect(),
            price: Money::from_minor(1000),
            discount_price: None,
            stock,
            images: Vec::new(),
        }
    }

    fn ring() -> (Vec<ProductOption>, Vec<Variant>) {
        let options = vec![
            option(OptionKind::Size, "Size", &["10", "12", "14"]),
            option(OptionKind::Metal, "Metal", &["gold", "platinum"]),
        ];
        let variants = vec![
            variant("r-10-gold", &["10", "gold"], 2),
            variant("r-12-gold", &["12", "gold"], 0),
            variant("r-14-gold", &["14", "gold"], 1),
            variant("r-10-platinum", &["10", "platinum"], 1),
            variant("r-14-platinum", &["14", "platinum"], 0),
        ];
        (options, variants)
    }

    #[test]
    fn the_url_names_the_variant_else_the_first_in_stock_is_shown() {
        let (_, variants) = ring();
        assert_eq!(chosen(&variants, Some("r-14-gold")).unwrap().id, "r-14-gold", "any case");
        assert_eq!(chosen(&variants, Some("R-12-GOLD")).unwrap().id, "r-12-gold", "a sold-out one too");
        assert_eq!(chosen(&variants, Some("nope")).unwrap().id, "r-10-gold");
        let sold_out = [variant("a", &[], 0), variant("b", &[], 0)];
        assert_eq!(chosen(&sold_out, None).unwrap().id, "a");
        assert!(chosen(&[], None).is_none());
    }

    #[test]
    fn a_picker_shows_every_value_as_available_sold_out_or_not_made() {
        let (options, variants) = ring();
        let current = &variants[0]; // 10, gold
        let sizes = picker(&options, &variants, current, 0);
        let states: Vec<_> = sizes.iter().map(|p| (p.value.code.as_str(), p.selected, p.availability)).collect();
        assert_eq!(
            states,
            [
                ("10", true, Availability::Available),
                ("12", false, Availability::SoldOut),
                ("14", false, Availability::Available)
            ]
        );
        assert_eq!(sizes[1].target.unwrap().id, "r-12-gold", "a sold-out size can still be looked at");

        // Size 12 comes in gold only: platinum leads to the nearest platinum in stock.
        let twelve = &variants[1];
        let metals = picker(&options, &variants, twelve, 1);
        assert_eq!(metals[1].availability, Availability::Unavailable);
        assert_eq!(metals[1].target.unwrap().id, "r-10-platinum");
    }

    #[test]
    fn a_line_names_its_options_in_the_pages_language() {
        let metal = ProductOption {
            kind: OptionKind::Metal,
            name: Localized::new("Chất liệu", "Metal"),
            values: vec![OptionValue { code: "platinum".into(), label: Localized::new("Bạch kim", "Platinum") }],
        };
        let size = option(OptionKind::Size, "Size", &["12"]);
        let chosen = describe(&[metal, size], &["platinum".into(), "12".into()]);
        assert_eq!(options_text(&chosen, Locale::En), "Metal: Platinum, Size: 12");
        let named = named_with_options(&Localized::new("Nhẫn", "Ring"), &chosen);
        assert_eq!(named.get(Locale::Vi), "Nhẫn (Chất liệu: Bạch kim, Size: 12)");
        assert_eq!(named_with_options(&Localized::new("Nhẫn", "Ring"), &[]).get(Locale::En), "Ring");
    }

    #[test]
    fn the_size_guide_gives_each_size_its_circumference_and_diameter() {
        let guide = ring_size_guide();
        assert_eq!(guide.len(), 18, "sizes 5 to 22");
        assert_eq!(guide[0], (5, 450, 143));
        let twelve = guide.iter().find(|(size, ..)| *size == 12).unwrap();
        assert_eq!(*twelve, (12, 520, 166), "52 mm around, 16.6 mm across");
        assert_eq!(millimetres(twelve.2, Locale::Vi), "16,6");
        assert_eq!(millimetres(twelve.2, Locale::En), "16.6");
    }

    #[test]
    fn a_metal_value_belongs_to_the_metal_its_words_name() {
        assert_eq!(Metal::of("18k-yellow-gold"), Some(Metal::YellowGold));
        assert_eq!(Metal::of("yellow-gold-18k"), Some(Metal::YellowGold));
        assert_eq!(Metal::of("white-gold-18k"), Some(Metal::WhiteGold));
        assert_eq!(Metal::of("vang-trang-18k"), Some(Metal::WhiteGold));
        assert_eq!(Metal::of("rose-gold-18k"), Some(Metal::RoseGold));
        assert_eq!(Metal::of("bach-kim"), Some(Metal::Platinum), "not silver (`bac`)");
        assert_eq!(Metal::of("bac-925"), Some(Metal::Silver));
        assert_eq!(Metal::of("titanium"), None);
        assert_eq!(Metal::parse("rose-gold").map(|m| m.label(Locale::Vi)), Some("Vàng hồng"));
    }

    #[test]
    fn skus_and_codes_are_short_and_plain() {
        assert!(valid_sku("BLUSH-12-YG18"));
        assert!(!valid_sku("blush-12") && !valid_sku("") && !valid_sku(&"A".repeat(65)));
        assert!(valid_code("16.5") && valid_code("yellow-gold-18k"));
        assert!(!valid_code("Gold") && !valid_code(""));
    }
}
