//! The catalog shoppers browse: the home page, categories, the filtered and sorted
//! list, a product; each read through the catalog cache ([`super::cache`]).

use super::cache::Key;
use super::*;
use jewelry::variant::Variant;

#[async_trait]
impl Catalog for SqlShop {
    async fn home(&self) -> Result<HomePage, Failure> {
        self.cache.get_or_load(Key::Home, self.read_home()).await
    }

    async fn categories(&self) -> Result<Vec<Category>, Failure> {
        self.cache.get_or_load(Key::Categories, self.categories_list()).await
    }

    async fn catalog(&self, query: &CatalogQuery) -> Result<CatalogPage, Failure> {
        self.cache.get_or_load(Key::Catalog(query.href()), self.read_catalog(query)).await
    }

    async fn product(&self, id: &str) -> Result<Option<ProductDetail>, Failure> {
        self.cache.get_or_load(Key::Product(id.to_owned()), self.read_product(id)).await
    }
}

impl SqlShop {
    async fn read_home(&self) -> Result<HomePage, Failure> {
        let featured: Vec<SummaryRow> = sqlx::query_as(&format!(
            "SELECT {SUMMARY_COLUMNS} {SUMMARY_FROM} WHERE p.archived = 0 AND p.featured = 1 \
             ORDER BY p.created_at DESC, p.id LIMIT 8"
        ))
        .fetch_all(&self.pool)
        .await
        .during("loading featured products")?;
        Ok(HomePage { featured: featured.into_iter().map(Into::into).collect(), categories: self.categories().await? })
    }

    async fn read_catalog(&self, query: &CatalogQuery) -> Result<CatalogPage, Failure> {
        let (products, total) = match query.search.is_some() || query.has_facets() {
            true => self.search_catalog(query).await?,
            false => self.list_catalog(query).await?,
        };
        Ok(CatalogPage {
            query: query.clone(),
            products,
            total,
            page_count: page_count(total),
            categories: self.categories().await?,
            facets: self.facets(query).await?,
        })
    }

    /// One page of the catalog without a search, filtered and sorted in SQL, and
    /// how many products the filter leaves in all.
    async fn list_catalog(&self, query: &CatalogQuery) -> Result<(Vec<ProductSummary>, i64), Failure> {
        let (filter, args) = catalog_filter(query)?;
        let (total,): (i64,) = sqlx::query_as_with(&format!("SELECT COUNT(*) {SUMMARY_FROM}{filter}"), args)
            .fetch_one(&self.pool)
            .await
            .during("counting catalog products")?;
        let (_, args) = catalog_filter(query)?;
        let offset = u64::from(query.page.saturating_sub(1)) * u64::from(PAGE_SIZE);
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} {SUMMARY_FROM}{filter}{} LIMIT {PAGE_SIZE} OFFSET {offset}",
            order_by(query.sort)
        );
        let rows: Vec<SummaryRow> =
            sqlx::query_as_with(&sql, args).fetch_all(&self.pool).await.during("loading catalog products")?;
        Ok((rows.into_iter().map(Into::into).collect(), total))
    }

    async fn read_product(&self, id: &str) -> Result<Option<ProductDetail>, Failure> {
        #[derive(FromRow)]
        struct DetailRow {
            #[sqlx(flatten)]
            summary: SummaryRow,
            description: String,
            description_vi: String,
            archived: i64,
        }
        let row: Option<DetailRow> = sqlx::query_as(&format!(
            "SELECT {SUMMARY_COLUMNS}, p.description, p.description_vi, p.archived {SUMMARY_FROM} WHERE p.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .during("loading a product")?;
        let Some(row) = row else { return Ok(None) };
        // Taken out of the catalog: its page says so (410), past orders still show it.
        if row.archived != 0 {
            return Err(ShopError::Gone.into());
        }
        let failed = "loading product images";
        let mut conn = self.pool.acquire().await.during(failed)?;
        let images: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
            "SELECT url, alt, alt_vi, variant_id FROM product_images WHERE product_id = $1 ORDER BY position, id",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await
        .during(failed)?;
        let options = options_of(&mut conn, id).await.during("loading a product's options")?;
        let variants: Vec<VariantRow> = sqlx::query_as(&format!(
            "SELECT v.id, v.sku, v.option1, v.option2, v.option3, {VARIANT_PRICES}, v.stock \
             FROM product_variants v JOIN products p ON p.id = v.product_id \
             WHERE v.product_id = $1 AND v.archived = 0 ORDER BY v.position, v.id"
        ))
        .bind(id)
        .fetch_all(&mut *conn)
        .await
        .during("loading a product's variants")?;
        let image = |(url, alt, alt_vi, _): &(String, String, String, Option<String>)| ProductImage {
            url: url.clone(),
            alt: Localized::new(alt_vi.clone(), alt.clone()),
        };
        let variants = variants
            .into_iter()
            .map(|v| Variant {
                images: images.iter().filter(|i| i.3.as_deref() == Some(v.id.as_str())).map(image).collect(),
                values: [v.option1, v.option2, v.option3].into_iter().flatten().collect(),
                id: v.id,
                sku: v.sku,
                price: Money::from_minor(v.price_cents),
                discount_price: v.discount_price_cents.map(Money::from_minor),
                stock: v.stock,
            })
            .collect();
        Ok(Some(ProductDetail {
            summary: row.summary.into(),
            description: Localized::new(row.description_vi, row.description),
            images: images.iter().filter(|i| i.3.is_none()).map(image).collect(),
            options,
            variants,
        }))
    }
}

#[derive(FromRow)]
struct VariantRow {
    id: String,
    sku: String,
    option1: Option<String>,
    option2: Option<String>,
    option3: Option<String>,
    price_cents: i64,
    discount_price_cents: Option<i64>,
    stock: i64,
}
