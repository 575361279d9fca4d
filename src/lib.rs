//! The jewelry shop's domain: the clickstream event contract, the catalog, carts,
//! checkout and orders, money, search, and the languages the shop speaks.
//!
//! Pure Rust with no I/O, so the browser (wasm) and the server share one definition
//! of every rule. Values that passed validation have their own types, built only by
//! parsing (`events::parse_body`, `checkout::validate`, ...), so the rest of the code
//! never checks them again.

pub mod admin;
pub mod cart;
pub mod catalog;
pub mod checkout;
pub mod consent;
pub mod events;
pub mod fulfilment;
pub mod identity;
pub mod insights;
pub mod locale;
pub mod media;
pub mod money;
pub mod order;
pub mod search;
pub mod seo;
pub mod text;
pub mod variant;
pub mod variant_admin;

pub use locale::{Locale, Locales, Localized};
pub use money::{Currency, Money, PriceFormat};

/// `s` cut to at most `max` characters, on a character boundary.
pub fn truncate_chars(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((end, _)) => &s[..end],
        None => s,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn truncates_on_character_boundaries() {
        assert_eq!(super::truncate_chars("héllo", 2), "hé");
        assert_eq!(super::truncate_chars("hi", 5), "hi");
        assert_eq!(super::truncate_chars("", 0), "");
    }
}
