//! Carts: a guest's (named by its cookie) or a signed-in user's, changed in
//! transactions that take the write lock first, refused within the stock.

use super::*;

#[async_trait]
impl Carts for SqlShop {
    async fn cart(&self, owner: &CartOwner) -> Result<CartView, Failure> {
        let failed = "loading a cart";
        match existing_cart(&self.pool, owner).await.during(failed)? {
            Some(cart) => self.cart_view(&self.pool, &cart).await.during(failed),
            None => Ok(CartView::default()),
        }
    }

    async fn add_to_cart(&self, owner: &CartOwner, product_id: &str, quantity: u32) -> Result<AddedToCart, Failure> {
        if !(1..=MAX_LINE_QUANTITY).contains(&quantity) {
            return Err(CartRefusal::QuantityOutOfRange.into());
        }
        let failed = "adding to a cart";
        let (mut tx, cart) = begin_cart_write(&self.pool, owner).await.during(failed)?;
        let product: Option<SummaryRow> =
            sqlx::query_as(&format!("SELECT {SUMMARY_COLUMNS} {SUMMARY_FROM} WHERE p.id = $1 AND p.archived = 0"))
                .bind(product_id)
                .fetch_optional(&mut *tx)
                .await
                .during(failed)?;
        let Some(product) = product.map(ProductSummary::from) else {
            return Err(CartRefusal::NoLongerAvailable.into());
        };
        let held: Option<(i64,)> =
            sqlx::query_as("SELECT quantity FROM cart_items WHERE cart_id = $1 AND product_id = $2")
                .bind(&cart)
                .bind(product_id)
                .fetch_optional(&mut *tx)
                .await
                .during(failed)?;
        let held = held.map_or(0, |(q,)| q.max(0) as u32);
        let limit = max_quantity(product.stock);
        if limit == 0 {
            return Err(CartRefusal::SoldOut { name: product.name }.into());
        }
        if held + quantity > limit {
            return Err(match limit {
                MAX_LINE_QUANTITY => CartRefusal::LineLimit,
                left => CartRefusal::NotEnoughLeft { left, held },
            }
            .into());
        }
        sqlx::query(
            "INSERT INTO cart_items (cart_id, product_id, quantity, added_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (cart_id, product_id) DO UPDATE SET quantity = cart_items.quantity + excluded.quantity",
        )
        .bind(&cart)
        .bind(product_id)
        .bind(i64::from(quantity))
        .bind(now())
        .execute(&mut *tx)
        .await
        .during(failed)?;
        let (count,): (i64,) = sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(ci.quantity), 0) AS BIGINT) FROM cart_items ci \
             JOIN products p ON p.id = ci.product_id WHERE ci.cart_id = $1 AND p.archived = 0",
        )
        .bind(&cart)
        .fetch_one(&mut *tx)
        .await
        .during(failed)?;
        tx.commit().await.during(failed)?;
        Ok(AddedToCart {
            product,
            added: quantity,
            line_quantity: held + quantity,
            cart_item_count: count.max(0) as u32,
        })
    }

    async fn set_quantity(&self, owner: &CartOwner, product_id: &str, quantity: u32) -> Result<CartView, Failure> {
        let failed = "changing a cart";
        let (mut tx, cart) = begin_cart_write(&self.pool, owner).await.during(failed)?;
        if quantity == 0 {
            sqlx::query("DELETE FROM cart_items WHERE cart_id = $1 AND product_id = $2")
                .bind(&cart)
                .bind(product_id)
                .execute(&mut *tx)
                .await
                .during(failed)?;
        } else {
            let stock: Option<(i64, String, String)> =
                sqlx::query_as("SELECT stock, name, name_vi FROM products WHERE id = $1 AND archived = 0")
                    .bind(product_id)
                    .fetch_optional(&mut *tx)
                    .await
                    .during(failed)?;
            let Some((stock, name, name_vi)) = stock else {
                return Err(CartRefusal::NoLongerAvailable.into());
            };
            let name = Localized::new(name_vi, name);
            let limit = max_quantity(stock);
            if quantity > limit {
                return Err(match limit {
                    0 => CartRefusal::SoldOutInCart { name },
                    MAX_LINE_QUANTITY => CartRefusal::LineLimit,
                    left => CartRefusal::NotEnoughOf { left, name },
                }
                .into());
            }
            sqlx::query("UPDATE cart_items SET quantity = $1 WHERE cart_id = $2 AND product_id = $3")
                .bind(i64::from(quantity))
                .bind(&cart)
                .bind(product_id)
                .execute(&mut *tx)
                .await
                .during(failed)?;
        }
        let view = self.cart_view(&mut *tx, &cart).await.during(failed)?;
        tx.commit().await.during(failed)?;
        Ok(view)
    }
}
