//! The demo catalog (`server/seed/catalog.json`), added to an empty database so the
//! shop has something to sell on first start. Images are the SVGs the project
//! draws itself (`scripts/gen-catalog-images.py`), served from `/images/...`.

use crate::db::Database;
use anyhow::Context;
use jewelry::Currency;
use serde::Deserialize;
use std::collections::BTreeMap;
use time::macros::datetime;

#[derive(Deserialize)]
struct Catalog {
    categories: Vec<SeedCategory>,
    products: Vec<SeedProduct>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SeedCategory {
    id: String,
    /// In English, then Vietnamese.
    name: String,
    name_vi: String,
    description: String,
    description_vi: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SeedProduct {
    id: String,
    /// In English, then Vietnamese (as `description` and `description_vi`).
    name: String,
    name_vi: String,
    brand: String,
    category: String,
    metal: String,
    gem: String,
    /// In each currency the shop can sell in, by code, in units (`2450.0` dollars).
    price: BTreeMap<String, f64>,
    discount_price: Option<BTreeMap<String, f64>>,
    stock: i64,
    featured: bool,
    description: String,
    description_vi: String,
    /// A product sold by options: every combination of their values is a variant
    /// (but those in `not_made`), its SKU the prefix and the values' `sku` parts.
    #[serde(default)]
    sku_prefix: String,
    #[serde(default)]
    options: Vec<SeedOption>,
    /// Each variant's stock, by its values' codes joined with `/`; else `default`.
    #[serde(default)]
    variant_stock: BTreeMap<String, i64>,
    #[serde(default)]
    not_made: Vec<String>,
}

#[derive(Deserialize)]
struct SeedOption {
    kind: String,
    name: String,
    #[serde(rename = "nameVi")]
    name_vi: String,
    values: Vec<SeedValue>,
}

#[derive(Deserialize)]
struct SeedValue {
    code: String,
    en: String,
    vi: String,
    sku: String,
    /// The variants with this value have their own price (no discount).
    price: Option<BTreeMap<String, f64>>,
}

const CATALOG: &str = include_str!("../seed/catalog.json");

/// The price in `currency`'s minor unit, from the catalog's prices by currency.
fn price_in(prices: &BTreeMap<String, f64>, currency: Currency, product: &str) -> anyhow::Result<i64> {
    let units = prices
        .get(currency.code())
        .with_context(|| format!("seed/catalog.json has no {currency} price for {product}"))?;
    Ok((units * 10_f64.powi(currency.minor_digits() as i32)).round() as i64)
}

fn alt_text(p: &SeedProduct) -> String {
    let metal = match p.metal.as_str() {
        "gold" => "yellow gold",
        "rose" => "rose gold",
        "silver" => "sterling silver",
        other => other,
    };
    match p.gem.as_str() {
        "none" => format!("{} in {metal}", p.name),
        gem => format!("{} in {metal} with {gem}", p.name),
    }
}

/// The image's alt text in Vietnamese: the piece, its metal and its stone.
fn alt_text_vi(p: &SeedProduct) -> String {
    let metal = match p.metal.as_str() {
        "gold" => "vàng",
        "rose" => "vàng hồng",
        "silver" => "bạc 925",
        "platinum" => "bạch kim",
        other => other,
    };
    let gem = match p.gem.as_str() {
        "diamond" => "kim cương",
        "pearl" => "ngọc trai",
        "emerald" => "ngọc lục bảo",
        "ruby" => "hồng ngọc",
        "amethyst" => "thạch anh tím",
        other => other,
    };
    match p.gem.as_str() {
        "none" => format!("{} bằng {metal}", p.name_vi),
        _ => format!("{} bằng {metal} đính {gem}", p.name_vi),
    }
}

/// Adds the catalog, priced in `currency`, if there are no categories yet; answers
/// whether it did.
pub async fn seed_if_empty(pool: &Database, currency: Currency) -> anyhow::Result<bool> {
    let (existing,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM categories").fetch_one(pool).await.context("counting categories")?;
    if existing > 0 {
        return Ok(false);
    }
    let catalog: Catalog = serde_json::from_str(CATALOG).context("reading seed/catalog.json")?;
    let mut tx = pool.begin().await?;
    for (position, c) in catalog.categories.iter().enumerate() {
        sqlx::query(
            "INSERT INTO categories (id, name, name_vi, description, description_vi, position) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&c.id)
        .bind(&c.name)
        .bind(&c.name_vi)
        .bind(&c.description)
        .bind(&c.description_vi)
        .bind(position as i64)
        .execute(&mut *tx)
        .await
        .with_context(|| format!("adding category {}", c.id))?;
    }
    // Spread over the months before launch, so "newest" has a meaningful order.
    let first = datetime!(2026-03-02 09:00 UTC);
    for (i, p) in catalog.products.iter().enumerate() {
        let created = crate::logs::rfc3339_millis(first + time::Duration::days(((i * 37) % 240) as i64));
        sqlx::query(
            "INSERT INTO products (id, name, brand, category_id, description, price_cents, discount_price_cents, \
             featured, archived, version, created_at, updated_at, name_vi, description_vi) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, 1, $9, $9, $10, $11)",
        )
        .bind(&p.id)
        .bind(&p.name)
        .bind(&p.brand)
        .bind(&p.category)
        .bind(&p.description)
        .bind(price_in(&p.price, currency, &p.id)?)
        .bind(p.discount_price.as_ref().map(|d| price_in(d, currency, &p.id)).transpose()?)
        .bind(i64::from(p.featured))
        .bind(&created)
        .bind(&p.name_vi)
        .bind(&p.description_vi)
        .execute(&mut *tx)
        .await
        .with_context(|| format!("adding product {}", p.id))?;
        // Its metal for the catalog's filter, unless it sells by metal.
        let metal = match p.metal.as_str() {
            "gold" => Some(jewelry::variant::Metal::YellowGold),
            "rose" => Some(jewelry::variant::Metal::RoseGold),
            "silver" => Some(jewelry::variant::Metal::Silver),
            "platinum" => Some(jewelry::variant::Metal::Platinum),
            _ => None,
        }
        .filter(|_| !p.options.iter().any(|o| o.kind == "metal"));
        sqlx::query("UPDATE products SET metal = $1 WHERE id = $2")
            .bind(metal.map(|m| m.code()))
            .bind(&p.id)
            .execute(&mut *tx)
            .await
            .with_context(|| format!("setting the metal of {}", p.id))?;
        sqlx::query("INSERT INTO product_images (product_id, url, alt, alt_vi, position) VALUES ($1, $2, $3, $4, 0)")
            .bind(&p.id)
            .bind(format!("/images/products/{}.svg", p.id))
            .bind(alt_text(p))
            .bind(alt_text_vi(p))
            .execute(&mut *tx)
            .await
            .with_context(|| format!("adding the image of {}", p.id))?;
        add_variants(&mut tx, p, currency, &created)
            .await
            .with_context(|| format!("adding the variants of {}", p.id))?;
    }
    tx.commit().await?;
    Ok(true)
}

/// The product's options and variants; without options, its one default variant
/// (its id the product's), holding its stock.
async fn add_variants(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    p: &SeedProduct,
    currency: Currency,
    created: &str,
) -> anyhow::Result<()> {
    let insert = "INSERT INTO product_variants (id, product_id, sku, option1, option2, option3, price_cents, stock, \
                  position, archived, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, $10, $10)";
    if p.options.is_empty() {
        sqlx::query(insert)
            .bind(&p.id)
            .bind(&p.id)
            .bind(p.id.to_uppercase())
            .bind(None::<String>)
            .bind(None::<String>)
            .bind(None::<String>)
            .bind(None::<i64>)
            .bind(p.stock)
            .bind(1_i64)
            .bind(created)
            .execute(&mut **tx)
            .await?;
        return Ok(());
    }
    for (position, option) in p.options.iter().enumerate() {
        sqlx::query(
            "INSERT INTO product_options (product_id, position, kind, name, name_vi) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&p.id)
        .bind(position as i64 + 1)
        .bind(&option.kind)
        .bind(&option.name)
        .bind(&option.name_vi)
        .execute(&mut **tx)
        .await?;
        for (value_position, value) in option.values.iter().enumerate() {
            sqlx::query(
                "INSERT INTO product_option_values (product_id, option_position, code, position, value, value_vi) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&p.id)
            .bind(position as i64 + 1)
            .bind(&value.code)
            .bind(value_position as i64)
            .bind(&value.en)
            .bind(&value.vi)
            .execute(&mut **tx)
            .await?;
        }
    }
    // Every combination, the first option varying slowest.
    let lists: Vec<&[SeedValue]> = p.options.iter().map(|o| o.values.as_slice()).collect();
    let combinations = jewelry::variant::combinations(&lists);
    let mut position = 0_i64;
    for values in combinations {
        let key = values.iter().map(|v| v.code.as_str()).collect::<Vec<_>>().join("/");
        if p.not_made.contains(&key) {
            continue;
        }
        position += 1;
        let codes: Vec<&str> = values.iter().map(|v| v.code.as_str()).collect();
        let sku =
            std::iter::once(p.sku_prefix.as_str()).chain(values.iter().map(|v| v.sku.as_str())).collect::<Vec<_>>();
        let price =
            values.iter().find_map(|v| v.price.as_ref()).map(|prices| price_in(prices, currency, &p.id)).transpose()?;
        let stock = p.variant_stock.get(&key).or_else(|| p.variant_stock.get("default")).copied().unwrap_or(0);
        sqlx::query(insert)
            .bind(format!("{}:{}", p.id, codes.join(":")))
            .bind(&p.id)
            .bind(sku.join("-"))
            .bind(codes.first().copied())
            .bind(codes.get(1).copied())
            .bind(codes.get(2).copied())
            .bind(price)
            .bind(stock)
            .bind(position)
            .bind(created)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
