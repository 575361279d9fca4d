//! The languages the shop speaks, and how each writes numbers and dates: Vietnamese
//! `25.000.000` and `7/12/2026`, English `25,000,000` and `Dec 7, 2026`, as CLDR has
//! them. Two languages need no formatting library: the rules are a few lines each,
//! and tests hold them.

use serde::{Deserialize, Serialize};
use std::fmt;
use time::Date;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    #[serde(rename = "vi")]
    Vi,
    #[serde(rename = "en")]
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Vi, Locale::En];

    /// The BCP 47 language tag, as `<html lang>` and `hreflang` carry it: `vi`.
    pub const fn code(self) -> &'static str {
        match self {
            Locale::Vi => "vi",
            Locale::En => "en",
        }
    }

    /// The language of a tag (`vi`, `vi-VN`, `EN-us`), if the shop speaks it.
    pub fn parse(tag: &str) -> Option<Locale> {
        let primary = tag.trim().split(['-', '_']).next()?;
        Locale::ALL.into_iter().find(|l| l.code().eq_ignore_ascii_case(primary))
    }

    /// The language's own name for itself, as a language switcher shows it.
    pub const fn native_name(self) -> &'static str {
        match self {
            Locale::Vi => "Tiếng Việt",
            Locale::En => "English",
        }
    }

    pub const fn decimal_separator(self) -> char {
        match self {
            Locale::Vi => ',',
            Locale::En => '.',
        }
    }

    pub const fn grouping_separator(self) -> char {
        match self {
            Locale::Vi => '.',
            Locale::En => ',',
        }
    }

    /// `n` with its thousands grouped: `25.000.000`, `25,000,000`.
    pub fn group_digits(self, n: u64) -> String {
        let digits = n.to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(self.grouping_separator());
            }
            grouped.push(c);
        }
        grouped
    }

    /// A day as the language writes it in running text: `7/12/2026`, `Dec 7, 2026`.
    pub fn format_date(self, date: Date) -> String {
        match self {
            Locale::Vi => format!("{}/{}/{}", date.day(), u8::from(date.month()), date.year()),
            Locale::En => {
                const MONTHS: [&str; 12] =
                    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
                let month = MONTHS[usize::from(u8::from(date.month())) - 1];
                format!("{month} {}, {}", date.day(), date.year())
            }
        }
    }
}

/// The languages a shop offers (a setting) and its default. A page's address in the
/// default language is its plain path (`/catalog`); in another it is the same path
/// after the language's code (`/en/catalog`, `/en/` for the home page).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Locales {
    default: Locale,
    offered: &'static [Locale],
}

impl Default for Locales {
    fn default() -> Self {
        Locales { default: Locale::default(), offered: &Locale::ALL }
    }
}

impl Locales {
    /// `offered` in the order a switcher shows them, with `default` among them
    /// (`None` otherwise, or with none offered).
    pub fn new(default: Locale, offered: &[Locale]) -> Option<Locales> {
        if !offered.contains(&default) {
            return None;
        }
        let mut unique: Vec<Locale> = Vec::new();
        for locale in offered {
            if !unique.contains(locale) {
                unique.push(*locale);
            }
        }
        let offered: &'static [Locale] = match unique.as_slice() {
            [Locale::Vi, Locale::En] => &[Locale::Vi, Locale::En],
            [Locale::En, Locale::Vi] => &[Locale::En, Locale::Vi],
            [Locale::Vi] => &[Locale::Vi],
            [Locale::En] => &[Locale::En],
            _ => return None,
        };
        Some(Locales { default, offered })
    }

    pub fn default_locale(self) -> Locale {
        self.default
    }

    pub fn offered(self) -> &'static [Locale] {
        self.offered
    }

    /// `path` (the shop's path of a page, `/catalog?q=x`) as `locale`'s address.
    pub fn path(self, locale: Locale, path: &str) -> String {
        if locale == self.default || !self.offered.contains(&locale) {
            return path.to_owned();
        }
        let path = if path.starts_with('/') { path } else { "/" };
        format!("/{}{path}", locale.code())
    }

    /// The language an address is in and the shop's path of its page:
    /// `/en/catalog` is English `/catalog`, `/en` and `/en/` English `/`.
    pub fn split(self, path: &str) -> (Locale, &str) {
        for &locale in self.offered {
            if locale == self.default {
                continue;
            }
            let Some(rest) = path.strip_prefix('/').and_then(|p| p.strip_prefix(locale.code())) else {
                continue;
            };
            if rest.is_empty() {
                return (locale, "/");
            }
            if rest.starts_with('/') {
                return (locale, rest);
            }
        }
        (self.default, path)
    }

    /// The offered language an `Accept-Language` header prefers, by its weights
    /// (`q`), then its order; `None` when it names none the shop offers.
    pub fn negotiate(self, accept_language: &str) -> Option<Locale> {
        let mut best: Option<(u16, Locale)> = None;
        for range in accept_language.split(',') {
            let mut fields = range.split(';');
            let tag = fields.next().unwrap_or("").trim();
            let weight = fields
                .filter_map(|f| f.trim().strip_prefix("q="))
                .next()
                .map_or(Some(1000), |q| q.trim().parse::<f32>().ok().map(|q| (q.clamp(0.0, 1.0) * 1000.0) as u16));
            let (Some(weight), Some(locale)) = (weight, Locale::parse(tag)) else { continue };
            if weight > 0 && self.offered.contains(&locale) && best.is_none_or(|(w, _)| weight > w) {
                best = Some((weight, locale));
            }
        }
        best.map(|(_, locale)| locale)
    }
}

/// A text written in each language the shop speaks: a product's name, a
/// category's description. An empty one is missing, and [`Localized::get`] falls
/// back to the other language's.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Localized {
    pub vi: String,
    pub en: String,
}

impl Localized {
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Self {
        Localized { vi: vi.into(), en: en.into() }
    }

    /// The text in `locale`, else in the other language.
    pub fn get(&self, locale: Locale) -> &str {
        let (own, other) = match locale {
            Locale::Vi => (&self.vi, &self.en),
            Locale::En => (&self.en, &self.vi),
        };
        if own.trim().is_empty() { other } else { own }
    }

    /// The languages it is not written in (shown the other's).
    pub fn missing(&self) -> Vec<Locale> {
        Locale::ALL.into_iter().filter(|l| self.own(*l).trim().is_empty()).collect()
    }

    /// The text as written in `locale`, empty when it is missing.
    pub fn own(&self, locale: Locale) -> &str {
        match locale {
            Locale::Vi => &self.vi,
            Locale::En => &self.en,
        }
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn reads_language_tags() {
        assert_eq!(Locale::parse("vi"), Some(Locale::Vi));
        assert_eq!(Locale::parse("vi-VN"), Some(Locale::Vi));
        assert_eq!(Locale::parse("EN-us"), Some(Locale::En));
        assert_eq!(Locale::parse("en_GB"), Some(Locale::En));
        assert_eq!(Locale::parse("fr"), None);
        assert_eq!(Locale::parse(""), None);
        assert_eq!(serde_json::to_string(&Locale::Vi).unwrap(), "\"vi\"");
    }

    #[test]
    fn addresses_carry_the_language_unless_it_is_the_default() {
        let locales = Locales::default();
        assert_eq!(locales.path(Locale::Vi, "/catalog?q=nhẫn"), "/catalog?q=nhẫn");
        assert_eq!(locales.path(Locale::En, "/catalog?q=x"), "/en/catalog?q=x");
        assert_eq!(locales.path(Locale::En, "/"), "/en/");
        assert_eq!(locales.split("/en/products/a"), (Locale::En, "/products/a"));
        assert_eq!(locales.split("/en"), (Locale::En, "/"));
        assert_eq!(locales.split("/en/"), (Locale::En, "/"));
        assert_eq!(locales.split("/english"), (Locale::Vi, "/english"));
        assert_eq!(locales.split("/catalog"), (Locale::Vi, "/catalog"));
        let english = Locales::new(Locale::En, &[Locale::En, Locale::Vi]).unwrap();
        assert_eq!(english.path(Locale::Vi, "/cart"), "/vi/cart");
        assert_eq!(english.split("/vi/cart"), (Locale::Vi, "/cart"));
        assert_eq!(english.split("/en/cart"), (Locale::En, "/en/cart"));
        let only = Locales::new(Locale::Vi, &[Locale::Vi]).unwrap();
        assert_eq!(only.path(Locale::En, "/cart"), "/cart");
        assert_eq!(only.split("/en/cart"), (Locale::Vi, "/en/cart"));
        assert_eq!(Locales::new(Locale::En, &[Locale::Vi]), None);
    }

    #[test]
    fn accept_language_chooses_by_weight_then_order() {
        let locales = Locales::default();
        assert_eq!(locales.negotiate("en-US,en;q=0.9,vi;q=0.8"), Some(Locale::En));
        assert_eq!(locales.negotiate("fr-FR, vi;q=0.5, en;q=0.4"), Some(Locale::Vi));
        assert_eq!(locales.negotiate("en;q=0.2, vi-VN"), Some(Locale::Vi));
        assert_eq!(locales.negotiate("vi, en"), Some(Locale::Vi));
        assert_eq!(locales.negotiate("fr, de;q=0.5"), None);
        assert_eq!(locales.negotiate("en;q=0"), None);
        assert_eq!(locales.negotiate(""), None);
        assert_eq!(Locales::new(Locale::Vi, &[Locale::Vi]).unwrap().negotiate("en"), None);
    }

    #[test]
    fn a_missing_text_falls_back_to_the_other_language() {
        let both = Localized::new("Nhẫn vàng", "Gold ring");
        assert_eq!((both.get(Locale::Vi), both.get(Locale::En)), ("Nhẫn vàng", "Gold ring"));
        assert!(both.missing().is_empty());
        let english = Localized::new(" ", "Gold ring");
        assert_eq!(english.get(Locale::Vi), "Gold ring");
        assert_eq!(english.missing(), vec![Locale::Vi]);
        assert_eq!(english.own(Locale::Vi), " ");
    }

    #[test]
    fn writes_numbers_and_dates_as_each_language_does() {
        assert_eq!(Locale::Vi.group_digits(25_000_000), "25.000.000");
        assert_eq!(Locale::En.group_digits(25_000_000), "25,000,000");
        assert_eq!(Locale::En.group_digits(999), "999");
        assert_eq!(Locale::Vi.group_digits(0), "0");
        assert_eq!(Locale::Vi.format_date(date!(2026 - 12 - 07)), "7/12/2026");
        assert_eq!(Locale::En.format_date(date!(2026 - 12 - 07)), "Dec 7, 2026");
        assert_eq!(Locale::En.format_date(date!(2027 - 01 - 31)), "Jan 31, 2027");
    }
}
