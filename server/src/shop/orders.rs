//! Orders: placed from a cart (stock taken, cart emptied, the order logged), shown
//! to who placed them, summed up for admins.

use super::*;
use crate::logs::lines::OrderMoved;
use crate::mail::compose::EmailKind;
use jewelry::fulfilment::{
    AdminOrder, MoveOutcome, ORDERS_PER_PAGE, OUTBOX_PAGE, OrderList, OrderQuery, OrderStatus, OutboxEmail,
    StatusChange, ValidMove,
};

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
             created_at, user_id, language) \
             VALUES ($1, $2, 'placed', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)",
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
        .bind(request.locale.code())
        .execute(&mut *tx)
        .await
        .during(failed)?;
        sqlx::query("INSERT INTO order_status_history (order_id, seq, status, at) VALUES ($1, 1, 'placed', $2)")
            .bind(&order_id)
            .bind(&placed_at)
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
        self.mailer.enqueue(&mut tx, &order_id, EmailKind::Placed).await.during(failed)?;
        tx.commit().await.during(failed)?;
        self.mailer.committed();
        // Stock was taken: the product pages say so at once.
        self.cache.changed();

        let item_count = view.item_count();
        self.logs.emit(&BusinessLine::order_placed(
            &order_id,
            total.as_units(self.currency),
            self.currency,
            &items,
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
        // The shopper reads what happened and when, not who did it or the desk's notes.
        let mut view = self.order_view(o, locale).await?;
        for change in &mut view.history {
            change.actor = None;
            change.note = None;
        }
        Ok(Some(view))
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

    async fn admin_orders(&self, query: &OrderQuery) -> Result<OrderList, Failure> {
        let failed = "listing orders";
        let (filter, args) = self.order_filter(query)?;
        let (total,): (i64,) = sqlx::query_as_with(&format!("SELECT COUNT(*) FROM orders o{filter}"), args)
            .fetch_one(&self.pool)
            .await
            .during(failed)?;
        let total = u64::try_from(total).unwrap_or_default();
        let pages = total.div_ceil(u64::from(ORDERS_PER_PAGE)).max(1);
        let page = u64::from(query.page.max(1));
        let offset = (page - 1) * u64::from(ORDERS_PER_PAGE);
        let (_, args) = self.order_filter(query)?;
        let rows: Vec<OrderSummaryRow> = sqlx::query_as_with(
            &format!(
                "{ORDER_SUMMARY}{filter} ORDER BY o.created_at DESC, o.id LIMIT {ORDERS_PER_PAGE} OFFSET {offset}"
            ),
            args,
        )
        .fetch_all(&self.pool)
        .await
        .during(failed)?;
        Ok(OrderList {
            orders: rows.into_iter().map(|r| r.into_summary(true)).collect(),
            total,
            page: u32::try_from(page).unwrap_or(u32::MAX),
            pages: u32::try_from(pages).unwrap_or(u32::MAX),
        })
    }

    async fn admin_order(&self, order_id: &str, locale: Locale) -> Result<Option<AdminOrder>, Failure> {
        let failed = "loading an order for the desk";
        let row: Option<OrderRow> = sqlx::query_as(&format!("SELECT {ORDER_COLUMNS} FROM orders WHERE id = $1"))
            .bind(order_id)
            .fetch_optional(&self.pool)
            .await
            .during(failed)?;
        let Some(row) = row else { return Ok(None) };
        let user_id = row.user_id.clone();
        let order = self.order_view(row, locale).await?;
        let moves = OrderStatus::parse(&order.status).map(|s| s.next().to_vec()).unwrap_or_default();
        Ok(Some(AdminOrder { order, user_id, moves }))
    }

    async fn move_order(&self, order_move: &ValidMove, request: &RequestContext) -> Result<MoveOutcome, Failure> {
        let failed = "moving an order";
        let words = jewelry::text::admin::words(request.locale);
        let order_words = jewelry::text::order::words(request.locale);
        let mut tx = self.pool.begin().await.during(failed)?;
        // The order's row is held first (a write, which SQLite's transaction needs
        // before it reads, or two moves at once would both read and neither could
        // then write): a second admin's move waits, then finds the version gone.
        let held = sqlx::query("UPDATE orders SET version = version WHERE id = $1")
            .bind(&order_move.order_id)
            .execute(&mut *tx)
            .await
            .during(failed)?;
        if held.rows_affected() != 1 {
            return Err(ShopError::NotFound.into());
        }
        let found: Option<(String, i64, i64, String)> =
            sqlx::query_as("SELECT status, version, total_cents, currency FROM orders WHERE id = $1")
                .bind(&order_move.order_id)
                .fetch_optional(&mut *tx)
                .await
                .during(failed)?;
        let Some((status, version, total_cents, currency)) = found else {
            return Err(ShopError::NotFound.into());
        };
        let changed = || {
            Failure::Shop(ShopError::Conflict {
                code: "order_changed".into(),
                message: words.refusal_order_changed.to_owned(),
            })
        };
        if version != order_move.version {
            return Err(changed());
        }
        let from = OrderStatus::parse(&status)
            .ok_or_else(|| Failure::internal(failed, format!("order {} has an unknown status", order_move.order_id)))?;
        if !from.may_become(order_move.to) {
            return Err(Failure::Shop(ShopError::Conflict {
                code: "order_move_not_allowed".into(),
                message: fill(
                    words.refusal_move,
                    &[("from", &from.label(order_words)), ("to", &order_move.to.label(order_words))],
                ),
            }));
        }
        let at = OffsetDateTime::now_utc();
        let at_text = rfc3339_millis(at);
        let moved = sqlx::query("UPDATE orders SET status = $1, version = version + 1 WHERE id = $2 AND version = $3")
            .bind(order_move.to.as_str())
            .bind(&order_move.order_id)
            .bind(order_move.version)
            .execute(&mut *tx)
            .await
            .during(failed)?;
        if moved.rows_affected() != 1 {
            return Err(changed());
        }
        let (seq,): (i64,) = sqlx::query_as(
            "SELECT CAST(COALESCE(MAX(seq), 0) + 1 AS BIGINT) FROM order_status_history WHERE order_id = $1",
        )
        .bind(&order_move.order_id)
        .fetch_one(&mut *tx)
        .await
        .during(failed)?;
        let actor = request.identity.user();
        sqlx::query(
            "INSERT INTO order_status_history (order_id, seq, status, at, actor_id, actor_name, note, carrier, \
             tracking_number, cash_collected_cents, resellable) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(&order_move.order_id)
        .bind(seq)
        .bind(order_move.to.as_str())
        .bind(&at_text)
        .bind(actor.map(|u| u.sub.clone()))
        .bind(actor.map(|u| u.display_name().to_owned()))
        .bind(order_move.note.as_deref())
        .bind(order_move.carrier.as_deref())
        .bind(order_move.tracking.as_deref())
        .bind(order_move.cash_collected.map(Money::minor))
        .bind(order_move.resellable.map(i64::from))
        .execute(&mut *tx)
        .await
        .during(failed)?;
        let lines: Vec<(String, Option<String>, i64)> = sqlx::query_as(
            "SELECT product_id, variant_id, quantity FROM order_lines WHERE order_id = $1 ORDER BY line_no",
        )
        .bind(&order_move.order_id)
        .fetch_all(&mut *tx)
        .await
        .during(failed)?;
        let mut restocked = 0_i64;
        if order_move.restocks() {
            // Back to the variant sold (a line from before variants: the product's
            // default variant, which has the product's id), archived or not.
            for (product_id, variant_id, quantity) in &lines {
                let back = sqlx::query("UPDATE product_variants SET stock = stock + $1, updated_at = $2 WHERE id = $3")
                    .bind(quantity)
                    .bind(&at_text)
                    .bind(variant_id.as_deref().unwrap_or(product_id))
                    .execute(&mut *tx)
                    .await
                    .during(failed)?;
                if back.rows_affected() == 1 {
                    restocked += quantity;
                }
            }
        }
        let total = Money::from_minor(total_cents);
        crate::insights::record_move(
            &mut tx,
            &self.days,
            at,
            order_move.to,
            order_move.cash_collected.unwrap_or(total),
        )
        .await
        .during(failed)?;
        let email = EmailKind::after(order_move.to);
        if let Some(kind) = email {
            self.mailer.enqueue(&mut tx, &order_move.order_id, kind).await.during(failed)?;
        }
        tx.commit().await.during(failed)?;
        if email.is_some() {
            self.mailer.committed();
        }
        if restocked > 0 {
            // The pieces are on sale again: the product pages say so at once.
            self.cache.changed();
        }
        let currency = Currency::parse(&currency).unwrap_or(self.currency);
        let item_count = lines.iter().map(|(_, _, q)| *q).sum::<i64>();
        let version = order_move.version + 1;
        self.logs.emit(&BusinessLine::order_moved(OrderMoved {
            to: order_move.to,
            order_id: &order_move.order_id,
            order_value: total.as_units(currency),
            currency: currency.code(),
            item_count: u32::try_from(item_count).unwrap_or(u32::MAX),
            line_count: lines.len(),
            cash_collected: order_move.cash_collected.map(|c| c.as_units(currency)),
            restocked_units: matches!(order_move.to, OrderStatus::Cancelled | OrderStatus::Returned)
                .then(|| u32::try_from(restocked).unwrap_or(u32::MAX)),
            request,
        }));
        self.logs.emit(&CrudLine::new(Entity::Order, CrudAction::Update, &order_move.order_id, Some(version), request));
        Ok(MoveOutcome::Moved { status: order_move.to, version })
    }

    async fn outbox(&self) -> Result<Vec<OutboxEmail>, Failure> {
        let rows: Vec<OutboxRow> = sqlx::query_as(&format!(
            "SELECT id, order_id, kind, recipient, subject, created_at, sent_at, failed_at, attempts, last_error, \
             provider_id FROM email_outbox ORDER BY created_at DESC, id LIMIT {OUTBOX_PAGE}"
        ))
        .fetch_all(&self.pool)
        .await
        .during("listing the outbox")?;
        Ok(rows
            .into_iter()
            .map(|r| OutboxEmail {
                file: r.provider_id.filter(|p| p.ends_with(".eml") && r.sent_at.is_some()),
                id: r.id,
                order_id: r.order_id,
                kind: r.kind,
                recipient: r.recipient,
                subject: r.subject,
                created_at: r.created_at,
                sent_at: r.sent_at,
                failed_at: r.failed_at,
                attempts: r.attempts,
                last_error: r.last_error,
            })
            .collect())
    }
}

impl SqlShop {
    /// The desk's `WHERE` clause for `query` (empty for every order), and its arguments.
    fn order_filter(&self, query: &OrderQuery) -> Result<(String, AnyArguments<'static>), Failure> {
        let failed = "binding the order list's query";
        let mut args = AnyArguments::default();
        let mut clauses: Vec<String> = Vec::new();
        let bind = |args: &mut AnyArguments<'static>, value: String| -> Result<usize, Failure> {
            args.add(value).during(failed)?;
            Ok(args.len())
        };
        if let Some(status) = query.status {
            let n = bind(&mut args, status.as_str().to_owned())?;
            clauses.push(format!("o.status = ${n}"));
        }
        // Days in the shop's time zone, the last one whole.
        if let Some(from) = query.from.as_deref().and_then(|d| self.days.start_of(d, 0)) {
            let n = bind(&mut args, from)?;
            clauses.push(format!("o.created_at >= ${n}"));
        }
        if let Some(to) = query.to.as_deref().and_then(|d| self.days.start_of(d, 1)) {
            let n = bind(&mut args, to)?;
            clauses.push(format!("o.created_at < ${n}"));
        }
        let q = query.q.trim();
        if !q.is_empty() {
            let n = bind(&mut args, format!("%{}%", like_escaped(&q.to_uppercase())))?;
            let mut any =
                vec![format!("UPPER(o.id) LIKE ${n} ESCAPE '\\'"), format!("UPPER(o.email) LIKE ${n} ESCAPE '\\'")];
            // A phone number as typed: its digits, against the stored number's.
            let digits: String = q.chars().filter(char::is_ascii_digit).collect();
            if digits.len() >= 3 && q.chars().all(|c| c.is_ascii_digit() || " +-.()".contains(c)) {
                let n = bind(&mut args, format!("%{digits}%"))?;
                any.push(format!(
                    "REPLACE(REPLACE(REPLACE(REPLACE(o.phone, ' ', ''), '.', ''), '-', ''), '+', '') LIKE ${n}"
                ));
            }
            clauses.push(format!("({})", any.join(" OR ")));
        }
        let filter = if clauses.is_empty() { String::new() } else { format!(" WHERE {}", clauses.join(" AND ")) };
        Ok((filter, args))
    }

    /// An order as its pages show it, lines and history read beside it; the
    /// address's country named in `locale`.
    async fn order_view(&self, o: OrderRow, locale: Locale) -> Result<OrderView, Failure> {
        let failed = "loading an order";
        let lines = order_lines(&self.pool, &o.id).await.during(failed)?;
        let history: Vec<HistoryRow> = sqlx::query_as(
            "SELECT status, at, actor_name, note, carrier, tracking_number, cash_collected_cents, resellable \
             FROM order_status_history WHERE order_id = $1 ORDER BY seq",
        )
        .bind(&o.id)
        .fetch_all(&self.pool)
        .await
        .during(failed)?;
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
        Ok(OrderView {
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
            version: o.version,
            history: history.into_iter().filter_map(HistoryRow::into_change).collect(),
        })
    }
}

#[derive(FromRow)]
struct HistoryRow {
    status: String,
    at: String,
    actor_name: Option<String>,
    note: Option<String>,
    carrier: Option<String>,
    tracking_number: Option<String>,
    cash_collected_cents: Option<i64>,
    resellable: Option<i64>,
}

impl HistoryRow {
    fn into_change(self) -> Option<StatusChange> {
        Some(StatusChange {
            status: OrderStatus::parse(&self.status)?,
            at: self.at,
            actor: self.actor_name,
            note: self.note,
            carrier: self.carrier,
            tracking: self.tracking_number,
            cash_collected: self.cash_collected_cents.map(Money::from_minor),
            resellable: self.resellable.map(|r| r != 0),
        })
    }
}

/// `text` for a `LIKE … ESCAPE '\'` pattern: its own `%`, `_` and `\` match themselves.
fn like_escaped(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

#[derive(FromRow)]
struct OutboxRow {
    id: String,
    order_id: String,
    kind: String,
    recipient: String,
    subject: String,
    created_at: String,
    sent_at: Option<String>,
    failed_at: Option<String>,
    attempts: i64,
    last_error: Option<String>,
    provider_id: Option<String>,
}
