//! Money as an integer number of the currency's minor unit (cents for dollars; the
//! đồng has none), so totals never drift by floating-point error. The shop sells in
//! one [`Currency`], a setting; amounts are written and read the way each
//! [`Locale`] writes them.

use crate::locale::Locale;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount in the shop's currency, in its minor unit. Never negative when built by
/// the shop.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Money(i64);

/// The currencies the shop can sell in (ISO 4217).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Currency {
    /// Vietnamese đồng: no minor unit.
    #[default]
    #[serde(rename = "VND")]
    Vnd,
    /// US dollars, in cents.
    #[serde(rename = "USD")]
    Usd,
}

impl Currency {
    pub const ALL: [Currency; 2] = [Currency::Vnd, Currency::Usd];

    /// The ISO 4217 code: `VND`.
    pub const fn code(self) -> &'static str {
        match self {
            Currency::Vnd => "VND",
            Currency::Usd => "USD",
        }
    }

    /// Its ISO 4217 code, in any case.
    pub fn parse(code: &str) -> Option<Currency> {
        Currency::ALL.into_iter().find(|c| c.code().eq_ignore_ascii_case(code.trim()))
    }

    /// Digits after the decimal separator: 0 for the đồng, 2 for the dollar.
    pub const fn minor_digits(self) -> u32 {
        match self {
            Currency::Vnd => 0,
            Currency::Usd => 2,
        }
    }

    /// The largest price an admin may set: 100 billion đồng, 10 million dollars.
    pub const fn max_price(self) -> Money {
        match self {
            Currency::Vnd => Money(100_000_000_000),
            Currency::Usd => Money(10_000_000 * 100),
        }
    }

    /// Its symbol as `locale` writes it next to an amount.
    fn symbol(self, locale: Locale) -> &'static str {
        match (self, locale) {
            (Currency::Vnd, _) => "₫",
            (Currency::Usd, Locale::Vi) => "US$",
            (Currency::Usd, Locale::En) => "$",
        }
    }

    /// How an admin may type a price in it, for a field error.
    pub const fn price_example(self) -> &'static str {
        match self {
            Currency::Vnd => "25000000, 25.000.000 or 25.000.000 ₫",
            Currency::Usd => "1250, 1,250.50 or $1,250.50",
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// How a page writes its prices: the shop's currency, in the page's language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PriceFormat {
    pub currency: Currency,
    pub locale: Locale,
}

impl PriceFormat {
    /// `amount` as this page writes it: `25.000.000 ₫`.
    pub fn show(self, amount: Money) -> String {
        amount.format(self.currency, self.locale)
    }
}

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_minor(minor: i64) -> Self {
        Money(minor)
    }

    /// The amount in the currency's minor unit.
    pub const fn minor(self) -> i64 {
        self.0
    }

    /// Reads a price as an admin types it, in the shop's currency: digits with the
    /// thousands grouped by `.`, `,` or spaces (`25.000.000`, `1,250`), for the
    /// dollar a decimal part of one or two digits after the last `.` or `,`
    /// (`1,250.50`, `1.250,50`), and the currency's symbol or code before or after
    /// (`25.000.000 ₫`, `25.000.000đ`, `$1,250.50`, `1250 USD`). Never negative, at
    /// most [`Currency::max_price`].
    pub fn parse(text: &str, currency: Currency) -> Option<Money> {
        let number = strip_currency(text.trim(), currency)?;
        let (whole, fraction) = split_decimal(number, currency)?;
        let units = read_grouped(whole)?;
        let digits = currency.minor_digits();
        let minor_part = match fraction {
            None => 0,
            Some(f) => format!("{f:0<width$}", width = digits as usize).parse::<i64>().ok()?,
        };
        let minor = units.checked_mul(10_i64.pow(digits))?.checked_add(minor_part)?;
        (minor <= currency.max_price().0).then_some(Money(minor))
    }

    /// The amount as an admin's form shows it back, read again by [`Money::parse`]:
    /// `25000000`, `1234.50`.
    pub fn to_input(self, currency: Currency) -> String {
        match currency.minor_digits() {
            0 => self.0.to_string(),
            digits => {
                let scale = 10_i64.pow(digits);
                let sign = if self.0 < 0 { "-" } else { "" };
                let abs = self.0.unsigned_abs();
                format!("{sign}{}.{:0width$}", abs / scale as u64, abs % scale as u64, width = digits as usize)
            }
        }
    }

    /// The amount in currency units, as clickstream events and structured data carry
    /// it: a number, `25000000` đồng or `1234.5` dollars.
    pub fn as_units(self, currency: Currency) -> f64 {
        self.0 as f64 / 10_f64.powi(currency.minor_digits() as i32)
    }

    /// The amount as `locale` writes it in `currency`: `25.000.000 ₫` and `₫25,000,000`,
    /// `1.234,50 US$` and `$1,234.50`.
    pub fn format(self, currency: Currency, locale: Locale) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let digits = currency.minor_digits();
        let scale = 10_u64.pow(digits);
        let mut number = locale.group_digits(abs / scale);
        if digits > 0 {
            number.push(locale.decimal_separator());
            number.push_str(&format!("{:0width$}", abs % scale, width = digits as usize));
        }
        let symbol = currency.symbol(locale);
        match locale {
            // A no-break space, as CLDR writes it: the symbol never wraps alone.
            Locale::Vi => format!("{sign}{number}\u{a0}{symbol}"),
            Locale::En => format!("{sign}{symbol}{number}"),
        }
    }

    /// `self * quantity`, or `None` on overflow.
    pub fn times(self, quantity: u32) -> Option<Money> {
        self.0.checked_mul(i64::from(quantity)).map(Money)
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| Money(a.0.saturating_add(b.0)))
    }
}

/// `text` without the currency's symbol or code (and the spaces beside it), before
/// or after the number; `None` when another currency's is there.
fn strip_currency(text: &str, currency: Currency) -> Option<&str> {
    let marks: &[&str] = match currency {
        Currency::Vnd => &["VNĐ", "VND", "vnđ", "vnd", "Vnđ", "Vnd", "₫", "đ", "Đ"],
        Currency::Usd => &["US$", "USD", "usd", "$"],
    };
    let mut number = text;
    for mark in marks {
        if let Some(rest) = number.strip_prefix(mark) {
            number = rest;
            break;
        }
        if let Some(rest) = number.strip_suffix(mark) {
            number = rest;
            break;
        }
    }
    let number = number.trim_matches(|c: char| c.is_whitespace());
    (!number.is_empty()).then_some(number)
}

/// The whole part and, for a currency with a minor unit, the decimal part: the
/// digits after the last `.` or `,` when there are one or two of them (three are a
/// group of thousands).
fn split_decimal(number: &str, currency: Currency) -> Option<(&str, Option<&str>)> {
    let digits = currency.minor_digits() as usize;
    if digits == 0 {
        return Some((number, None));
    }
    match number.rfind(['.', ',']) {
        Some(at) => {
            let fraction = &number[at + 1..];
            if fraction.len() == 3 {
                return Some((number, None));
            }
            if fraction.is_empty() || fraction.len() > digits || !fraction.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let whole = &number[..at];
            // The decimal separator is not also a thousands separator: `1.234.50` is no price.
            let separator = number.as_bytes()[at];
            if whole.as_bytes().contains(&separator) {
                return None;
            }
            Some((whole, Some(fraction)))
        }
        None => Some((number, None)),
    }
}

/// A whole number written plainly (`25000000`) or with its thousands grouped by one
/// kind of separator (`25.000.000`, `25,000,000`, `25 000 000`).
fn read_grouped(whole: &str) -> Option<i64> {
    let is_separator = |c: char| matches!(c, '.' | ',') || c.is_whitespace();
    let mut separators = whole.chars().filter(|c| is_separator(*c));
    let groups: Vec<&str> = match separators.next() {
        None => vec![whole],
        Some(first) => {
            if separators.any(|c| c != first) {
                return None;
            }
            whole.split(first).collect()
        }
    };
    let (head, rest) = groups.split_first()?;
    let head_ok = !head.is_empty() && (rest.is_empty() || head.len() <= 3);
    if !head_ok || rest.iter().any(|g| g.len() != 3) {
        return None;
    }
    let plain: String = groups.concat();
    // 18 digits always fit in an i64; the currency's maximum is far below.
    if plain.len() > 18 || !plain.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    plain.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const NBSP: &str = "\u{a0}";

    #[test]
    fn formats_each_currency_as_each_language_writes_it() {
        let ring = Money::from_minor(25_000_000);
        assert_eq!(ring.format(Currency::Vnd, Locale::Vi), format!("25.000.000{NBSP}₫"));
        assert_eq!(ring.format(Currency::Vnd, Locale::En), "₫25,000,000");
        assert_eq!(Money::from_minor(0).format(Currency::Vnd, Locale::Vi), format!("0{NBSP}₫"));
        assert_eq!(Money::from_minor(999).format(Currency::Vnd, Locale::En), "₫999");
        let band = Money::from_minor(123_450);
        assert_eq!(band.format(Currency::Usd, Locale::En), "$1,234.50");
        assert_eq!(band.format(Currency::Usd, Locale::Vi), format!("1.234,50{NBSP}US$"));
        assert_eq!(Money::from_minor(5).format(Currency::Usd, Locale::En), "$0.05");
        assert_eq!(Money::from_minor(100_000_000).format(Currency::Usd, Locale::En), "$1,000,000.00");
        assert_eq!(Money::from_minor(-250).format(Currency::Usd, Locale::En), "-$2.50");
    }

    #[test]
    fn reads_dong_as_a_vietnamese_admin_types_them() {
        let expected = Some(Money::from_minor(25_000_000));
        for typed in
            ["25000000", "25.000.000", "25.000.000 ₫", "25.000.000₫", "25.000.000đ", "25,000,000", "₫25,000,000"]
        {
            assert_eq!(Money::parse(typed, Currency::Vnd), expected, "{typed:?}");
        }
        for typed in ["25 000 000 VND", "25.000.000 VNĐ", " 25.000.000\u{a0}₫ "] {
            assert_eq!(Money::parse(typed, Currency::Vnd), expected, "{typed:?}");
        }
        assert_eq!(
            Money::parse("10.000.000.000", Currency::Vnd),
            Some(Money::from_minor(10_000_000_000)),
            "10 billion"
        );
        assert_eq!(Money::parse("100.000.000.000", Currency::Vnd), Some(Currency::Vnd.max_price()));
        for bad in [
            "",
            "₫",
            "-1",
            "25.000.00",
            "25.00.000",
            "2.5",
            "25.000,000",
            "1e3",
            "12a",
            "100.000.000.001",
            "$25",
            "25 US$",
        ] {
            assert_eq!(Money::parse(bad, Currency::Vnd), None, "{bad:?}");
        }
    }

    #[test]
    fn reads_dollars_as_admins_type_them() {
        let cents = |c| Some(Money::from_minor(c));
        assert_eq!(Money::parse("1234", Currency::Usd), cents(123_400));
        assert_eq!(Money::parse(" 1234.5 ", Currency::Usd), cents(123_450));
        assert_eq!(Money::parse("$1,234.05", Currency::Usd), cents(123_405));
        assert_eq!(Money::parse("1.234,05 US$", Currency::Usd), cents(123_405));
        assert_eq!(Money::parse("1,234", Currency::Usd), cents(123_400), "three digits are a group");
        assert_eq!(Money::parse("0.99", Currency::Usd), cents(99));
        assert_eq!(Money::parse("1250 USD", Currency::Usd), cents(125_000));
        for bad in ["", ".5", "-1", "1.2345", "12a", "1e3", "1.2.3", "$", "100000000", "1.234.50", "25 ₫"] {
            assert_eq!(Money::parse(bad, Currency::Usd), None, "{bad:?}");
        }
        assert_eq!(Money::from_minor(123_405).to_input(Currency::Usd), "1234.05");
        assert_eq!(Money::from_minor(25_000_000).to_input(Currency::Vnd), "25000000");
    }

    #[test]
    fn multiplies_and_adds_without_overflowing_silently() {
        assert_eq!(Money::from_minor(1_999).times(3), Some(Money::from_minor(5_997)));
        assert_eq!(Money::from_minor(i64::MAX).times(2), None);
        assert_eq!(Money::from_minor(i64::MAX).checked_add(Money::from_minor(1)), None);
        let total: Money = [1, 2, 3].into_iter().map(Money::from_minor).sum();
        assert_eq!(total, Money::from_minor(6));
    }

    #[test]
    fn converts_to_units_for_events() {
        assert_eq!(Money::from_minor(12_050).as_units(Currency::Usd), 120.5);
        assert_eq!(Money::from_minor(25_000_000).as_units(Currency::Vnd), 25_000_000.0);
    }

    #[test]
    fn currencies_read_from_their_codes() {
        assert_eq!(Currency::parse("vnd"), Some(Currency::Vnd));
        assert_eq!(Currency::parse(" USD "), Some(Currency::Usd));
        assert_eq!(Currency::parse("EUR"), None);
        assert_eq!(serde_json::to_string(&Currency::Vnd).unwrap(), "\"VND\"");
    }

    proptest! {
        /// A price as any language writes it, and as the admin's form shows it, reads
        /// back as itself.
        #[test]
        fn a_formatted_price_reads_back_as_itself(minor in 0i64..=100_000_000_000, usd in any::<bool>()) {
            let currency = if usd { Currency::Usd } else { Currency::Vnd };
            let price = Money::from_minor(minor.min(currency.max_price().minor()));
            for locale in Locale::ALL {
                prop_assert_eq!(Money::parse(&price.format(currency, locale), currency), Some(price));
            }
            prop_assert_eq!(Money::parse(&price.to_input(currency), currency), Some(price));
        }
    }
}
