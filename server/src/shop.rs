//! The shop's storage: the catalog, carts and orders in SQL, behind the
//! [`Shop`] interface the server functions call. Prices always come from here.

use crate::db::Database;
use crate::logs::LogSink;
use crate::logs::lines::{BusinessLine, CrudLine};
use crate::logs::rfc3339_millis;
use async_trait::async_trait;
use jewelry::Money;
use jewelry::admin::{AdminProduct, AdminProductRow, ProductInput, SaveOutcome, ValidProduct};
use jewelry::cart::{AddedToCart, CartLine, CartView, MAX_LINE_QUANTITY, max_quantity};
use jewelry::catalog::{
    CatalogPage, CatalogQuery, Category, HomePage, PAGE_SIZE, ProductDetail, ProductImage, ProductSummary, SortOrder,
    page_count,
};
use jewelry::checkout::{PAYMENT_CASH_ON_DELIVERY, ShippingDetails, country_name};
use jewelry::order::{AdminOverview, CheckoutOutcome, OrderLine, OrderSummary, OrderView, order_id_from};
use jewelry_app::api::ShopError;
use jewelry_app::backend::{CartId, CartOwner, OrderViewer, RequestContext, Shop};
use sqlx::any::AnyArguments;
use sqlx::{Arguments, FromRow};
use time::OffsetDateTime;

pub struct SqlShop {
    pool: Database,
    logs: LogSink,
}

impl SqlShop {
    pub fn new(pool: Database, logs: LogSink) -> Self {
        SqlShop { pool, logs }
    }
}

/// Logs an internal failure with its causes and answers `Unavailable`: the
/// shopper learns that something failed, never how.
pub(crate) fn unavailable<E: std::fmt::Display>(what: &'static str) -> impl Fn(E) -> ShopError + Copy {
    move |e| {
        tracing::error!(error = %e, "{what} failed");
        ShopError::Unavailable
    }
}

fn now() -> String {
    rfc3339_millis(OffsetDateTime::now_utc())
}

const SUMMARY_COLUMNS: &str = "p.id, p.name, p.brand, p.category_id, c.name AS category_name, \
    p.price_cents, p.discount_price_cents, p.stock, \
    (SELECT i.url FROM product_images i WHERE i.product_id = p.id ORDER BY i.position, i.id LIMIT 1) AS image_url, \
    (SELECT i.alt FROM product_images i WHERE i.product_id = p.id ORDER BY i.position, i.id LIMIT 1) AS image_alt";
const SUMMARY_FROM: &str = "FROM products p JOIN categories c ON c.id = p.category_id";

#[derive(FromRow)]
struct SummaryRow {
    id: String,
    name: String,
    brand: String,
    category_id: String,
    category_name: String,
    price_cents: i64,
    discount_price_cents: Option<i64>,
    stock: i64,
    image_url: Option<String>,
    image_alt: Option<String>,
}

impl From<SummaryRow> for ProductSummary {
    fn from(r: SummaryRow) -> Self {
        ProductSummary {
            image: r.image_url.map(|url| ProductImage { url, alt: r.image_alt.unwrap_or_else(|| r.name.clone()) }),
            id: r.id,
            name: r.name,
            brand: r.brand,
            category_id: r.category_id,
            category_name: r.category_name,
            price: Money::from_cents(r.price_cents),
            discount_price: r.discount_price_cents.map(Money::from_cents),
            stock: r.stock,
        }
    }
}

#[derive(FromRow)]
struct CategoryRow {
    id: String,
    name: String,
    description: String,
    product_count: i64,
}

#[derive(FromRow)]
struct CartRow {
    #[sqlx(flatten)]
    summary: SummaryRow,
    quantity: i64,
}

#[derive(FromRow)]
struct OrderRow {
    id: String,
    status: String,
    email: String,
    full_name: String,
    phone: String,
    address_line1: String,
    address_line2: Option<String>,
    city: String,
    region: Option<String>,
    postal_code: String,
    country: String,
    payment_method: String,
    subtotal_cents: i64,
    shipping_cents: i64,
    total_cents: i64,
    currency: String,
    created_at: String,
}

#[derive(FromRow)]
struct OrderLineRow {
    product_id: String,
    name: String,
    brand: String,
    unit_price_cents: i64,
    quantity: i64,
    line_total_cents: i64,
}

/// A catalog query's `WHERE` clause and its arguments.
fn catalog_filter(query: &CatalogQuery) -> Result<(String, AnyArguments<'static>), ShopError> {
    let mut sql = String::from(" WHERE p.archived = 0");
    let mut args = AnyArguments::default();
    let mut n = 0;
    let bind_error = |_| ShopError::Unavailable;
    if let Some(category) = &query.category {
        args.add(category.clone()).map_err(bind_error)?;
        n += 1;
        sql.push_str(&format!(" AND p.category_id = ${n}"));
    }
    for pattern in query.search_patterns() {
        args.add(pattern).map_err(bind_error)?;
        n += 1;
        sql.push_str(&format!(
            " AND (LOWER(p.name) LIKE ${n} ESCAPE '\\' OR LOWER(p.brand) LIKE ${n} ESCAPE '\\' \
             OR LOWER(p.description) LIKE ${n} ESCAPE '\\' OR LOWER(c.name) LIKE ${n} ESCAPE '\\')"
        ));
    }
    Ok((sql, args))
}

fn order_by(sort: SortOrder) -> &'static str {
    match sort {
        SortOrder::Featured => " ORDER BY p.featured DESC, p.name, p.id",
        SortOrder::PriceAsc => " ORDER BY COALESCE(p.discount_price_cents, p.price_cents), p.name, p.id",
        SortOrder::PriceDesc => " ORDER BY COALESCE(p.discount_price_cents, p.price_cents) DESC, p.name, p.id",
        SortOrder::Newest => " ORDER BY p.created_at DESC, p.name, p.id",
    }
}

impl SqlShop {
    async fn categories_list(&self) -> Result<Vec<Category>, ShopError> {
        let rows: Vec<CategoryRow> = sqlx::query_as(
            "SELECT c.id, c.name, c.description, \
             (SELECT COUNT(*) FROM products p WHERE p.category_id = c.id AND p.archived = 0) AS product_count \
             FROM categories c ORDER BY c.position, c.name",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(unavailable("loading categories"))?;
        Ok(rows
            .into_iter()
            .map(|r| Category { id: r.id, name: r.name, description: r.description, product_count: r.product_count })
            .collect())
    }

    async fn cart_view<'c, E>(&self, executor: E, cart: &str) -> Result<CartView, sqlx::Error>
    where
        E: sqlx::Executor<'c, Database = sqlx::Any>,
    {
        let rows: Vec<CartRow> = sqlx::query_as(&format!(
            "SELECT {SUMMARY_COLUMNS}, ci.quantity FROM cart_items ci \
             JOIN products p ON p.id = ci.product_id JOIN categories c ON c.id = p.category_id \
             WHERE ci.cart_id = $1 AND p.archived = 0 ORDER BY ci.added_at, p.id"
        ))
        .bind(cart)
        .fetch_all(executor)
        .await?;
        Ok(CartView {
            lines: rows
                .into_iter()
                .map(|r| CartLine {
                    product: r.summary.into(),
                    quantity: r.quantity.clamp(0, i64::from(u32::MAX)) as u32,
                })
                .collect(),
        })
    }
}

/// Opens a transaction whose first statement takes the database's write lock
/// (creating or touching the cart), so SQLite never has to upgrade a read lock
/// mid-way; answers the cart's id too.
async fn begin_cart_write(
    pool: &Database,
    owner: &CartOwner,
) -> Result<(sqlx::Transaction<'static, sqlx::Any>, String), sqlx::Error> {
    let mut tx = pool.begin().await?;
    let cart_id = match owner {
        CartOwner::Guest(cart) => {
            sqlx::query(
                "INSERT INTO carts (id, created_at, updated_at) VALUES ($1, $2, $2) \
                 ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at",
            )
            .bind(cart.to_string())
            .bind(now())
            .execute(&mut *tx)
            .await?;
            cart.to_string()
        }
        CartOwner::User(user) => {
            sqlx::query(
                "INSERT INTO carts (id, created_at, updated_at, user_id) VALUES ($1, $2, $2, $3) \
                 ON CONFLICT (user_id) WHERE user_id IS NOT NULL DO UPDATE SET updated_at = excluded.updated_at",
            )
            .bind(CartId::new_random().to_string())
            .bind(now())
            .bind(user)
            .execute(&mut *tx)
            .await?;
            let (id,): (String,) =
                sqlx::query_as("SELECT id FROM carts WHERE user_id = $1").bind(user).fetch_one(&mut *tx).await?;
            id
        }
    };
    Ok((tx, cart_id))
}

/// The id of the owner's cart, if there is one yet.
async fn existing_cart(pool: &Database, owner: &CartOwner) -> Result<Option<String>, sqlx::Error> {
    match owner {
        CartOwner::Guest(cart) => Ok(Some(cart.to_string())),
        CartOwner::User(user) => {
            let row: Option<(String,)> =
                sqlx::query_as("SELECT id FROM carts WHERE user_id = $1").bind(user).fetch_optional(pool).await?;
            Ok(row.map(|(id,)| id))
        }
    }
}

#[derive(FromRow)]
struct OrderSummaryRow {
    id: String,
    created_at: String,
    status: String,
    total_cents: i64,
    item_count: i64,
    email: String,
}

impl OrderSummaryRow {
    fn into_summary(self, with_email: bool) -> OrderSummary {
        OrderSummary {
            id: self.id,
            placed_at: self.created_at,
            status: self.status,
            item_count: self.item_count.clamp(0, i64::from(u32::MAX)) as u32,
            total: Money::from_cents(self.total_cents),
            email: with_email.then_some(self.email),
        }
    }
}

const ORDER_SUMMARY: &str = "SELECT o.id, o.created_at, o.status, o.total_cents, o.email, \
    (SELECT CAST(COALESCE(SUM(l.quantity), 0) AS BIGINT) FROM order_lines l WHERE l.order_id = o.id) AS item_count \
    FROM orders o";

/// Binds a product's fields as `$1`..`$10`: name, brand, category, description,
/// price, sale price, stock, featured, the time, and the id last.
fn bind_product<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, AnyArguments<'q>>,
    p: &'q ValidProduct,
    now: &'q str,
) -> sqlx::query::Query<'q, sqlx::Any, AnyArguments<'q>> {
    query
        .bind(&p.name)
        .bind(&p.brand)
        .bind(&p.category_id)
        .bind(&p.description)
        .bind(p.price.cents())
        .bind(p.discount_price.map(Money::cents))
        .bind(p.stock)
        .bind(i64::from(p.featured))
        .bind(now)
        .bind(&p.id)
}

impl SqlShop {
    /// After a versioned write changed nothing: someone saved first, or the product is gone.
    async fn conflict_or_missing(&self, id: &str) -> Result<SaveOutcome, ShopError> {
        let current: Option<(i64,)> = sqlx::query_as("SELECT version FROM products WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(unavailable("checking a product's version"))?;
        match current {
            Some((current_version,)) => Ok(SaveOutcome::Conflict { current_version }),
            None => Err(ShopError::NotFound),
        }
    }

    /// Moves a guest's cart into the user's on sign-in: quantities add up, capped
    /// by stock and the per-piece limit; the guest cart is then deleted.
    pub async fn merge_guest_cart(&self, guest: &CartId, user: &str) -> anyhow::Result<usize> {
        let (mut tx, user_cart) = begin_cart_write(&self.pool, &CartOwner::User(user.to_owned())).await?;
        let guest_view = self.cart_view(&mut *tx, &guest.to_string()).await?;
        let user_view = self.cart_view(&mut *tx, &user_cart).await?;
        let mut merged = 0;
        for line in &guest_view.lines {
            let held = user_view.lines.iter().find(|l| l.product.id == line.product.id).map_or(0, |l| l.quantity);
            let quantity = (held + line.quantity).min(max_quantity(line.product.stock));
            if quantity == 0 || quantity == held {
                continue;
            }
            sqlx::query(
                "INSERT INTO cart_items (cart_id, product_id, quantity, added_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (cart_id, product_id) DO UPDATE SET quantity = excluded.quantity",
            )
            .bind(&user_cart)
            .bind(&line.product.id)
            .bind(i64::from(quantity))
            .bind(now())
            .execute(&mut *tx)
            .await?;
            merged += 1;
        }
        sqlx::query("DELETE FROM cart_items WHERE cart_id = $1").bind(guest.to_string()).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM carts WHERE id = $1 AND user_id IS NULL")
            .bind(guest.to_string())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(merged)
    }
}

#[async_trait]
impl Shop for SqlShop {
    async fn home(&self) -> Result<HomePage, ShopError> {
        let featured: Vec<SummaryRow> = sqlx::query_as(&format!(
            "SELECT {SUMMARY_COLUMNS} {SUMMARY_FROM} WHERE p.archived = 0 AND p.featured = 1 \
             ORDER BY p.created_at DESC, p.id LIMIT 8"
        ))
        .fetch_all(&self.pool)
        .await
        .map_err(unavailable("loading featured products"))?;
        Ok(HomePage {
            featured: featured.into_iter().map(Into::into).collect(),
            categories: self.categories_list().await?,
        })
    }

    async fn categories(&self) -> Result<Vec<Category>, ShopError> {
        self.categories_list().await
    }

    async fn catalog(&self, query: &CatalogQuery) -> Result<CatalogPage, ShopError> {
        let (filter, args) = catalog_filter(query)?;
        let (total,): (i64,) = sqlx::query_as_with(&format!("SELECT COUNT(*) {SUMMARY_FROM}{filter}"), args)
            .fetch_one(&self.pool)
            .await
            .map_err(unavailable("counting catalog products"))?;
        let (_, args) = catalog_filter(query)?;
        let offset = u64::from(query.page.saturating_sub(1)) * u64::from(PAGE_SIZE);
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} {SUMMARY_FROM}{filter}{} LIMIT {PAGE_SIZE} OFFSET {offset}",
            order_by(query.sort)
        );
        let rows: Vec<SummaryRow> = sqlx::query_as_with(&sql, args)
            .fetch_all(&self.pool)
            .await
            .map_err(unavailable("loading catalog products"))?;
        Ok(CatalogPage {
            query: query.clone(),
            products: rows.into_iter().map(Into::into).collect(),
            total,
            page_count: page_count(total),
            categories: self.categories_list().await?,
        })
    }

    async fn product(&self, id: &str) -> Result<Option<ProductDetail>, ShopError> {
        #[derive(FromRow)]
        struct DetailRow {
            #[sqlx(flatten)]
            summary: SummaryRow,
            description: String,
        }
        let row: Option<DetailRow> = sqlx::query_as(&format!(
            "SELECT {SUMMARY_COLUMNS}, p.description {SUMMARY_FROM} WHERE p.id = $1 AND p.archived = 0"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(unavailable("loading a product"))?;
        let Some(row) = row else { return Ok(None) };
        let images: Vec<(String, String)> =
            sqlx::query_as("SELECT url, alt FROM product_images WHERE product_id = $1 ORDER BY position, id")
                .bind(id)
                .fetch_all(&self.pool)
                .await
                .map_err(unavailable("loading product images"))?;
        Ok(Some(ProductDetail {
            summary: row.summary.into(),
            description: row.description,
            images: images.into_iter().map(|(url, alt)| ProductImage { url, alt }).collect(),
        }))
    }

    async fn cart(&self, owner: &CartOwner) -> Result<CartView, ShopError> {
        let failed = unavailable("loading a cart");
        match existing_cart(&self.pool, owner).await.map_err(failed)? {
            Some(cart) => self.cart_view(&self.pool, &cart).await.map_err(failed),
            None => Ok(CartView::default()),
        }
    }

    async fn add_to_cart(&self, owner: &CartOwner, product_id: &str, quantity: u32) -> Result<AddedToCart, ShopError> {
        if !(1..=MAX_LINE_QUANTITY).contains(&quantity) {
            return Err(ShopError::Refused(format!("Choose a quantity from 1 to {MAX_LINE_QUANTITY}.")));
        }
        let failed = unavailable("adding to a cart");
        let (mut tx, cart) = begin_cart_write(&self.pool, owner).await.map_err(failed)?;
        let product: Option<SummaryRow> =
            sqlx::query_as(&format!("SELECT {SUMMARY_COLUMNS} {SUMMARY_FROM} WHERE p.id = $1 AND p.archived = 0"))
                .bind(product_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(failed)?;
        let Some(product) = product.map(ProductSummary::from) else {
            return Err(ShopError::Refused("This piece is no longer available.".into()));
        };
        let held: Option<(i64,)> =
            sqlx::query_as("SELECT quantity FROM cart_items WHERE cart_id = $1 AND product_id = $2")
                .bind(&cart)
                .bind(product_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(failed)?;
        let held = held.map_or(0, |(q,)| q.max(0) as u32);
        let limit = max_quantity(product.stock);
        if limit == 0 {
            return Err(ShopError::Refused(format!("Sorry, {} is sold out.", product.name)));
        }
        if held + quantity > limit {
            let message = if limit == MAX_LINE_QUANTITY {
                format!("You can have at most {MAX_LINE_QUANTITY} of one piece in your cart.")
            } else if held > 0 {
                format!("Only {limit} left, and your cart already holds {held}.")
            } else {
                format!("Only {limit} left.")
            };
            return Err(ShopError::Refused(message));
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
        .map_err(failed)?;
        let (count,): (i64,) = sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(ci.quantity), 0) AS BIGINT) FROM cart_items ci \
             JOIN products p ON p.id = ci.product_id WHERE ci.cart_id = $1 AND p.archived = 0",
        )
        .bind(&cart)
        .fetch_one(&mut *tx)
        .await
        .map_err(failed)?;
        tx.commit().await.map_err(failed)?;
        Ok(AddedToCart {
            product,
            added: quantity,
            line_quantity: held + quantity,
            cart_item_count: count.max(0) as u32,
        })
    }

    async fn set_quantity(&self, owner: &CartOwner, product_id: &str, quantity: u32) -> Result<CartView, ShopError> {
        let failed = unavailable("changing a cart");
        let (mut tx, cart) = begin_cart_write(&self.pool, owner).await.map_err(failed)?;
        if quantity == 0 {
            sqlx::query("DELETE FROM cart_items WHERE cart_id = $1 AND product_id = $2")
                .bind(&cart)
                .bind(product_id)
                .execute(&mut *tx)
                .await
                .map_err(failed)?;
        } else {
            let stock: Option<(i64, String)> =
                sqlx::query_as("SELECT stock, name FROM products WHERE id = $1 AND archived = 0")
                    .bind(product_id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(failed)?;
            let Some((stock, name)) = stock else {
                return Err(ShopError::Refused("This piece is no longer available.".into()));
            };
            let limit = max_quantity(stock);
            if quantity > limit {
                return Err(ShopError::Refused(match limit {
                    0 => format!("Sorry, {name} is sold out. Remove it to check out."),
                    MAX_LINE_QUANTITY => format!("You can have at most {MAX_LINE_QUANTITY} of one piece in your cart."),
                    n => format!("Only {n} of {name} left."),
                }));
            }
            sqlx::query("UPDATE cart_items SET quantity = $1 WHERE cart_id = $2 AND product_id = $3")
                .bind(i64::from(quantity))
                .bind(&cart)
                .bind(product_id)
                .execute(&mut *tx)
                .await
                .map_err(failed)?;
        }
        let view = self.cart_view(&mut *tx, &cart).await.map_err(failed)?;
        tx.commit().await.map_err(failed)?;
        Ok(view)
    }

    async fn place_order(
        &self,
        owner: &CartOwner,
        details: &ShippingDetails,
        request: &RequestContext,
    ) -> Result<CheckoutOutcome, ShopError> {
        let failed = unavailable("placing an order");
        let (mut tx, cart) = begin_cart_write(&self.pool, owner).await.map_err(failed)?;
        let view = self.cart_view(&mut *tx, &cart).await.map_err(failed)?;
        if view.is_empty() {
            return Ok(CheckoutOutcome::EmptyCart);
        }
        if let Some(line) = view.over_stock().next() {
            return Ok(CheckoutOutcome::StockChanged(match line.product.stock {
                0 => format!("Sorry, {} has just sold out. Remove it from your cart to continue.", line.product.name),
                n => format!("Only {n} of {} left. Lower the quantity in your cart to continue.", line.product.name),
            }));
        }
        let placed_at = now();
        for line in &view.lines {
            let taken =
                sqlx::query("UPDATE products SET stock = stock - $1, updated_at = $2 WHERE id = $3 AND stock >= $1")
                    .bind(i64::from(line.quantity))
                    .bind(&placed_at)
                    .bind(&line.product.id)
                    .execute(&mut *tx)
                    .await
                    .map_err(failed)?;
            if taken.rows_affected() != 1 {
                return Ok(CheckoutOutcome::StockChanged(format!(
                    "{} sold out while you were checking out. Your cart is unchanged.",
                    line.product.name
                )));
            }
        }
        let subtotal = view.subtotal();
        let shipping = Money::ZERO;
        let total = subtotal.checked_add(shipping).ok_or(ShopError::Unavailable)?;
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
        .bind(subtotal.cents())
        .bind(shipping.cents())
        .bind(total.cents())
        .bind(jewelry::SHOP_CURRENCY)
        .bind(&placed_at)
        .bind(request.identity.user_id())
        .execute(&mut *tx)
        .await
        .map_err(failed)?;
        for (line_no, line) in view.lines.iter().enumerate() {
            sqlx::query(
                "INSERT INTO order_lines (order_id, line_no, product_id, name, brand, unit_price_cents, quantity, \
                 line_total_cents) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&order_id)
            .bind(line_no as i64 + 1)
            .bind(&line.product.id)
            .bind(&line.product.name)
            .bind(&line.product.brand)
            .bind(line.unit_price().cents())
            .bind(i64::from(line.quantity))
            .bind(line.total().cents())
            .execute(&mut *tx)
            .await
            .map_err(failed)?;
        }
        sqlx::query("DELETE FROM cart_items WHERE cart_id = $1").bind(&cart).execute(&mut *tx).await.map_err(failed)?;
        tx.commit().await.map_err(failed)?;

        let item_count = view.item_count();
        BusinessLine::order_placed(
            &order_id,
            total.as_units(),
            jewelry::SHOP_CURRENCY,
            item_count,
            view.lines.len(),
            request,
        )
        .emit(&self.logs);
        Ok(CheckoutOutcome::Placed { order_id, total, currency: jewelry::SHOP_CURRENCY.to_owned(), item_count })
    }

    async fn order(&self, order_id: &str, viewer: &OrderViewer) -> Result<Option<OrderView>, ShopError> {
        let failed = unavailable("loading an order");
        // The user who placed it, or the browser whose cart did; nobody else.
        let mut args = AnyArguments::default();
        let mut allowed = Vec::new();
        args.add(order_id.to_owned()).map_err(|_| ShopError::Unavailable)?;
        if let Some(user) = &viewer.user_id {
            args.add(user.clone()).map_err(|_| ShopError::Unavailable)?;
            allowed.push(format!("user_id = ${}", allowed.len() + 2));
        }
        if let Some(cart) = &viewer.cart {
            args.add(cart.to_string()).map_err(|_| ShopError::Unavailable)?;
            allowed.push(format!("cart_id = ${}", allowed.len() + 2));
        }
        if allowed.is_empty() {
            return Ok(None);
        }
        let sql = format!(
            "SELECT id, status, email, full_name, phone, address_line1, address_line2, city, region, postal_code, \
             country, payment_method, subtotal_cents, shipping_cents, total_cents, currency, created_at \
             FROM orders WHERE id = $1 AND ({})",
            allowed.join(" OR ")
        );
        let row: Option<OrderRow> = sqlx::query_as_with(&sql, args).fetch_optional(&self.pool).await.map_err(failed)?;
        let Some(o) = row else { return Ok(None) };
        let lines: Vec<OrderLineRow> = sqlx::query_as(
            "SELECT product_id, name, brand, unit_price_cents, quantity, line_total_cents \
             FROM order_lines WHERE order_id = $1 ORDER BY line_no",
        )
        .bind(order_id)
        .fetch_all(&self.pool)
        .await
        .map_err(failed)?;
        let mut address = vec![o.address_line1];
        address.extend(o.address_line2);
        address.push(match o.region {
            Some(region) => format!("{}, {region} {}", o.city, o.postal_code),
            None => format!("{} {}", o.city, o.postal_code),
        });
        address.push(country_name(&o.country).unwrap_or(&o.country).to_owned());
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
                    name: l.name,
                    brand: l.brand,
                    unit_price: Money::from_cents(l.unit_price_cents),
                    quantity: l.quantity.clamp(0, i64::from(u32::MAX)) as u32,
                    line_total: Money::from_cents(l.line_total_cents),
                })
                .collect(),
            subtotal: Money::from_cents(o.subtotal_cents),
            shipping: Money::from_cents(o.shipping_cents),
            total: Money::from_cents(o.total_cents),
            currency: o.currency,
        }))
    }

    async fn orders_of(&self, user_id: &str) -> Result<Vec<OrderSummary>, ShopError> {
        let rows: Vec<OrderSummaryRow> =
            sqlx::query_as(&format!("{ORDER_SUMMARY} WHERE o.user_id = $1 ORDER BY o.created_at DESC, o.id LIMIT 100"))
                .bind(user_id)
                .fetch_all(&self.pool)
                .await
                .map_err(unavailable("loading a user's orders"))?;
        Ok(rows.into_iter().map(|r| r.into_summary(false)).collect())
    }

    async fn admin_overview(&self) -> Result<AdminOverview, ShopError> {
        let failed = unavailable("loading the admin overview");
        let (order_count, revenue, customers): (i64, i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), CAST(COALESCE(SUM(total_cents), 0) AS BIGINT), \
             COUNT(DISTINCT COALESCE(user_id, cart_id)) FROM orders",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(failed)?;
        let recent: Vec<OrderSummaryRow> =
            sqlx::query_as(&format!("{ORDER_SUMMARY} ORDER BY o.created_at DESC, o.id LIMIT 20"))
                .fetch_all(&self.pool)
                .await
                .map_err(failed)?;
        Ok(AdminOverview {
            order_count,
            revenue: Money::from_cents(revenue),
            customers,
            recent: recent.into_iter().map(|r| r.into_summary(true)).collect(),
        })
    }

    async fn admin_products(&self, search: &str) -> Result<Vec<AdminProductRow>, ShopError> {
        #[derive(FromRow)]
        struct Row {
            id: String,
            name: String,
            brand: String,
            category_name: String,
            price_cents: i64,
            discount_price_cents: Option<i64>,
            stock: i64,
            featured: i64,
            archived: i64,
            image_count: i64,
        }
        let query = CatalogQuery::default().with_search(search);
        let mut args = AnyArguments::default();
        let mut filter = String::new();
        for (n, pattern) in query.search_patterns().into_iter().enumerate() {
            args.add(pattern).map_err(|_| ShopError::Unavailable)?;
            let n = n + 1;
            filter.push_str(&format!(
                " AND (LOWER(p.name) LIKE ${n} ESCAPE '\\' OR LOWER(p.brand) LIKE ${n} ESCAPE '\\' \
                 OR LOWER(p.id) LIKE ${n} ESCAPE '\\')"
            ));
        }
        let sql = format!(
            "SELECT p.id, p.name, p.brand, c.name AS category_name, p.price_cents, p.discount_price_cents, p.stock, \
             p.featured, p.archived, \
             (SELECT COUNT(*) FROM product_images i WHERE i.product_id = p.id) AS image_count \
             {SUMMARY_FROM} WHERE 1 = 1{filter} ORDER BY p.archived, p.name, p.id"
        );
        let rows: Vec<Row> =
            sqlx::query_as_with(&sql, args).fetch_all(&self.pool).await.map_err(unavailable("listing products"))?;
        Ok(rows
            .into_iter()
            .map(|r| AdminProductRow {
                id: r.id,
                name: r.name,
                brand: r.brand,
                category_name: r.category_name,
                price: Money::from_cents(r.price_cents),
                discount_price: r.discount_price_cents.map(Money::from_cents),
                stock: r.stock,
                featured: r.featured != 0,
                archived: r.archived != 0,
                image_count: r.image_count,
            })
            .collect())
    }

    async fn admin_product(&self, id: &str) -> Result<Option<AdminProduct>, ShopError> {
        #[derive(FromRow)]
        struct Row {
            id: String,
            name: String,
            brand: String,
            category_id: String,
            description: String,
            price_cents: i64,
            discount_price_cents: Option<i64>,
            stock: i64,
            featured: i64,
            archived: i64,
            version: i64,
        }
        let failed = unavailable("loading a product to edit");
        let row: Option<Row> = sqlx::query_as(
            "SELECT id, name, brand, category_id, description, price_cents, discount_price_cents, stock, featured, \
             archived, version FROM products WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(failed)?;
        let Some(r) = row else { return Ok(None) };
        let images = crate::media::images_of(&self.pool, id).await.map_err(failed)?;
        Ok(Some(AdminProduct {
            input: ProductInput {
                id: r.id,
                name: r.name,
                brand: r.brand,
                category_id: r.category_id,
                description: r.description,
                price: Money::from_cents(r.price_cents).to_units_string(),
                discount_price: r
                    .discount_price_cents
                    .map(|c| Money::from_cents(c).to_units_string())
                    .unwrap_or_default(),
                stock: r.stock.to_string(),
                featured: (r.featured != 0).then(|| "on".to_owned()),
                version: r.version.to_string(),
            },
            archived: r.archived != 0,
            version: r.version,
            images,
        }))
    }

    async fn save_product(&self, p: &ValidProduct, request: &RequestContext) -> Result<SaveOutcome, ShopError> {
        let failed = unavailable("saving a product");
        let now = now();
        let mut tx = self.pool.begin().await.map_err(failed)?;
        let (action, version) = match p.version {
            None => {
                let exists: Option<(String,)> = sqlx::query_as("SELECT id FROM products WHERE id = $1")
                    .bind(&p.id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(failed)?;
                if exists.is_some() {
                    let mut errors = jewelry::checkout::FieldErrors::new();
                    errors.insert("id".into(), "A product with this id exists already: choose another.".into());
                    return Ok(SaveOutcome::Invalid(errors));
                }
                bind_product(
                    sqlx::query(
                        "INSERT INTO products (name, brand, category_id, description, price_cents, \
                         discount_price_cents, stock, featured, created_at, updated_at, id, archived, version) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, 0, 1)",
                    ),
                    p,
                    &now,
                )
                .execute(&mut *tx)
                .await
                .map_err(failed)?;
                ("create", 1)
            }
            Some(version) => {
                let updated = bind_product(
                    sqlx::query(
                        "UPDATE products SET name = $1, brand = $2, category_id = $3, description = $4, \
                         price_cents = $5, discount_price_cents = $6, stock = $7, featured = $8, \
                         updated_at = $9, version = version + 1 WHERE id = $10 AND version = $11",
                    ),
                    p,
                    &now,
                )
                .bind(version)
                .execute(&mut *tx)
                .await
                .map_err(failed)?;
                if updated.rows_affected() != 1 {
                    return self.conflict_or_missing(&p.id).await;
                }
                ("update", version + 1)
            }
        };
        tx.commit().await.map_err(failed)?;
        CrudLine::new("product", action, &p.id, Some(version), request).emit(&self.logs);
        Ok(SaveOutcome::Saved { id: p.id.clone(), version })
    }

    async fn set_archived(
        &self,
        id: &str,
        version: i64,
        archived: bool,
        request: &RequestContext,
    ) -> Result<SaveOutcome, ShopError> {
        let updated = sqlx::query(
            "UPDATE products SET archived = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND version = $4",
        )
        .bind(i64::from(archived))
        .bind(now())
        .bind(id)
        .bind(version)
        .execute(&self.pool)
        .await
        .map_err(unavailable("archiving a product"))?;
        if updated.rows_affected() != 1 {
            return self.conflict_or_missing(id).await;
        }
        CrudLine::new("product", if archived { "archive" } else { "restore" }, id, Some(version + 1), request)
            .emit(&self.logs);
        Ok(SaveOutcome::Saved { id: id.to_owned(), version: version + 1 })
    }
}
