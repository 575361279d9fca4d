//! Orders: placed from a cart (stock taken, cart emptied, the order logged), shown
//! to who placed them, summed up for admins.

use super::*;

#[async_trait]
impl Orders for SqlShop {
    async fn place_order(
        &self,
        owner: &CartOwner,
        details: &ShippingDetails,
        request: &RequestContext,
    ) -> Result<CheckoutOutcome, Failure> {
        let failed = "placing an order";
        let (mut tx, cart) = begin_cart_write(&self.pool, owner).await.during(failed)?;
        let view = self.cart_view(&mut tx, &cart).await.during(failed)?;
        if view.is_empty() {
            return Ok(CheckoutOutcome::EmptyCart);
        }
        // Said in the shopper's language, the piece named as their page names it.
        let words = jewelry::text::order::words(request.locale);
        let name = |line: &jewelry::cart::CartLine| {
            jewelry::variant::named_with_options(&line.product.name, &line.variant.options)
                .get(request.locale)
                .to_owned()
        };
        if let Some(line) = view.over_stock().next() {
            return Ok(CheckoutOutcome::StockChanged(match line.product.stock {
                0 => fill(words.stock_just_sold_out, &[("name", &name(line))]),
                n => fill(words.stock_only_left, &[("n", &n), ("name", &name(line))]),
            }));
        }
        let placed_at = now();
        // Taken per variant, each in one statement that cannot take more than
        // is left: of two checkouts racing for the last piece, one finds none.
        for line in &view.lines {
            let taken = sqlx::query(
                "UPDATE product_variants SET stock = stock - $1, updated_at = $2 \
                 WHERE id = $3 AND stock >= $1 AND archived = 0",
            )
            .bind(i64::from(line.quantity))
            .bind(&placed_at)
            .bind(&line.variant.id)
            .execute(&mut *tx)
            .await
            .during(failed)?;
            if taken.rows_affected() != 1 {
                return Ok(CheckoutOutcome::StockChanged(fill(
                    words.stock_sold_out_while_checking_out,
                    &[("name", &name(line))],
                )));
            }
        }
        let subtotal = view.subtotal();
        let shipping = Money::ZERO;
        let total = subtotal.checked_add(shipping).ok_or_else(|| Failure::internal(failed, "the total overflows"))?;
        let order_id = order_id_from(rand::random());
        sqlx::query(
            "INSERT INTO orders (id, cart_id, status, email, full_name, phone, address_line1, address_line2, city, \
             region, postal_code, country, payment_method, subtotal_cents, shipping_cents, total_cents, currency, \
             created_at, user_id) \
             VALUES ($1, $2, 'placed', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
        )
        .bind(&order_id)
        .bind(&cart)
        .bind(details.email())
        .bind(details.full_name())
        .bind(details.phone())
        .bind(details.address_line1())
        .bind(details.address_line2())
        .bind(details.city())
        .bind(details.region())
        .bind(details.postal_code())
        .bind(details.country())
        .bind(PAYMENT_CASH_ON_DELIVERY)
        .bind(subtotal.minor())
        .bind(shipping.minor())
        .bind(total.minor())
        .bind(self.currency.code())
        .bind(&placed_at)
        .bind(request.identity.user_id())
        .execute(&mut *tx)
        .await
        .during(failed)?;
        for (line_no, line) in view.lines.iter().enumerate() {
            sqlx::query(
                "INSERT INTO order_lines (order_id, line_no, product_id, name, brand, unit_price_cents, quantity, \
                 line_total_cents, variant_id, sku, options) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(&order_id)
            .bind(line_no as i64 + 1)
            .bind(&line.product.id)
            .bind(line.product.name.get(request.locale))
            .bind(&line.product.brand)
            .bind(line.unit_price().minor())
            .bind(i64::from(line.quantity))
            .bind(line.total().minor())
            .bind(&line.variant.id)
            .bind(&line.variant.sku)
            .bind(jewelry::variant::options_text(&line.variant.options, request.locale))
            .execute(&mut *tx)
            .await
            .during(failed)?;
        }
        sqlx::query("DELETE FROM cart_items WHERE cart_id = $1").bind(&cart).execute(&mut *tx).await.during(failed)?;
        let items: Vec<jewelry::order::PlacedItem> = view
            .lines
            .iter()
            .map(|l| jewelry::order::PlacedItem {
                product_id: l.product.id.clone(),
                variant_id: l.variant.id.clone(),
                sku: l.variant.sku.clone(),
                quantity: l.quantity,
                unit_price: l.unit_price(),
            })
            .collect();
        crate::insights::record_order(&mut tx, &self.days, OffsetDateTime::now_utc(), total, &items)
            .await
            .during(failed)?;
        tx.commit().await.during(failed)?;
        // Stock was taken: the product pages say so at once.
        self.cache.changed();

        let item_count = view.item_count();
        self.logs.emit(&BusinessLine::order_placed(
            &order_id,
            total.as_units(self.currency),
            self.currency.code(),
            item_count,
            view.lines.len(),
            request,
        ));
        Ok(CheckoutOutcome::Placed { order_id, total, currency: self.currency, item_count, items })
    }

    async fn order(&self, order_id: &str, viewer: &OrderViewer, locale: Locale) -> Result<Option<OrderView>, Failure> {
        let failed = "loading an order";
        // The user who placed it, or the browser whose cart did; nobody else.
        let mut args = AnyArguments::default();
        let mut allowed = Vec::new();
        args.add(order_id.to_owned()).during(failed)?;
        if let Some(user) = &viewer.user_id {
            args.add(user.clone()).during(failed)?;
            allowed.push(format!("user_id = ${}", allowed.len() + 2));
        }
        if let Some(cart) = &viewer.cart {
            args.add(cart.to_string()).during(failed)?;
            allowed.push(format!("cart_id = ${}", allowed.len() + 2));
        }
        if allowed.is_empty() {
            return Ok(None);
        }
        let sql = format!("SELECT {ORDER_COLUMNS} FROM orders WHERE id = $1 AND ({})", allowed.join(" OR "));
        let row: Option<OrderRow> = sqlx::query_as_with(&sql, args).fetch_optional(&self.pool).await.during(failed)?;
        let Some(o) = row else { return Ok(None) };
        let lines = order_lines(&self.pool, order_id).await.during(failed)?;
        let mut address = vec![o.address_line1];
        address.extend(o.address_line2);
        if o.country == VIETNAM {
            // Street, ward or commune, then province or city (with the postal code
            // when given), as a Vietnamese label reads.
            address.push(o.city);
            let province = o.region.unwrap_or_default();
            address.push(format!("{province} {}", o.postal_code).trim().to_owned());
        } else {
            address.push(match o.region {
                Some(region) => format!("{}, {region} {}", o.city, o.postal_code),
                None => format!("{} {}", o.city, o.postal_code),
            });
        }
        address.push(country_name(&o.country, locale).unwrap_or(&o.country).to_owned());
        let currency = Currency::parse(&o.currency).ok_or_else(|| {
            Failure::internal(failed, format!("order {} has an unknown currency {:?}", o.id, o.currency))
        })?;
        Ok(Some(OrderView {
            id: o.id,
            placed_at: o.created_at,
            status: o.status,
            email: o.email,
            full_name: o.full_name,
            phone: o.phone,
            address,
            payment_method: o.payment_method,
            lines: lines
                .into_iter()
                .map(|l| OrderLine {
                    product_id: l.product_id,
                    variant_id: l.variant_id,
                    sku: l.sku,
                    options: l.options,
                    name: l.name,
                    brand: l.brand,
                    unit_price: Money::from_minor(l.unit_price_cents),
                    quantity: l.quantity.clamp(0, i64::from(u32::MAX)) as u32,
                    line_total: Money::from_minor(l.line_total_cents),
                })
                .collect(),
            subtotal: Money::from_minor(o.subtotal_cents),
            shipping: Money::from_minor(o.shipping_cents),
            total: Money::from_minor(o.total_cents),
            currency,
        }))
    }

    async fn orders_of(&self, user_id: &str) -> Result<Vec<OrderSummary>, Failure> {
        let rows: Vec<OrderSummaryRow> =
            sqlx::query_as(&format!("{ORDER_SUMMARY} WHERE o.user_id = $1 ORDER BY o.created_at DESC, o.id LIMIT 100"))
                .bind(user_id)
                .fetch_all(&self.pool)
                .await
                .during("loading a user's orders")?;
        Ok(rows.into_iter().map(|r| r.into_summary(false)).collect())
    }

    async fn admin_overview(&self) -> Result<AdminOverview, Failure> {
        let failed = "loading the admin overview";
        let (order_count, revenue, customers): (i64, i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), CAST(COALESCE(SUM(total_cents), 0) AS BIGINT), \
             COUNT(DISTINCT COALESCE(user_id, cart_id)) FROM orders",
        )
        .fetch_one(&self.pool)
        .await
        .during(failed)?;
        let recent: Vec<OrderSummaryRow> =
            sqlx::query_as(&format!("{ORDER_SUMMARY} ORDER BY o.created_at DESC, o.id LIMIT 20"))
                .fetch_all(&self.pool)
                .await
                .during(failed)?;
        Ok(AdminOverview {
            order_count,
            revenue: Money::from_minor(revenue),
            customers,
            recent: recent.into_iter().map(|r| r.into_summary(true)).collect(),
        })
    }
}
