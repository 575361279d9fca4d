//! Orders: what a confirmation page shows, and what placing one answers; an
//! order's status, payment method and time as a page says them.

use crate::checkout::{FieldErrors, PAYMENT_CASH_ON_DELIVERY};
use crate::text::order::Words;
use crate::{Currency, Locale, Money};
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    pub product_id: String,
    /// The variant sold, and its SKU (none on lines from before variants were kept).
    pub variant_id: Option<String>,
    pub sku: Option<String>,
    /// Its options as the order's page said them; empty without options.
    pub options: String,
    pub name: String,
    pub brand: String,
    pub unit_price: Money,
    pub quantity: u32,
    pub line_total: Money,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderView {
    pub id: String,
    /// RFC 3339, UTC.
    pub placed_at: String,
    pub status: String,
    pub email: String,
    pub full_name: String,
    pub phone: String,
    /// The address as it goes on a label, one line each.
    pub address: Vec<String>,
    pub payment_method: String,
    pub lines: Vec<OrderLine>,
    pub subtotal: Money,
    pub shipping: Money,
    pub total: Money,
    /// What its amounts are in: the shop's currency when it was placed.
    pub currency: Currency,
    /// Changed by every move (the order desk's version check).
    #[serde(default)]
    pub version: i64,
    /// Every status it had, oldest first (the first is its placing).
    #[serde(default)]
    pub history: Vec<crate::fulfilment::StatusChange>,
}

impl OrderView {
    /// Its shipment's carrier and tracking number, once shipped.
    pub fn shipment(&self) -> Option<(&str, &str)> {
        self.history.iter().rev().find_map(|c| Some((c.carrier.as_deref()?, c.tracking.as_deref()?)))
    }
}

/// An order in a list: the account page, the admin area.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderSummary {
    pub id: String,
    /// RFC 3339, UTC.
    pub placed_at: String,
    pub status: String,
    pub item_count: u32,
    pub total: Money,
    /// The contact email; shown in the admin area only.
    pub email: Option<String>,
}

/// Who is signed in, as the pages show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub display_name: String,
    pub is_admin: bool,
}

impl From<&crate::identity::User> for UserSummary {
    fn from(user: &crate::identity::User) -> Self {
        UserSummary { display_name: user.display_name().to_owned(), is_admin: user.is_admin() }
    }
}

/// The account page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub user: UserSummary,
    pub orders: Vec<OrderSummary>,
}

/// The admin area's overview.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminOverview {
    pub order_count: i64,
    pub revenue: Money,
    pub customers: i64,
    pub recent: Vec<OrderSummary>,
}

/// A line of an order just placed, as `checkout_complete` reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacedItem {
    pub product_id: String,
    pub variant_id: String,
    pub sku: String,
    pub quantity: u32,
    pub unit_price: Money,
}

/// The answer to "place my order".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CheckoutOutcome {
    /// Stored; the browser reports `checkout_complete` with these and shows the confirmation.
    Placed { order_id: String, total: Money, currency: Currency, item_count: u32, items: Vec<PlacedItem> },
    /// The form needs fixing: field name to message.
    Invalid(FieldErrors),
    /// Nothing to order.
    EmptyCart,
    /// The catalog changed under the cart (sold out, less stock); the cart was not charged.
    StockChanged(String),
}

/// An order's status (as stored: `placed`) in `words`; a status they do not name, as it is.
pub fn status_label<'a>(status: &'a str, words: &'a Words) -> &'a str {
    match crate::fulfilment::OrderStatus::parse(status) {
        Some(known) => known.label(words),
        None => status,
    }
}

/// A payment method (as stored: `cash_on_delivery`) in `words`; one they do not name, as it is.
pub fn payment_method_label<'a>(method: &'a str, words: &'a Words) -> &'a str {
    match method {
        PAYMENT_CASH_ON_DELIVERY => words.cash_on_delivery,
        other => other,
    }
}

/// When an order was placed (RFC 3339), its day as `locale` writes one, then the
/// time in UTC: `7/12/2026 19:42 UTC`, `Dec 7, 2026 19:42 UTC`. A time that does
/// not parse is shown as it is.
pub fn placed_when(rfc3339: &str, locale: Locale) -> String {
    match OffsetDateTime::parse(rfc3339, &Rfc3339) {
        Ok(at) => {
            let at = at.to_offset(UtcOffset::UTC);
            format!("{} {:02}:{:02} UTC", locale.format_date(at.date()), at.hour(), at.minute())
        }
        Err(_) => rfc3339.to_owned(),
    }
}

/// Order ids as shoppers read them: `JW-` then 10 characters of Crockford base32
/// (no I, L, O, U), from 50 random bits.
pub fn order_id_from(random: u64) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut id = String::from("JW-");
    for i in (0..10).rev() {
        id.push(ALPHABET[((random >> (i * 5)) & 31) as usize] as char);
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_ids_are_readable_and_distinct() {
        assert_eq!(order_id_from(0), "JW-0000000000");
        let a = order_id_from(0x3_FFFF_FFFF_FFFF);
        assert_eq!(a, "JW-ZZZZZZZZZZ");
        assert_ne!(order_id_from(1), order_id_from(2));
        assert!(order_id_from(123_456_789).chars().skip(3).all(|c| c.is_ascii_digit() || c.is_ascii_uppercase()));
    }

    #[test]
    fn says_when_an_order_was_placed_in_each_language() {
        assert_eq!(placed_when("2026-12-07T19:42:55.123Z", Locale::Vi), "7/12/2026 19:42 UTC");
        assert_eq!(placed_when("2026-12-07T19:42:55.123Z", Locale::En), "Dec 7, 2026 19:42 UTC");
        assert_eq!(placed_when("2026-12-08T01:05:00+07:00", Locale::En), "Dec 7, 2026 18:05 UTC");
        assert_eq!(placed_when("yesterday", Locale::En), "yesterday");
    }

    #[test]
    fn names_statuses_and_payment_methods_in_the_words_given() {
        use crate::text::order::{EN, VI};
        assert_eq!(status_label("placed", &VI), "Đã đặt");
        assert_eq!(status_label("placed", &EN), "placed");
        assert_eq!(status_label("shipped", &VI), "Đang giao");
        assert_eq!(status_label("lost", &VI), "lost");
        assert_eq!(payment_method_label("cash_on_delivery", &EN), "Cash on delivery");
        assert_eq!(payment_method_label("cash_on_delivery", &VI), "Thanh toán khi nhận hàng");
    }
}
