//! The shopping cart as the shopper sees it. Prices always come from the catalog,
//! never from the browser.

use crate::Money;
use crate::catalog::ProductSummary;
use serde::{Deserialize, Serialize};

/// At most this many of one product in a cart (jewelry is rarely bought by the dozen).
pub const MAX_LINE_QUANTITY: u32 = 10;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLine {
    pub product: ProductSummary,
    pub quantity: u32,
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
    pub product: ProductSummary,
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
                name: "Ring".into(),
                brand: "Aurelia".into(),
                category_id: "rings".into(),
                category_name: "Rings".into(),
                price: Money::from_cents(price),
                discount_price: discount.map(Money::from_cents),
                stock,
                image: None,
            },
            quantity,
        }
    }

    #[test]
    fn totals_use_the_effective_price() {
        let cart = CartView { lines: vec![line(10_000, Some(8_000), 2, 5), line(2_500, None, 1, 5)] };
        assert_eq!(cart.lines[0].total(), Money::from_cents(16_000));
        assert_eq!(cart.subtotal(), Money::from_cents(18_500));
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
}
