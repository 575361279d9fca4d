//! Orders: what a confirmation page shows, and what placing one answers.

use crate::checkout::FieldErrors;
use crate::{Currency, Money};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    pub product_id: String,
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

/// The answer to "place my order".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CheckoutOutcome {
    /// Stored; the browser reports `checkout_complete` with these and shows the confirmation.
    Placed { order_id: String, total: Money, currency: Currency, item_count: u32 },
    /// The form needs fixing: field name to message.
    Invalid(FieldErrors),
    /// Nothing to order.
    EmptyCart,
    /// The catalog changed under the cart (sold out, less stock); the cart was not charged.
    StockChanged(String),
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
}
