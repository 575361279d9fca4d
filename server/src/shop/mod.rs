//! The shop's storage in SQL, behind the services the server functions call
//! (`jewelry_app::services`): the catalog, carts, orders and the admins' products,
//! a file each; the rows and queries they share are here. Prices always come from here.

mod cache;
mod cart;
mod catalog;
mod orders;
mod products;
mod search;
mod variants;

pub(crate) use products::images_of;

use crate::db::Database;
use crate::insights::ShopDays;
use crate::logs::LogSink;
use crate::logs::lines::{BusinessLine, CrudAction, CrudLine, Entity};
use crate::logs::rfc3339_millis;
use crate::mail::Mailer;
use async_trait::async_trait;
use jewelry::admin::{AdminProduct, AdminProductRow, ProductInput, SaveOutcome, ValidProduct};
use jewelry::cart::{AddedToCart, CartLine, CartRefusal, CartView, LineVariant, MAX_LINE_QUANTITY, max_quantity};
use jewelry::catalog::{
    CatalogPage, CatalogQuery, Category, HomePage, PAGE_SIZE, ProductDetail, ProductImage, ProductSummary, SortOrder,
    page_count,
};
use jewelry::checkout::{PAYMENT_CASH_ON_DELIVERY, ShippingDetails, VIETNAM, country_name};
use jewelry::order::{AdminOverview, CheckoutOutcome, OrderLine, OrderSummary, OrderView, order_id_from};
use jewelry::text::fill;
use jewelry::variant::{OptionKind, OptionValue, ProductOption};
use jewelry::{Currency, Locale, Localized, Money};
use jewelry_app::error::{During, Failure, ShopError};
use jewelry_app::request::{CartId, CartOwner, OrderViewer, RequestContext};
use jewelry_app::services::{Carts, Catalog, Orders, Products};
use sqlx::any::AnyArguments;
use sqlx::{Arguments, FromRow};
use std::sync::Arc;
use time::OffsetDateTime;

pub use cache::CatalogCache;

pub struct SqlShop {
    pool: Database,
    logs: LogSink,
    /// The catalog's reads, told of every change made here.
    cache: Arc<CatalogCache>,
    /// The day an order counts on in the insights.
    days: ShopDays,
    /// What prices are in (the database holds it too: [`crate::db::settle_currency`]).
    currency: Currency,
    /// Writes an order's emails to the outbox, in the order's transaction.
    mailer: Mailer,
}

/// What a [`SqlShop`] is made of.
pub struct ShopParts {
    pub pool: Database,
    pub logs: LogSink,
    pub cache: Arc<CatalogCache>,
    pub days: ShopDays,
    pub currency: Currency,
    pub mailer: Mailer,
}

impl SqlShop {
    pub fn new(parts: ShopParts) -> Self {
        let ShopParts { pool, logs, cache, days, currency, mailer } = parts;
        SqlShop { pool, logs, cache, days, currency, mailer }
    }
}

fn now() -> String {
    rfc3339_millis(OffsetDateTime::now_utc())
}

/// A product's total stock (of `p`): its live variants'.
macro_rules! product_stock {
    () => {
        "(SELECT CAST(COALESCE(SUM(v.stock), 0) AS BIGINT) FROM product_variants v \
         WHERE v.product_id = p.id AND v.archived = 0)"
    };
}

/// [`product_stock`] for `format!`.
const PRODUCT_STOCK: &str = product_stock!();

/// A product's first image, `column` of it: one of the product's own before any
/// of a variant's.
macro_rules! first_image {
    ($column:literal, $alias:literal) => {
        concat!(
            "(SELECT i.",
            $column,
            " FROM product_images i WHERE i.product_id = p.id ORDER BY (i.variant_id IS NOT NULL), i.position, i.id \
             LIMIT 1) AS ",
            $alias
        )
    };
}

/// A variant's first image, `column` of it: its own before the product's.
macro_rules! variant_image {
    ($column:literal, $alias:literal) => {
        concat!(
            "(SELECT i.",
            $column,
            " FROM product_images i WHERE i.product_id = p.id AND (i.variant_id IS NULL OR i.variant_id = v.id) \
             ORDER BY (i.variant_id IS NULL), i.position, i.id LIMIT 1) AS ",
            $alias
        )
    };
}

const SUMMARY_COLUMNS: &str = concat!(
    "p.id, p.name, p.name_vi, p.brand, p.category_id, c.name AS category_name, c.name_vi AS category_name_vi, \
     p.price_cents, p.discount_price_cents, ",
    product_stock!(),
    " AS stock, ",
    first_image!("url", "image_url"),
    ", ",
    first_image!("alt", "image_alt"),
    ", ",
    first_image!("alt_vi", "image_alt_vi")
);
const SUMMARY_FROM: &str = "FROM products p JOIN categories c ON c.id = p.category_id";

/// A variant's prices (of `v`, with its product `p`): its own pair when it has
/// a price of its own, else the product's price and discount.
macro_rules! variant_prices {
    () => {
        "COALESCE(v.price_cents, p.price_cents) AS price_cents, \
         CASE WHEN v.price_cents IS NULL THEN p.discount_price_cents ELSE v.discount_price_cents END \
         AS discount_price_cents"
    };
}

/// [`variant_prices`] for `format!`.
const VARIANT_PRICES: &str = variant_prices!();

/// A variant as a cart line shows it ([`LineRow`]): the product, with the
/// variant's price (its own, or the product's), stock and first image.
const LINE_COLUMNS: &str = concat!(
    "p.id, p.name, p.name_vi, p.brand, p.category_id, c.name AS category_name, c.name_vi AS category_name_vi, ",
    variant_prices!(),
    ", v.stock, ",
    variant_image!("url", "image_url"),
    ", ",
    variant_image!("alt", "image_alt"),
    ", ",
    variant_image!("alt_vi", "image_alt_vi"),
    ", v.id AS variant_id, v.sku, v.option1, v.option2, v.option3"
);
const LINE_FROM: &str =
    "FROM product_variants v JOIN products p ON p.id = v.product_id JOIN categories c ON c.id = p.category_id";

#[derive(FromRow)]
struct SummaryRow {
    id: String,
    name: String,
    name_vi: String,
    brand: String,
    category_id: String,
    category_name: String,
    category_name_vi: String,
    price_cents: i64,
    discount_price_cents: Option<i64>,
    stock: i64,
    image_url: Option<String>,
    image_alt: Option<String>,
    image_alt_vi: Option<String>,
}

impl From<SummaryRow> for ProductSummary {
    fn from(r: SummaryRow) -> Self {
        let name = Localized::new(r.name_vi, r.name);
        ProductSummary {
            image: r.image_url.map(|url| ProductImage {
                url,
                alt: Localized::new(r.image_alt_vi.unwrap_or_default(), r.image_alt.unwrap_or_default()),
            }),
            id: r.id,
            name,
            brand: r.brand,
            category_id: r.category_id,
            category_name: Localized::new(r.category_name_vi, r.category_name),
            price: Money::from_minor(r.price_cents),
            discount_price: r.discount_price_cents.map(Money::from_minor),
            stock: r.stock,
        }
    }
}

#[derive(FromRow)]
struct CategoryRow {
    id: String,
    name: String,
    name_vi: String,
    description: String,
    description_vi: String,
    product_count: i64,
}

/// A variant with its product, selected with [`LINE_COLUMNS`].
#[derive(FromRow)]
struct LineRow {
    #[sqlx(flatten)]
    summary: SummaryRow,
    variant_id: String,
    sku: String,
    option1: Option<String>,
    option2: Option<String>,
    option3: Option<String>,
}

impl LineRow {
    /// The product (its price and stock the variant's) and the variant, its
    /// options named from the product's `options`.
    fn into_line(self, options: &[ProductOption]) -> (ProductSummary, LineVariant) {
        let values: Vec<String> = [self.option1, self.option2, self.option3].into_iter().flatten().collect();
        let variant =
            LineVariant { id: self.variant_id, sku: self.sku, options: jewelry::variant::describe(options, &values) };
        (self.summary.into(), variant)
    }
}

#[derive(FromRow)]
struct CartRow {
    #[sqlx(flatten)]
    line: LineRow,
    quantity: i64,
}

/// A product's options with their values, in their order.
async fn options_of(conn: &mut sqlx::AnyConnection, product_id: &str) -> Result<Vec<ProductOption>, sqlx::Error> {
    let options: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT position, kind, name, name_vi FROM product_options WHERE product_id = $1 ORDER BY position",
    )
    .bind(product_id)
    .fetch_all(&mut *conn)
    .await?;
    if options.is_empty() {
        return Ok(Vec::new());
    }
    let values: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT option_position, code, value, value_vi FROM product_option_values WHERE product_id = $1 \
         ORDER BY option_position, position, code",
    )
    .bind(product_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(options
        .into_iter()
        .map(|(position, kind, name, name_vi)| ProductOption {
            kind: OptionKind::parse(&kind).unwrap_or_default(),
            name: Localized::new(name_vi, name),
            values: values
                .iter()
                .filter(|(p, ..)| *p == position)
                .map(|(_, code, value, value_vi)| OptionValue {
                    code: code.clone(),
                    label: Localized::new(value_vi.clone(), value.clone()),
                })
                .collect(),
        })
        .collect())
}

/// Names the variants of `rows` from their products' options, each product's
/// read once.
async fn into_lines(
    conn: &mut sqlx::AnyConnection,
    rows: Vec<LineRow>,
) -> Result<Vec<(ProductSummary, LineVariant)>, sqlx::Error> {
    let mut known: std::collections::HashMap<String, Vec<ProductOption>> = std::collections::HashMap::new();
    let mut lines = Vec::with_capacity(rows.len());
    for row in rows {
        if !known.contains_key(&row.summary.id) {
            known.insert(row.summary.id.clone(), options_of(conn, &row.summary.id).await?);
        }
        let options = &known[&row.summary.id];
        lines.push(row.into_line(options));
    }
    Ok(lines)
}

/// An order as stored: selected with [`ORDER_COLUMNS`] (the order page, a
/// shopper's download of their data).
#[derive(FromRow)]
pub(crate) struct OrderRow {
    pub id: String,
    pub status: String,
    pub email: String,
    pub full_name: String,
    pub phone: String,
    pub address_line1: String,
    pub address_line2: Option<String>,
    pub city: String,
    pub region: Option<String>,
    pub postal_code: String,
    pub country: String,
    pub payment_method: String,
    pub subtotal_cents: i64,
    pub shipping_cents: i64,
    pub total_cents: i64,
    pub currency: String,
    pub created_at: String,
    pub version: i64,
    pub user_id: Option<String>,
}

/// The columns of an [`OrderRow`].
pub(crate) const ORDER_COLUMNS: &str = "id, status, email, full_name, phone, address_line1, address_line2, city, \
     region, postal_code, country, payment_method, subtotal_cents, shipping_cents, total_cents, currency, created_at, \
     version, user_id";

#[derive(FromRow)]
pub(crate) struct OrderLineRow {
    pub product_id: String,
    pub variant_id: Option<String>,
    pub sku: Option<String>,
    pub options: String,
    pub name: String,
    pub brand: String,
    pub unit_price_cents: i64,
    pub quantity: i64,
    pub line_total_cents: i64,
}

/// An order's lines, in their order.
pub(crate) async fn order_lines(pool: &Database, order_id: &str) -> Result<Vec<OrderLineRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT product_id, variant_id, sku, options, name, brand, unit_price_cents, quantity, line_total_cents \
         FROM order_lines WHERE order_id = $1 ORDER BY line_no",
    )
    .bind(order_id)
    .fetch_all(pool)
    .await
}

/// A catalog query's `WHERE` clause and its arguments, for a query without a
/// search (a search is answered from memory: [`search`]).
fn catalog_filter(query: &CatalogQuery) -> Result<(String, AnyArguments<'static>), Failure> {
    let mut sql = String::from(" WHERE p.archived = 0");
    let mut args = AnyArguments::default();
    if let Some(category) = &query.category {
        args.add(category.clone()).during("binding the catalog query")?;
        sql.push_str(" AND p.category_id = $1");
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
    async fn categories_list(&self) -> Result<Vec<Category>, Failure> {
        let rows: Vec<CategoryRow> = sqlx::query_as(
            "SELECT c.id, c.name, c.name_vi, c.description, c.description_vi, \
             (SELECT COUNT(*) FROM products p WHERE p.category_id = c.id AND p.archived = 0) AS product_count \
             FROM categories c ORDER BY c.position, c.name",
        )
        .fetch_all(&self.pool)
        .await
        .during("loading categories")?;
        Ok(rows
            .into_iter()
            .map(|r| Category {
                id: r.id,
                name: Localized::new(r.name_vi, r.name),
                description: Localized::new(r.description_vi, r.description),
                product_count: r.product_count,
            })
            .collect())
    }

    async fn cart_view(&self, conn: &mut sqlx::AnyConnection, cart: &str) -> Result<CartView, sqlx::Error> {
        let rows: Vec<CartRow> = sqlx::query_as(&format!(
            "SELECT {LINE_COLUMNS}, ci.quantity FROM cart_items ci JOIN product_variants v ON v.id = ci.variant_id \
             JOIN products p ON p.id = v.product_id JOIN categories c ON c.id = p.category_id \
             WHERE ci.cart_id = $1 AND p.archived = 0 AND v.archived = 0 ORDER BY ci.added_at, v.product_id, v.position"
        ))
        .bind(cart)
        .fetch_all(&mut *conn)
        .await?;
        let quantities: Vec<i64> = rows.iter().map(|r| r.quantity).collect();
        let lines = into_lines(conn, rows.into_iter().map(|r| r.line).collect()).await?;
        Ok(CartView {
            lines: lines
                .into_iter()
                .zip(quantities)
                .map(|((product, variant), quantity)| CartLine {
                    product,
                    variant,
                    quantity: quantity.clamp(0, i64::from(u32::MAX)) as u32,
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
            total: Money::from_minor(self.total_cents),
            email: with_email.then_some(self.email),
        }
    }
}

const ORDER_SUMMARY: &str = "SELECT o.id, o.created_at, o.status, o.total_cents, o.email, \
    (SELECT CAST(COALESCE(SUM(l.quantity), 0) AS BIGINT) FROM order_lines l WHERE l.order_id = o.id) AS item_count \
    FROM orders o";

/// Binds a product's fields as `$1`..`$9`: name, brand, category, description
/// (the English ones: the Vietnamese are written beside, see `vietnamese_texts`),
/// price, sale price, featured, the time, and the id last. (Its stock is its
/// variants'.)
fn bind_product<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, AnyArguments<'q>>,
    p: &'q ValidProduct,
    now: &'q str,
) -> sqlx::query::Query<'q, sqlx::Any, AnyArguments<'q>> {
    query
        .bind(&p.name.en)
        .bind(&p.brand)
        .bind(&p.category_id)
        .bind(&p.description.en)
        .bind(p.price.minor())
        .bind(p.discount_price.map(Money::minor))
        .bind(i64::from(p.featured))
        .bind(now)
        .bind(&p.id)
}

impl SqlShop {
    /// After a versioned write changed nothing: someone saved first, or the product is gone.
    async fn conflict_or_missing(&self, id: &str) -> Result<SaveOutcome, Failure> {
        let current: Option<(i64,)> = sqlx::query_as("SELECT version FROM products WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .during("checking a product's version")?;
        match current {
            Some((current_version,)) => Ok(SaveOutcome::Conflict { current_version }),
            None => Err(ShopError::NotFound.into()),
        }
    }

    /// Moves a guest's cart into the user's on sign-in: quantities add up, capped
    /// by stock and the per-piece limit; the guest cart is then deleted.
    pub async fn merge_guest_cart(&self, guest: &CartId, user: &str) -> anyhow::Result<usize> {
        let (mut tx, user_cart) = begin_cart_write(&self.pool, &CartOwner::User(user.to_owned())).await?;
        let guest_view = self.cart_view(&mut tx, &guest.to_string()).await?;
        let user_view = self.cart_view(&mut tx, &user_cart).await?;
        let mut merged = 0;
        for line in &guest_view.lines {
            let held = user_view.lines.iter().find(|l| l.variant.id == line.variant.id).map_or(0, |l| l.quantity);
            let quantity = (held + line.quantity).min(max_quantity(line.product.stock));
            if quantity == 0 || quantity == held {
                continue;
            }
            sqlx::query(
                "INSERT INTO cart_items (cart_id, variant_id, quantity, added_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (cart_id, variant_id) DO UPDATE SET quantity = excluded.quantity",
            )
            .bind(&user_cart)
            .bind(&line.variant.id)
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
