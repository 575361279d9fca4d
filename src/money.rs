//! Money as an integer number of cents, so totals never drift by floating-point error.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount in the shop's currency, in cents. Never negative when built by the shop.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Money(i64);

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_cents(cents: i64) -> Self {
        Money(cents)
    }

    /// Reads an amount as an admin types it: `1234`, `1234.5`, `1,234.50` or
    /// `$1,234.50`; at most two decimals, never negative, at most 10 million.
    pub fn parse_units(text: &str) -> Option<Money> {
        let text = text.trim();
        let text = text.strip_prefix('$').unwrap_or(text).replace(',', "");
        let (units, fraction) = match text.split_once('.') {
            Some((u, f)) => (u, f),
            None => (text.as_str(), ""),
        };
        if units.is_empty() || !units.bytes().all(|b| b.is_ascii_digit()) || units.len() > 8 {
            return None;
        }
        if fraction.len() > 2 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let cents_part = format!("{fraction:0<2}").parse::<i64>().ok()?;
        let cents = units.parse::<i64>().ok()?.checked_mul(100)?.checked_add(cents_part)?;
        (cents <= 10_000_000 * 100).then_some(Money(cents))
    }

    /// The amount as an admin would type it back: `1234.50`.
    pub fn to_units_string(self) -> String {
        format!("{}.{:02}", self.0 / 100, self.0.rem_euclid(100))
    }

    pub const fn cents(self) -> i64 {
        self.0
    }

    /// The amount as a decimal number of currency units, as clickstream events carry it.
    pub fn as_units(self) -> f64 {
        self.0 as f64 / 100.0
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

/// `$1,234.50`: US dollars with thousands separators.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let units = (abs / 100).to_string();
        let mut grouped = String::with_capacity(units.len() + units.len() / 3);
        for (i, c) in units.chars().enumerate() {
            if i > 0 && (units.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        write!(f, "{sign}${grouped}.{:02}", abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_dollars_with_thousands_separators() {
        assert_eq!(Money::from_cents(0).to_string(), "$0.00");
        assert_eq!(Money::from_cents(5).to_string(), "$0.05");
        assert_eq!(Money::from_cents(99_900).to_string(), "$999.00");
        assert_eq!(Money::from_cents(12_345_678).to_string(), "$123,456.78");
        assert_eq!(Money::from_cents(100_000_000).to_string(), "$1,000,000.00");
        assert_eq!(Money::from_cents(-2_50).to_string(), "-$2.50");
    }

    #[test]
    fn multiplies_and_adds_without_overflowing_silently() {
        assert_eq!(Money::from_cents(1_999).times(3), Some(Money::from_cents(5_997)));
        assert_eq!(Money::from_cents(i64::MAX).times(2), None);
        assert_eq!(Money::from_cents(i64::MAX).checked_add(Money::from_cents(1)), None);
        let total: Money = [1, 2, 3].into_iter().map(Money::from_cents).sum();
        assert_eq!(total, Money::from_cents(6));
    }

    #[test]
    fn parses_amounts_as_admins_type_them() {
        assert_eq!(Money::parse_units("1234"), Some(Money::from_cents(123_400)));
        assert_eq!(Money::parse_units(" 1234.5 "), Some(Money::from_cents(123_450)));
        assert_eq!(Money::parse_units("$1,234.05"), Some(Money::from_cents(123_405)));
        assert_eq!(Money::parse_units("0.99"), Some(Money::from_cents(99)));
        for bad in ["", ".5", "-1", "1.234", "12a", "1e3", "1.2.3", "$", "100000000"] {
            assert_eq!(Money::parse_units(bad), None, "{bad:?}");
        }
        assert_eq!(Money::from_cents(123_405).to_units_string(), "1234.05");
        assert_eq!(Money::parse_units(&Money::from_cents(99).to_units_string()), Some(Money::from_cents(99)));
    }

    #[test]
    fn converts_to_units_for_events() {
        assert_eq!(Money::from_cents(12_050).as_units(), 120.5);
    }
}
