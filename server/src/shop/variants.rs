//! The admins' variants: a product's options, the variants they make, each
//! variant's SKU, prices, stock and archiving, and changes to many at once. Every
//! change takes the product's version (two admins never overwrite each other) and
//! is logged.

use super::*;
use jewelry::variant_admin::{AdminVariant, AdminVariants, BulkPrices, ValidBulk, ValidOptions, ValidVariantRow};

#[derive(FromRow)]
struct AdminVariantRow {
    id: String,
    sku: String,
    option1: Option<String>,
    option2: Option<String>,
    option3: Option<String>,
    price_cents: Option<i64>,
    discount_price_cents: Option<i64>,
    stock: i64,
    archived: i64,
}

impl AdminVariantRow {
    fn values(&self) -> Vec<String> {
        [&self.option1, &self.option2, &self.option3].into_iter().flatten().cloned().collect()
    }
}

/// Every variant of the product, archived ones too.
async fn variants_of(conn: &mut sqlx::AnyConnection, product_id: &str) -> Result<Vec<AdminVariantRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, sku, option1, option2, option3, price_cents, discount_price_cents, stock, archived \
         FROM product_variants WHERE product_id = $1 ORDER BY archived, position, id",
    )
    .bind(product_id)
    .fetch_all(conn)
    .await
}

/// Takes the product's version from `version` to the next, or says why not.
async fn bump_version(
    tx: &mut sqlx::AnyConnection,
    product_id: &str,
    version: i64,
    now: &str,
) -> Result<Option<SaveOutcome>, sqlx::Error> {
    let bumped =
        sqlx::query("UPDATE products SET version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3")
            .bind(now)
            .bind(product_id)
            .bind(version)
            .execute(&mut *tx)
            .await?;
    if bumped.rows_affected() == 1 {
        return Ok(None);
    }
    let current: Option<(i64,)> =
        sqlx::query_as("SELECT version FROM products WHERE id = $1").bind(product_id).fetch_optional(&mut *tx).await?;
    Ok(Some(match current {
        Some((current_version,)) => SaveOutcome::Conflict { current_version },
        None => return Err(sqlx::Error::RowNotFound),
    }))
}

/// A new variant's id: the product's and its values' codes, `ring:12:platinum`
/// (never a product's id: those have no `:`), unless that is too long or taken.
async fn new_variant_id(
    conn: &mut sqlx::AnyConnection,
    product_id: &str,
    codes: &[&str],
) -> Result<String, sqlx::Error> {
    let readable = format!("{product_id}:{}", codes.join(":"));
    if readable.len() <= 64 {
        let taken: Option<(i64,)> = sqlx::query_as("SELECT 1 FROM product_variants WHERE id = $1")
            .bind(&readable)
            .fetch_optional(&mut *conn)
            .await?;
        if taken.is_none() {
            return Ok(readable);
        }
    }
    Ok(format!("{}:{:08x}", jewelry::truncate_chars(product_id, 54), rand::random::<u32>()))
}

const MAX_STOCK_CLAMP: &str = "CASE WHEN stock + $1 < 0 THEN 0 WHEN stock + $1 > $2 THEN $2 ELSE stock + $1 END";

impl SqlShop {
    pub(super) async fn read_admin_variants(&self, product_id: &str) -> Result<Option<AdminVariants>, Failure> {
        let failed = "loading a product's variants";
        let mut conn = self.pool.acquire().await.during(failed)?;
        let product: Option<(i64, Option<i64>, i64)> =
            sqlx::query_as("SELECT price_cents, discount_price_cents, version FROM products WHERE id = $1")
                .bind(product_id)
                .fetch_optional(&mut *conn)
                .await
                .during(failed)?;
        let Some((price, discount, version)) = product else { return Ok(None) };
        let options = options_of(&mut conn, product_id).await.during(failed)?;
        let rows = variants_of(&mut conn, product_id).await.during(failed)?;
        Ok(Some(AdminVariants {
            product_id: product_id.to_owned(),
            version,
            product_price: Money::from_minor(price),
            product_discount: discount.map(Money::from_minor),
            variants: rows
                .into_iter()
                .map(|r| AdminVariant {
                    options: jewelry::variant::describe(&options, &r.values()),
                    id: r.id,
                    sku: r.sku,
                    price: r.price_cents.map(Money::from_minor),
                    discount_price: r.discount_price_cents.map(Money::from_minor),
                    stock: r.stock,
                    archived: r.archived != 0,
                })
                .collect(),
            options,
        }))
    }

    pub(super) async fn write_options(
        &self,
        o: &ValidOptions,
        request: &RequestContext,
    ) -> Result<SaveOutcome, Failure> {
        let failed = "saving a product's options";
        let now = now();
        let mut tx = self.pool.begin().await.during(failed)?;
        match bump_version(&mut tx, &o.product_id, o.version, &now).await {
            Ok(None) => {}
            Ok(Some(conflict)) => return Ok(conflict),
            Err(sqlx::Error::RowNotFound) => return Err(ShopError::NotFound.into()),
            Err(e) => return Err(e).during(failed),
        }
        sqlx::query("DELETE FROM product_options WHERE product_id = $1")
            .bind(&o.product_id)
            .execute(&mut *tx)
            .await
            .during(failed)?;
        for (i, option) in o.options.iter().enumerate() {
            let position = i as i64 + 1;
            sqlx::query(
                "INSERT INTO product_options (product_id, position, kind, name, name_vi) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&o.product_id)
            .bind(position)
            .bind(option.kind.as_str())
            .bind(&option.name.en)
            .bind(&option.name.vi)
            .execute(&mut *tx)
            .await
            .during(failed)?;
            for (j, value) in option.values.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO product_option_values (product_id, option_position, code, position, value, value_vi) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(&o.product_id)
                .bind(position)
                .bind(&value.code)
                .bind(j as i64)
                .bind(&value.label.en)
                .bind(&value.label.vi)
                .execute(&mut *tx)
                .await
                .during(failed)?;
            }
        }
        // The variants follow: one live per combination (the default one, with
        // no values, when there are no options), in the combinations' order.
        let existing = variants_of(&mut tx, &o.product_id).await.during(failed)?;
        let wanted: Vec<Vec<&str>> = match o.options.is_empty() {
            true => vec![Vec::new()],
            false => o.combinations().iter().map(|c| c.iter().map(|v| v.code.as_str()).collect()).collect(),
        };
        let mut changes: Vec<(CrudAction, String)> = Vec::new();
        for existing in existing.iter().filter(|v| v.archived == 0) {
            let values = existing.values();
            if !wanted.iter().any(|w| *w == values.iter().map(String::as_str).collect::<Vec<_>>()) {
                sqlx::query("UPDATE product_variants SET archived = 1, updated_at = $1 WHERE id = $2")
                    .bind(&now)
                    .bind(&existing.id)
                    .execute(&mut *tx)
                    .await
                    .during(failed)?;
                changes.push((CrudAction::Archive, existing.id.clone()));
            }
        }
        for (position, codes) in wanted.iter().enumerate() {
            let position = position as i64 + 1;
            let same = |v: &&AdminVariantRow| v.values().iter().map(String::as_str).collect::<Vec<_>>() == *codes;
            let live = existing.iter().filter(|v| v.archived == 0).find(same);
            let archived = existing.iter().filter(|v| v.archived != 0).find(same);
            let (id, action) = match (live, archived) {
                (Some(v), _) => (v.id.clone(), None),
                (None, Some(v)) => (v.id.clone(), Some(CrudAction::Restore)),
                (None, None) => {
                    let id = match codes.is_empty() {
                        true => o.product_id.clone(),
                        false => new_variant_id(&mut tx, &o.product_id, codes).await.during(failed)?,
                    };
                    let sku =
                        super::products::free_sku(&mut tx, &jewelry::variant_admin::sku_for(&o.product_id, codes))
                            .await
                            .during(failed)?;
                    sqlx::query(
                        "INSERT INTO product_variants (id, product_id, sku, option1, option2, option3, stock, position, \
                         archived, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 0, $7, 0, $8, $8)",
                    )
                    .bind(&id)
                    .bind(&o.product_id)
                    .bind(&sku)
                    .bind(codes.first().copied())
                    .bind(codes.get(1).copied())
                    .bind(codes.get(2).copied())
                    .bind(position)
                    .bind(&now)
                    .execute(&mut *tx)
                    .await
                    .during(failed)?;
                    changes.push((CrudAction::Create, id));
                    continue;
                }
            };
            sqlx::query("UPDATE product_variants SET archived = 0, position = $1, updated_at = $2 WHERE id = $3")
                .bind(position)
                .bind(&now)
                .bind(&id)
                .execute(&mut *tx)
                .await
                .during(failed)?;
            if let Some(action) = action {
                changes.push((action, id));
            }
        }
        tx.commit().await.during(failed)?;
        self.cache.changed();
        let version = o.version + 1;
        self.logs.emit(&CrudLine::new(Entity::Product, CrudAction::Update, &o.product_id, Some(version), request));
        for (action, id) in &changes {
            self.logs.emit(&CrudLine::new(Entity::Variant, *action, id, None, request));
        }
        Ok(SaveOutcome::Saved { id: o.product_id.clone(), version })
    }

    pub(super) async fn write_variants(
        &self,
        product_id: &str,
        version: i64,
        rows: &[ValidVariantRow],
        request: &RequestContext,
    ) -> Result<SaveOutcome, Failure> {
        let failed = "saving a product's variants";
        let now = now();
        let words = jewelry::text::admin::words(request.locale);
        let mut tx = self.pool.begin().await.during(failed)?;
        match bump_version(&mut tx, product_id, version, &now).await {
            Ok(None) => {}
            Ok(Some(conflict)) => return Ok(conflict),
            Err(sqlx::Error::RowNotFound) => return Err(ShopError::NotFound.into()),
            Err(e) => return Err(e).during(failed),
        }
        let existing = variants_of(&mut tx, product_id).await.during(failed)?;
        let option_count = options_of(&mut tx, product_id).await.during(failed)?.len();
        let mut errors = jewelry::checkout::FieldErrors::new();
        for (i, row) in rows.iter().enumerate() {
            let Some(current) = existing.iter().find(|v| v.id == row.id) else {
                errors.insert(format!("sku.{i}"), words.error_reload.into());
                continue;
            };
            let taken: Option<(String,)> =
                sqlx::query_as("SELECT id FROM product_variants WHERE sku = $1 AND id <> $2")
                    .bind(&row.sku)
                    .bind(&row.id)
                    .fetch_optional(&mut *tx)
                    .await
                    .during(failed)?;
            if taken.is_some_and(|(other,)| !rows.iter().any(|r| r.id == other && r.sku != row.sku)) {
                errors.insert(format!("sku.{i}"), words.error_sku_taken.into());
            }
            // A variant back on sale must be one of the options' combinations.
            if current.archived != 0 && !row.archived {
                let values = current.values();
                let clash = existing.iter().any(|v| {
                    v.id != current.id
                        && v.archived == 0
                        && v.values() == values
                        && !rows.iter().any(|r| r.id == v.id && r.archived)
                });
                if values.len() != option_count || clash {
                    errors.insert(format!("archived.{i}"), words.error_reload.into());
                }
            }
        }
        if !errors.is_empty() {
            return Ok(SaveOutcome::Invalid(errors));
        }
        // SKUs first set aside, so two variants may swap theirs.
        for row in rows.iter().filter(|r| existing.iter().any(|v| v.id == r.id && v.sku != r.sku)) {
            sqlx::query("UPDATE product_variants SET sku = $1 WHERE id = $2")
                .bind(format!("~{}", row.id))
                .bind(&row.id)
                .execute(&mut *tx)
                .await
                .during(failed)?;
        }
        let mut changes = Vec::new();
        // Archived before restored, so a combination changes hands in one save.
        let mut ordered: Vec<&ValidVariantRow> = rows.iter().collect();
        ordered.sort_by_key(|r| !r.archived);
        for row in ordered {
            let current = existing.iter().find(|v| v.id == row.id).expect("checked above");
            let changed = current.sku != row.sku
                || current.price_cents != row.price.map(Money::minor)
                || current.discount_price_cents != row.discount_price.map(Money::minor)
                || row.stock_change != 0
                || (current.archived != 0) != row.archived;
            if !changed {
                continue;
            }
            sqlx::query(&format!(
                "UPDATE product_variants SET stock = {MAX_STOCK_CLAMP}, sku = $3, price_cents = $4, \
                 discount_price_cents = $5, archived = $6, updated_at = $7 WHERE id = $8 AND product_id = $9"
            ))
            .bind(row.stock_change)
            .bind(jewelry::admin::MAX_STOCK)
            .bind(&row.sku)
            .bind(row.price.map(Money::minor))
            .bind(row.discount_price.map(Money::minor))
            .bind(i64::from(row.archived))
            .bind(&now)
            .bind(&row.id)
            .bind(product_id)
            .execute(&mut *tx)
            .await
            .during(failed)?;
            let action = match ((current.archived != 0), row.archived) {
                (false, true) => CrudAction::Archive,
                (true, false) => CrudAction::Restore,
                _ => CrudAction::Update,
            };
            changes.push((action, row.id.clone()));
        }
        tx.commit().await.during(failed)?;
        self.cache.changed();
        let version = version + 1;
        for (action, id) in &changes {
            self.logs.emit(&CrudLine::new(Entity::Variant, *action, id, Some(version), request));
        }
        Ok(SaveOutcome::Saved { id: product_id.to_owned(), version })
    }

    pub(super) async fn write_bulk(
        &self,
        product_id: &str,
        bulk: &ValidBulk,
        request: &RequestContext,
    ) -> Result<(SaveOutcome, u32), Failure> {
        let failed = "changing a product's variants";
        let now = now();
        let mut tx = self.pool.begin().await.during(failed)?;
        match bump_version(&mut tx, product_id, bulk.version, &now).await {
            Ok(None) => {}
            Ok(Some(conflict)) => return Ok((conflict, 0)),
            Err(sqlx::Error::RowNotFound) => return Err(ShopError::NotFound.into()),
            Err(e) => return Err(e).during(failed),
        }
        let chosen: Vec<String> = variants_of(&mut tx, product_id)
            .await
            .during(failed)?
            .into_iter()
            .filter(|v| v.archived == 0)
            .filter(|v| match &bulk.which {
                None => true,
                Some((position, code)) => v.values().get((*position - 1) as usize) == Some(code),
            })
            .map(|v| v.id)
            .collect();
        for id in &chosen {
            let prices = match bulk.prices {
                BulkPrices::Unchanged => "",
                BulkPrices::Product | BulkPrices::Own { .. } => ", price_cents = $5, discount_price_cents = $6",
            };
            let (price, discount) = match bulk.prices {
                BulkPrices::Own { price, discount_price } => (Some(price.minor()), discount_price.map(Money::minor)),
                _ => (None, None),
            };
            let sql =
                format!("UPDATE product_variants SET stock = {MAX_STOCK_CLAMP}, updated_at = $3{prices} WHERE id = $4");
            let query = sqlx::query(&sql).bind(bulk.stock_add).bind(jewelry::admin::MAX_STOCK).bind(&now).bind(id);
            let query = match bulk.prices {
                BulkPrices::Unchanged => query,
                _ => query.bind(price).bind(discount),
            };
            query.execute(&mut *tx).await.during(failed)?;
        }
        tx.commit().await.during(failed)?;
        self.cache.changed();
        let version = bulk.version + 1;
        for id in &chosen {
            self.logs.emit(&CrudLine::new(Entity::Variant, CrudAction::Update, id, Some(version), request));
        }
        Ok((SaveOutcome::Saved { id: product_id.to_owned(), version }, chosen.len() as u32))
    }
}
