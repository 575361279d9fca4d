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
