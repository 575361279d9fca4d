//! The admins' products: listed, loaded, created and updated with a version check,
//! archived and restored; every change is logged.

use super::*;
use jewelry::admin::AdminImage;
use jewelry::catalog::ProductImage;
use jewelry::search::{Rank, SearchField, SearchTerms};
use jewelry::variant_admin::{AdminVariants, ValidBulk, ValidOptions, ValidVariantRow};

#[async_trait]
impl Products for SqlShop {
    async fn admin_products(&self, search: &str) -> Result<Vec<AdminProductRow>, Failure> {
        #[derive(FromRow)]
        struct Row {
            id: String,
            name: String,
            name_vi: String,
            brand: String,
            category_name: String,
            category_name_vi: String,
            price_cents: i64,
            discount_price_cents: Option<i64>,
            stock: i64,
            featured: i64,
            archived: i64,
            image_count: i64,
        }
        let sql = format!(
            "SELECT p.id, p.name, p.name_vi, p.brand, c.name AS category_name, c.name_vi AS category_name_vi, \
             p.price_cents, p.discount_price_cents, {PRODUCT_STOCK} AS stock, p.featured, p.archived, \
             (SELECT COUNT(*) FROM product_images i WHERE i.product_id = p.id) AS image_count \
             {SUMMARY_FROM} ORDER BY p.archived, p.name, p.id"
        );
        let mut rows: Vec<Row> = sqlx::query_as(&sql).fetch_all(&self.pool).await.during("listing products")?;
        // Searched as shoppers search ([`jewelry::search`]): by name, brand and id,
        // the best match first. Every product is read: an admin's list is short.
        if !search.trim().is_empty() {
            let terms = SearchTerms::parse(search);
            let mut ranked: Vec<(Rank, Row)> = rows
                .into_iter()
                .filter_map(|r| {
                    let name = format!("{} {}", r.name_vi, r.name);
                    let fields = [SearchField::new(&name), SearchField::new(&r.brand), SearchField::new(&r.id)];
                    terms.rank(&fields.each_ref()).map(|rank| (rank, r))
                })
                .collect();
            ranked.sort_by_key(|(rank, _)| *rank);
            rows = ranked.into_iter().map(|(_, r)| r).collect();
        }
        Ok(rows
            .into_iter()
            .map(|r| AdminProductRow {
                id: r.id,
                name: Localized::new(r.name_vi, r.name),
                brand: r.brand,
                category_name: Localized::new(r.category_name_vi, r.category_name),
                price: Money::from_minor(r.price_cents),
                discount_price: r.discount_price_cents.map(Money::from_minor),
                stock: r.stock,
                featured: r.featured != 0,
                archived: r.archived != 0,
                image_count: r.image_count,
            })
            .collect())
    }

    async fn admin_product(&self, id: &str) -> Result<Option<AdminProduct>, Failure> {
        #[derive(FromRow)]
        struct Row {
            id: String,
            name: String,
            name_vi: String,
            brand: String,
            category_id: String,
            description: String,
            description_vi: String,
            price_cents: i64,
            discount_price_cents: Option<i64>,
            stock: i64,
            featured: i64,
            archived: i64,
            version: i64,
            option_count: i64,
            metal: Option<String>,
        }
        let failed = "loading a product to edit";
        let row: Option<Row> = sqlx::query_as(&format!(
            "SELECT p.id, p.name, p.name_vi, p.brand, p.category_id, p.description, p.description_vi, p.price_cents, \
             p.discount_price_cents, {PRODUCT_STOCK} AS stock, p.featured, p.archived, p.version, \
             (SELECT COUNT(*) FROM product_options o WHERE o.product_id = p.id) AS option_count, p.metal \
             FROM products p WHERE p.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .during(failed)?;
        let Some(r) = row else { return Ok(None) };
        let images = images_of(&self.pool, id).await.during(failed)?;
        let variant_choices = match self.read_admin_variants(id).await? {
            Some(v) if !v.options.is_empty() => v
                .variants
                .into_iter()
                .filter(|v| !v.archived)
                .map(|v| {
                    let label = |locale| format!("{} ({})", jewelry::variant::options_text(&v.options, locale), v.sku);
                    jewelry::admin::VariantChoice {
                        label: Localized::new(label(Locale::Vi), label(Locale::En)),
                        id: v.id,
                    }
                })
                .collect(),
            _ => Vec::new(),
        };
        Ok(Some(AdminProduct {
            input: ProductInput {
                id: r.id,
                name: r.name,
                name_vi: r.name_vi,
                brand: r.brand,
                category_id: r.category_id,
                description: r.description,
                description_vi: r.description_vi,
                price: Money::from_minor(r.price_cents).to_input(self.currency),
                discount_price: r
                    .discount_price_cents
                    .map(|c| Money::from_minor(c).to_input(self.currency))
                    .unwrap_or_default(),
                stock: r.stock.to_string(),
                stock_was: r.stock.to_string(),
                featured: (r.featured != 0).then(|| "on".to_owned()),
                metal: r.metal.unwrap_or_default(),
                version: r.version.to_string(),
            },
            archived: r.archived != 0,
            version: r.version,
            images,
            has_options: r.option_count > 0,
            variant_choices,
        }))
    }

    async fn save_product(&self, p: &ValidProduct, request: &RequestContext) -> Result<SaveOutcome, Failure> {
        let failed = "saving a product";
        let now = now();
        let mut tx = self.pool.begin().await.during(failed)?;
        let (action, version) = match p.version {
            None => {
                let exists: Option<(String,)> = sqlx::query_as("SELECT id FROM products WHERE id = $1")
                    .bind(&p.id)
                    .fetch_optional(&mut *tx)
                    .await
                    .during(failed)?;
                if exists.is_some() {
                    let mut errors = jewelry::checkout::FieldErrors::new();
                    errors.insert("id".into(), jewelry::text::admin::words(request.locale).error_id_taken.into());
                    return Ok(SaveOutcome::Invalid(errors));
                }
                bind_product(
                    sqlx::query(
                        "INSERT INTO products (name, brand, category_id, description, price_cents, \
                         discount_price_cents, featured, created_at, updated_at, id, archived, version) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, 0, 1)",
                    ),
                    p,
                    &now,
                )
                .execute(&mut *tx)
                .await
                .during(failed)?;
                vietnamese_texts(p).execute(&mut *tx).await.during(failed)?;
                // It sells as its one default variant, which holds its stock.
                let sku = free_sku(&mut tx, &p.id.to_uppercase()).await.during(failed)?;
                sqlx::query(
                    "INSERT INTO product_variants (id, product_id, sku, stock, position, archived, created_at, \
                     updated_at) VALUES ($1, $1, $2, $3, 1, 0, $4, $4)",
                )
                .bind(&p.id)
                .bind(&sku)
                .bind(p.stock)
                .bind(&now)
                .execute(&mut *tx)
                .await
                .during(failed)?;
                (CrudAction::Create, 1)
            }
            Some(version) => {
                // The stock changes by what the admin changed in the form, in the
                // same statement as a checkout's decrement would: a sale made while
                // the form was open stays sold (writing the form's number would put
                // it back). Never below none, nor above the most one piece may have.
                let updated = bind_product(
                    sqlx::query(
                        "UPDATE products SET name = $1, brand = $2, category_id = $3, description = $4, \
                         price_cents = $5, discount_price_cents = $6, featured = $7, updated_at = $8, \
                         version = version + 1 WHERE id = $9 AND version = $10",
                    ),
                    p,
                    &now,
                )
                .bind(version)
                .execute(&mut *tx)
                .await
                .during(failed)?;
                if updated.rows_affected() != 1 {
                    return self.conflict_or_missing(&p.id).await;
                }
                // The form's stock is the default variant's, for a product without
                // options (one with options has its stock per variant).
                sqlx::query(
                    "UPDATE product_variants SET \
                     stock = CASE WHEN stock + $1 < 0 THEN 0 WHEN stock + $1 > $2 THEN $2 ELSE stock + $1 END, \
                     updated_at = $3 WHERE product_id = $4 AND archived = 0 \
                     AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = $4)",
                )
                .bind(p.stock_change.unwrap_or(0))
                .bind(jewelry::admin::MAX_STOCK)
                .bind(&now)
                .bind(&p.id)
                .execute(&mut *tx)
                .await
                .during(failed)?;
                vietnamese_texts(p).execute(&mut *tx).await.during(failed)?;
                (CrudAction::Update, version + 1)
            }
        };
        tx.commit().await.during(failed)?;
        self.cache.changed();
        self.logs.emit(&CrudLine::new(Entity::Product, action, &p.id, Some(version), request));
        Ok(SaveOutcome::Saved { id: p.id.clone(), version })
    }

    async fn set_archived(
        &self,
        id: &str,
        version: i64,
        archived: bool,
        request: &RequestContext,
    ) -> Result<SaveOutcome, Failure> {
        let updated = sqlx::query(
            "UPDATE products SET archived = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND version = $4",
        )
        .bind(i64::from(archived))
        .bind(now())
        .bind(id)
        .bind(version)
        .execute(&self.pool)
        .await
        .during("archiving a product")?;
        if updated.rows_affected() != 1 {
            return self.conflict_or_missing(id).await;
        }
        self.cache.changed();
        let action = if archived { CrudAction::Archive } else { CrudAction::Restore };
        self.logs.emit(&CrudLine::new(Entity::Product, action, id, Some(version + 1), request));
        Ok(SaveOutcome::Saved { id: id.to_owned(), version: version + 1 })
    }

    async fn admin_variants(&self, product_id: &str) -> Result<Option<AdminVariants>, Failure> {
        self.read_admin_variants(product_id).await
    }

    async fn save_options(&self, options: &ValidOptions, request: &RequestContext) -> Result<SaveOutcome, Failure> {
        self.write_options(options, request).await
    }

    async fn save_variants(
        &self,
        product_id: &str,
        version: i64,
        rows: &[ValidVariantRow],
        request: &RequestContext,
    ) -> Result<SaveOutcome, Failure> {
        self.write_variants(product_id, version, rows, request).await
    }

    async fn bulk_variants(
        &self,
        product_id: &str,
        bulk: &ValidBulk,
        request: &RequestContext,
    ) -> Result<(SaveOutcome, u32), Failure> {
        self.write_bulk(product_id, bulk, request).await
    }
}

/// A product's images in their order.
pub(crate) async fn images_of(pool: &Database, product_id: &str) -> Result<Vec<AdminImage>, sqlx::Error> {
    let rows: Vec<(i64, String, String, String, i64, Option<String>)> = sqlx::query_as(
        "SELECT id, url, alt, alt_vi, position, variant_id FROM product_images WHERE product_id = $1 \
         ORDER BY position, id",
    )
    .bind(product_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, url, alt, alt_vi, position, variant_id)| AdminImage {
            id,
            image: ProductImage { url, alt: Localized::new(alt_vi, alt) },
            position,
            variant_id,
        })
        .collect())
}

/// `wanted` as a SKU no variant has yet, else with the first free `-2`, `-3`...
/// (cut so it stays within a SKU's 64 characters).
pub(super) async fn free_sku(conn: &mut sqlx::AnyConnection, wanted: &str) -> Result<String, sqlx::Error> {
    let wanted = jewelry::truncate_chars(wanted, 64);
    let mut candidate = wanted.to_owned();
    for n in 2.. {
        let taken: Option<(i64,)> = sqlx::query_as("SELECT 1 FROM product_variants WHERE sku = $1")
            .bind(&candidate)
            .fetch_optional(&mut *conn)
            .await?;
        if taken.is_none() {
            break;
        }
        let suffix = format!("-{n}");
        let base = jewelry::truncate_chars(wanted, 64 - suffix.len()).trim_end_matches(['-', '.', '_']);
        candidate = format!("{base}{suffix}");
    }
    Ok(candidate)
}

/// Writes the product's Vietnamese name and description ([`bind_product`] binds
/// the English with the rest) and its metal, in the same transaction.
fn vietnamese_texts(p: &ValidProduct) -> sqlx::query::Query<'_, sqlx::Any, AnyArguments<'_>> {
    sqlx::query("UPDATE products SET name_vi = $1, description_vi = $2, metal = $3 WHERE id = $4")
        .bind(&p.name.vi)
        .bind(&p.description.vi)
        .bind(p.metal.map(|m| m.code()))
        .bind(&p.id)
}
