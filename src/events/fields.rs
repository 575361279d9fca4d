//! Field values that passed the contract's rules. Each is built only by `parse`.

use std::fmt;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

macro_rules! uuid_field {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub struct $name(Uuid);

        impl $name {
            /// Accepts the hyphenated form only (`8-4-4-4-12` hex digits), any version.
            pub fn parse(s: &str) -> Option<Self> {
                if s.len() != 36 {
                    return None;
                }
                Uuid::try_parse(s).ok().map($name)
            }

            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0.hyphenated(), f)
            }
        }
    };
}

uuid_field!(
    /// Minted by the browser for each event and kept across retries.
    EventId
);
uuid_field!(
    /// The browser's long-lived id, kept in localStorage.
    ClientId
);
uuid_field!(
    /// The browser's session id, kept in sessionStorage with an inactivity timeout.
    SessionId
);

/// The client's clock when the event happened: RFC 3339 with an offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventTimestamp {
    at: OffsetDateTime,
    text: String,
}

impl EventTimestamp {
    pub fn parse(s: &str) -> Option<Self> {
        OffsetDateTime::parse(s, &Rfc3339).ok().map(|at| EventTimestamp { at, text: s.to_owned() })
    }

    pub fn at(&self) -> OffsetDateTime {
        self.at
    }

    /// The timestamp exactly as the client wrote it.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// Whether `s` has at most `max` characters (counting only when bytes could exceed it).
pub(crate) fn within_chars(s: &str, max: usize) -> bool {
    s.len() <= max || s.chars().count() <= max
}

/// The page the event happened on: starts with `/`, at most 2048 characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UrlPath(String);

impl UrlPath {
    pub const MAX_CHARS: usize = 2048;

    pub fn parse(s: &str) -> Option<Self> {
        (s.starts_with('/') && within_chars(s, Self::MAX_CHARS)).then(|| UrlPath(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A product's id: 1 to 64 characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ProductId(String);

impl ProductId {
    pub const MAX_CHARS: usize = 64;

    pub fn parse(s: &str) -> Option<Self> {
        (!s.is_empty() && within_chars(s, Self::MAX_CHARS)).then(|| ProductId(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A price or a value: a finite number, zero or more.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub struct Amount(f64);

impl Amount {
    pub fn parse(value: f64) -> Option<Self> {
        (value.is_finite() && value >= 0.0).then_some(Amount(value))
    }

    pub fn value(self) -> f64 {
        self.0
    }
}

/// An ISO 4217 code: three capital letters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Currency([u8; 3]);

impl Currency {
    pub fn parse(s: &str) -> Option<Self> {
        match s.as_bytes() {
            &[a, b, c] if [a, b, c].iter().all(u8::is_ascii_uppercase) => Some(Currency([a, b, c])),
            _ => None,
        }
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII capitals get in, so this is always valid UTF-8.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }
}

/// How many of a product: a whole number from 1 to 999.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quantity(u16);

impl Quantity {
    pub const MAX: u16 = 999;

    pub fn parse(value: f64) -> Option<Self> {
        (value.fract() == 0.0 && (1.0..=f64::from(Self::MAX)).contains(&value)).then_some(Quantity(value as u16))
    }

    pub fn get(self) -> u16 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_must_be_hyphenated() {
        assert!(EventId::parse("6f1c9a52-1d3e-4a8b-9c2d-0e5f7a9b1c3d").is_some());
        assert!(EventId::parse("6F1C9A52-1D3E-4A8B-9C2D-0E5F7A9B1C3D").is_some());
        assert!(EventId::parse("6f1c9a521d3e4a8b9c2d0e5f7a9b1c3d").is_none());
        assert!(EventId::parse("{6f1c9a52-1d3e-4a8b-9c2d-0e5f7a9b1c3d}").is_none());
        assert!(EventId::parse("6f1c9a52-1d3e-4a8b-9c2d-0e5f7a9b1c3g").is_none());
        assert!(EventId::parse("").is_none());
    }

    #[test]
    fn uuids_display_lowercase() {
        let id = ClientId::parse("6F1C9A52-1D3E-4A8B-9C2D-0E5F7A9B1C3D").unwrap();
        assert_eq!(id.to_string(), "6f1c9a52-1d3e-4a8b-9c2d-0e5f7a9b1c3d");
    }

    #[test]
    fn timestamps_need_an_offset() {
        assert!(EventTimestamp::parse("2026-11-26T10:00:00Z").is_some());
        assert!(EventTimestamp::parse("2026-11-26T10:00:00.123+07:00").is_some());
        assert!(EventTimestamp::parse("2026-11-26T10:00:00").is_none());
        assert!(EventTimestamp::parse("2026-11-26").is_none());
        assert!(EventTimestamp::parse("yesterday").is_none());
    }

    #[test]
    fn url_paths_start_with_a_slash_and_are_bounded() {
        assert!(UrlPath::parse("/").is_some());
        assert!(UrlPath::parse("/catalog?category=rings").is_some());
        assert!(UrlPath::parse("catalog").is_none());
        assert!(UrlPath::parse("https://shop.example/").is_none());
        assert!(UrlPath::parse(&format!("/{}", "a".repeat(2047))).is_some());
        assert!(UrlPath::parse(&format!("/{}", "a".repeat(2048))).is_none());
        // Characters, not bytes: 2047 two-byte characters still fit.
        assert!(UrlPath::parse(&format!("/{}", "é".repeat(2047))).is_some());
    }

    #[test]
    fn product_ids_are_bounded() {
        assert!(ProductId::parse("aurora-solitaire-ring").is_some());
        assert!(ProductId::parse("").is_none());
        assert!(ProductId::parse(&"x".repeat(64)).is_some());
        assert!(ProductId::parse(&"x".repeat(65)).is_none());
    }

    #[test]
    fn amounts_are_finite_and_not_negative() {
        assert_eq!(Amount::parse(0.0).map(Amount::value), Some(0.0));
        assert_eq!(Amount::parse(12.5).map(Amount::value), Some(12.5));
        assert!(Amount::parse(-0.01).is_none());
        assert!(Amount::parse(f64::INFINITY).is_none());
        assert!(Amount::parse(f64::NAN).is_none());
    }

    #[test]
    fn currencies_are_three_capitals() {
        assert_eq!(Currency::parse("USD").map(|c| c.as_str().to_owned()), Some("USD".to_owned()));
        assert!(Currency::parse("usd").is_none());
        assert!(Currency::parse("US").is_none());
        assert!(Currency::parse("USDT").is_none());
        assert!(Currency::parse("U$D").is_none());
    }

    #[test]
    fn quantities_are_whole_numbers_from_1_to_999() {
        assert_eq!(Quantity::parse(1.0).map(Quantity::get), Some(1));
        assert_eq!(Quantity::parse(999.0).map(Quantity::get), Some(999));
        assert!(Quantity::parse(0.0).is_none());
        assert!(Quantity::parse(1000.0).is_none());
        assert!(Quantity::parse(1.5).is_none());
        assert!(Quantity::parse(-1.0).is_none());
    }
}
