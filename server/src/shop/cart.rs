//! Carts: a guest's (named by its cookie) or a signed-in user's, a line per
//! variant, changed in transactions that take the write lock first, refused
//! within the variant's stock.

use super::*;

#[async_trait]
impl Carts for SqlShop {
    async fn cart(&self, owner: &CartOwner) -> Result<CartView, Failure> {
        let failed = "loading a cart";
        match existing_cart(&self.pool, owner).await.during(failed)? {
            Some(cart) => {
                let mut conn = self.pool.acquire().await.during(failed)?;
                self.cart_view(&mut conn, &cart).await.during(failed)
            }
            None => Ok(CartView::default()),
        }
    }

    async fn cart_count(&self, owner: &CartOwner) -> Result<u32, Failure> {
        let failed = "counting a cart";
        let Some(cart) = existing_cart(&self.pool, owner).await.during(failed)? else { return Ok(0) };
        let (count,): (i64,) = sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(ci.quantity), 0) AS BIGINT) FROM cart_items ci \
             JOIN product_variants v ON v.id = ci.variant_id JOIN products p ON p.id = v.product_id \
             WHERE ci.cart_id = $1 AND p.archived = 0 AND v.archived = 0",
        )
        .bind(&cart)
        .fetch_one(&self.pool)
        .await
        .during(failed)?;
        Ok(count.clamp(0, i64::from(u32::MAX)) as u32)
    }

    async fn add_to_cart(
        &self,
        owner: &CartOwner,
        product_id: &str,
        variant_id: Option<&str>,
        quantity: u32,
    ) -> Result<AddedToCart, Failure> {
        if !(1..=MAX_LINE_QUANTITY).contains(&quantity) {
            return Err(CartRefusal::QuantityOutOfRange.into());
        }
        let failed = "adding to a cart";
        let (mut tx, cart) = begin_cart_write(&self.pool, owner).await.during(failed)?;
        // The variant named, which must be the product's; without one, the
        // product's only variant, when it has no options to choose from.
        let named_variant = format!(
            "SELECT {LINE_COLUMNS} {LINE_FROM} WHERE v.id = $1 AND v.product_id = $2 AND v.archived = 0 \
             AND p.archived = 0"
        );
        let only_variant = format!(
            "SELECT {LINE_COLUMNS} {LINE_FROM} WHERE v.product_id = $1 AND v.archived = 0 AND p.archived = 0 \
             AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id) \
             ORDER BY v.position, v.id LIMIT 1"
        );
        let row: Option<LineRow> = match variant_id {
            Some(variant) => sqlx::query_as(&named_variant).bind(variant).bind(product_id),
            None => sqlx::query_as(&only_variant).bind(product_id),
        }
        .fetch_optional(&mut *tx)
        .await
        .during(failed)?;
        let Some(row) = row else {
            if variant_id.is_none() && self.has_options(&mut tx, product_id).await.during(failed)? {
                return Err(CartRefusal::ChooseVariant.into());
            }
            return Err(CartRefusal::NoLongerAvailable.into());
        };
        let (product, variant) = into_lines(&mut tx, vec![row]).await.during(failed)?.remove(0);
        let held: Option<(i64,)> =
            sqlx::query_as("SELECT quantity FROM cart_items WHERE cart_id = $1 AND variant_id = $2")
                .bind(&cart)
                .bind(&variant.id)
                .fetch_optional(&mut *tx)
                .await
                .during(failed)?;
        let held = held.map_or(0, |(q,)| q.max(0) as u32);
        let limit = max_quantity(product.stock);
        if limit == 0 {
            return Err(CartRefusal::SoldOut { name: named(&product, &variant) }.into());
        }
        if held + quantity > limit {
            return Err(match limit {
                MAX_LINE_QUANTITY => CartRefusal::LineLimit,
                left => CartRefusal::NotEnoughLeft { left, held },
            }
            .into());
        }
        sqlx::query(
            "INSERT INTO cart_items (cart_id, variant_id, quantity, added_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (cart_id, variant_id) DO UPDATE SET quantity = cart_items.quantity + excluded.quantity",
        )
        .bind(&cart)
        .bind(&variant.id)
        .bind(i64::from(quantity))
        .bind(now())
        .execute(&mut *tx)
        .await
        .during(failed)?;
        let (count,): (i64,) = sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(ci.quantity), 0) AS BIGINT) FROM cart_items ci \
             JOIN product_variants v ON v.id = ci.variant_id JOIN products p ON p.id = v.product_id \
             WHERE ci.cart_id = $1 AND p.archived = 0 AND v.archived = 0",
        )
        .bind(&cart)
        .fetch_one(&mut *tx)
        .await
        .during(failed)?;
        tx.commit().await.during(failed)?;
        Ok(AddedToCart {
            product,
            variant,
            added: quantity,
            line_quantity: held + quantity,
            cart_item_count: count.max(0) as u32,
        })
    }

    async fn set_quantity(&self, owner: &CartOwner, variant_id: &str, quantity: u32) -> Result<CartView, Failure> {
        let failed = "changing a cart";
        let (mut tx, cart) = begin_cart_write(&self.pool, owner).await.during(failed)?;
        if quantity == 0 {
            sqlx::query("DELETE FROM cart_items WHERE cart_id = $1 AND variant_id = $2")
                .bind(&cart)
                .bind(variant_id)
                .execute(&mut *tx)
                .await
                .during(failed)?;
        } else {
            let row: Option<LineRow> = sqlx::query_as(&format!(
                "SELECT {LINE_COLUMNS} {LINE_FROM} WHERE v.id = $1 AND v.archived = 0 AND p.archived = 0"
            ))
            .bind(variant_id)
            .fetch_optional(&mut *tx)
            .await
            .during(failed)?;
            let Some(row) = row else {
                return Err(CartRefusal::NoLongerAvailable.into());
            };
            let (product, variant) = into_lines(&mut tx, vec![row]).await.during(failed)?.remove(0);
            let limit = max_quantity(product.stock);
            if quantity > limit {
                let name = named(&product, &variant);
                return Err(match limit {
                    0 => CartRefusal::SoldOutInCart { name },
                    MAX_LINE_QUANTITY => CartRefusal::LineLimit,
                    left => CartRefusal::NotEnoughOf { left, name },
                }
                .into());
            }
            sqlx::query("UPDATE cart_items SET quantity = $1 WHERE cart_id = $2 AND variant_id = $3")
                .bind(i64::from(quantity))
                .bind(&cart)
                .bind(variant_id)
                .execute(&mut *tx)
                .await
                .during(failed)?;
        }
        let view = self.cart_view(&mut tx, &cart).await.during(failed)?;
        tx.commit().await.during(failed)?;
        Ok(view)
    }
}

impl SqlShop {
    async fn has_options(&self, conn: &mut sqlx::AnyConnection, product_id: &str) -> Result<bool, sqlx::Error> {
        let found: Option<(i64,)> = sqlx::query_as("SELECT 1 FROM product_options WHERE product_id = $1 LIMIT 1")
            .bind(product_id)
            .fetch_optional(conn)
            .await?;
        Ok(found.is_some())
    }
}

/// The piece as a refusal names it: with its options, when it has some.
fn named(product: &ProductSummary, variant: &LineVariant) -> Localized {
    jewelry::variant::named_with_options(&product.name, &variant.options)
}
