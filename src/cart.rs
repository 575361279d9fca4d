//! The shopping cart as the shopper sees it. Prices always come from the catalog,
//! never from the browser.

use crate::catalog::ProductSummary;
use crate::{Locale, Localized, Money};
use serde::{Deserialize, Serialize};

/// At most this many of one product in a cart (jewelry is rarely bought by the dozen).
pub const MAX_LINE_QUANTITY: u32 = 10;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLine {
    /// The product, its price, discount and stock the variant's.
    pub product: ProductSummary,
    pub variant: LineVariant,
    pub quantity: u32,
}

/// The variant a cart line holds: a line per variant.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineVariant {
    pub id: String,
    pub sku: String,
    /// Empty for a product without options.
    pub options: Vec<crate::variant::ChosenOption>,
}

impl CartLine {
    pub fn unit_price(&self) -> Money {
        self.product.effective_price()
    }

    pub fn total(&self) -> Money {
        self.unit_price().times(self.quantity).unwrap_or(Money::ZERO)
    }

    /// The most the shopper can hold of this product: stock, capped per line.
    pub fn max_quantity(&self) -> u32 {
        max_quantity(self.product.stock)
    }
}

/// Why the cart refused a change. Each has a stable code and the message the
/// shopper reads, made from what it carries (answered with 409: a conflict with
/// the stock, not a failure).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum CartRefusal {
    /// A quantity outside 1..=[`MAX_LINE_QUANTITY`].
    QuantityOutOfRange,
    /// The product or the variant is gone or archived.
    NoLongerAvailable,
    /// Adding a product that has options without saying which variant.
    ChooseVariant,
    /// Adding a piece with no stock.
    SoldOut { name: Localized },
    /// Changing the quantity of a line whose piece sold out since it was added.
    SoldOutInCart { name: Localized },
    /// The line would hold more than [`MAX_LINE_QUANTITY`].
    LineLimit,
    /// Adding more than the stock allows, with what the cart already holds.
    NotEnoughLeft { left: u32, held: u32 },
    /// Setting a line's quantity above the stock.
    NotEnoughOf { left: u32, name: Localized },
}

impl CartRefusal {
    pub fn code(&self) -> &'static str {
        match self {
            CartRefusal::QuantityOutOfRange => "quantity_out_of_range",
            CartRefusal::NoLongerAvailable => "no_longer_available",
            CartRefusal::ChooseVariant => "choose_variant",
            CartRefusal::SoldOut { .. } => "sold_out",
            CartRefusal::SoldOutInCart { .. } => "sold_out_in_cart",
            CartRefusal::LineLimit => "line_limit",
            CartRefusal::NotEnoughLeft { .. } => "not_enough_left",
            CartRefusal::NotEnoughOf { .. } => "not_enough_of",
        }
    }

    pub fn message(&self) -> String {
        match self {
            CartRefusal::QuantityOutOfRange => format!("Choose a quantity from 1 to {MAX_LINE_QUANTITY}."),
            CartRefusal::NoLongerAvailable => "This piece is no longer available.".to_owned(),
            CartRefusal::ChooseVariant => "Choose the options you want first.".to_owned(),
            CartRefusal::SoldOut { name } => format!("Sorry, {} is sold out.", name.get(Locale::En)),
            CartRefusal::SoldOutInCart { name } => {
                format!("Sorry, {} is sold out. Remove it to check out.", name.get(Locale::En))
            }
            CartRefusal::LineLimit => format!("You can have at most {MAX_LINE_QUANTITY} of one piece in your cart."),
            CartRefusal::NotEnoughLeft { left, held: 0 } => format!("Only {left} left."),
            CartRefusal::NotEnoughLeft { left, held } => {
                format!("Only {left} left, and your cart already holds {held}.")
            }
            CartRefusal::NotEnoughOf { left, name } => format!("Only {left} of {} left.", name.get(Locale::En)),
        }
    }
}

impl std::fmt::Display for CartRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

/// The most of a product one cart may hold, given its stock.
pub fn max_quantity(stock: i64) -> u32 {
    stock.clamp(0, i64::from(MAX_LINE_QUANTITY)) as u32
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartView {
    pub lines: Vec<CartLine>,
}

impl CartView {
    pub fn subtotal(&self) -> Money {
        self.lines.iter().map(CartLine::total).sum()
    }

    /// Pieces in the cart, counting quantities.
    pub fn item_count(&self) -> u32 {
        self.lines.iter().map(|l| l.quantity).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Lines whose quantity is more than the stock now allows.
    pub fn over_stock(&self) -> impl Iterator<Item = &CartLine> {
        self.lines.iter().filter(|l| i64::from(l.quantity) > l.product.stock)
    }
}

/// What adding to the cart did, with the product as the catalog has it (the
/// `add_to_cart` event reports these, not what the page showed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddedToCart {
    /// Its price and stock the variant's.
    pub product: ProductSummary,
    pub variant: LineVariant,
    /// How many were added by this request.
    pub added: u32,
    /// How many of the product the cart holds now.
    pub line_quantity: u32,
    pub cart_item_count: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(price: i64, discount: Option<i64>, quantity: u32, stock: i64) -> CartLine {
        CartLine {
            product: ProductSummary {
                id: format!("p{price}"),
                name: Localized::new("Nhẫn", "Ring"),
                brand: "Aurelia".into(),
                category_id: "rings".into(),
                category_name: Localized::new("Nhẫn", "Rings"),
                price: Money::from_minor(price),
                discount_price: discount.map(Money::from_minor),
                stock,
                image: None,
            },
            variant: LineVariant::default(),
            quantity,
        }
    }

    #[test]
    fn totals_use_the_effective_price() {
        let cart = CartView { lines: vec![line(10_000, Some(8_000), 2, 5), line(2_500, None, 1, 5)] };
        assert_eq!(cart.lines[0].total(), Money::from_minor(16_000));
        assert_eq!(cart.subtotal(), Money::from_minor(18_500));
        assert_eq!(cart.item_count(), 3);
    }

    #[test]
    fn line_quantity_is_capped_by_stock_and_limit() {
        assert_eq!(max_quantity(0), 0);
        assert_eq!(max_quantity(3), 3);
        assert_eq!(max_quantity(500), MAX_LINE_QUANTITY);
        assert_eq!(max_quantity(-1), 0);
    }

    #[test]
    fn finds_lines_over_stock() {
        let cart = CartView { lines: vec![line(100, None, 3, 2), line(200, None, 1, 1)] };
        let over: Vec<_> = cart.over_stock().map(|l| l.product.id.clone()).collect();
        assert_eq!(over, vec!["p100".to_owned()]);
    }

    #[test]
    fn a_refusal_carries_its_code_on_the_wire_and_makes_its_message() {
        let refusal = CartRefusal::NotEnoughLeft { left: 3, held: 2 };
        let wire = serde_json::to_value(&refusal).unwrap();
        assert_eq!(wire, serde_json::json!({"code": "not_enough_left", "left": 3, "held": 2}));
        assert_eq!(serde_json::from_value::<CartRefusal>(wire).unwrap(), refusal);
        assert_eq!(refusal.to_string(), "Only 3 left, and your cart already holds 2.");
        assert_eq!(CartRefusal::NotEnoughLeft { left: 3, held: 0 }.message(), "Only 3 left.");
        assert_eq!(CartRefusal::QuantityOutOfRange.message(), "Choose a quantity from 1 to 10.");
    }
}
