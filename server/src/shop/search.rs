//! The catalog's search, in memory ([`jewelry::search`]'s rules): the products on
//! sale are read once per catalog generation into an index of folded words, kept
//! in the catalog cache like every other read, and each search ranks them there.
//! SQL's `LIKE` knows neither accents nor typos, and SQLite and PostgreSQL fold
//! text differently; one index answers the same on both. A jewelry shop's catalog
//! (hundreds of pieces, a few thousand at most) fits in memory many times over.

use super::cache::Key;
use super::*;
use jewelry::catalog::{Facets, PriceRange};
use jewelry::search::{Rank, SearchField};
use jewelry::variant::Metal;
use std::cmp::Reverse;

/// Every product on sale, with its fields folded for searching.
pub(crate) struct SearchIndex {
    entries: Vec<Entry>,
}

struct Entry {
    summary: ProductSummary,
    featured: bool,
    created_at: String,
    /// The fields in rank order: name, brand, category, description.
    fields: [SearchField; 4],
    /// Each variant on sale: its metal (its metal option's value, else the
    /// product's own) and the price a shopper pays for it.
    variants: Vec<(Option<Metal>, Money)>,
}

impl Entry {
    /// Whether a variant of it is in `metal` and at a price in `price` (each when given).
    fn offers(&self, metal: Option<Metal>, price: Option<&PriceRange>, currency: Currency) -> bool {
        self.variants.iter().any(|(m, p)| {
            metal.is_none_or(|metal| *m == Some(metal)) && price.is_none_or(|range| range.contains(*p, currency))
        })
    }
}

impl SqlShop {
    async fn search_index(&self) -> Result<Arc<SearchIndex>, Failure> {
        self.cache.get_or_load(Key::SearchIndex, self.read_search_index()).await
    }

    async fn read_search_index(&self) -> Result<Arc<SearchIndex>, Failure> {
        #[derive(FromRow)]
        struct Row {
            #[sqlx(flatten)]
            summary: SummaryRow,
            description: String,
            description_vi: String,
            featured: i64,
            created_at: String,
        }
        let failed = "loading the search index";
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "SELECT {SUMMARY_COLUMNS}, p.description, p.description_vi, p.featured, p.created_at {SUMMARY_FROM} \
             WHERE p.archived = 0"
        ))
        .fetch_all(&self.pool)
        .await
        .during(failed)?;
        // Every variant on sale with its price and its metal: the value of its
        // product's metal option, else the product's own metal.
        let variants: Vec<(String, i64, Option<i64>, Option<String>)> = sqlx::query_as(&format!(
            "SELECT v.product_id, {VARIANT_PRICES}, \
             COALESCE(CASE o.position WHEN 1 THEN v.option1 WHEN 2 THEN v.option2 WHEN 3 THEN v.option3 END, p.metal) \
             FROM product_variants v JOIN products p ON p.id = v.product_id \
             LEFT JOIN product_options o ON o.product_id = v.product_id AND o.kind = 'metal' \
             WHERE v.archived = 0 AND p.archived = 0"
        ))
        .fetch_all(&self.pool)
        .await
        .during(failed)?;
        let mut by_product: std::collections::HashMap<String, Vec<(Option<Metal>, Money)>> =
            std::collections::HashMap::new();
        for (product, price, discount, metal) in variants {
            let paid = Money::from_minor(discount.unwrap_or(price));
            by_product.entry(product).or_default().push((metal.as_deref().and_then(Metal::of), paid));
        }
        let entries = rows
            .into_iter()
            .map(|row| {
                let summary = ProductSummary::from(row.summary);
                // A piece is found by its words in either language, whichever the
                // page is in: shoppers type the names they know.
                let both = |text: &Localized| format!("{} {}", text.vi, text.en);
                let fields = [
                    SearchField::new(&both(&summary.name)),
                    SearchField::new(&summary.brand),
                    SearchField::new(&both(&summary.category_name)),
                    SearchField::new(&format!("{} {}", row.description_vi, row.description)),
                ];
                let variants = by_product.remove(&summary.id).unwrap_or_default();
                Entry { summary, featured: row.featured != 0, created_at: row.created_at, fields, variants }
            })
            .collect();
        Ok(Arc::new(SearchIndex { entries }))
    }

    /// One page of the products on sale that match the query's search, category,
    /// metal and price, and how many match in all. With a search, the default
    /// order is the best match first; a sort the shopper chose (price, newest)
    /// comes before the rank. Without one, the order is the catalog's SQL's.
    pub(super) async fn search_catalog(&self, query: &CatalogQuery) -> Result<(Vec<ProductSummary>, i64), Failure> {
        let index = self.search_index().await?;
        let terms = query.search_terms();
        let currency = self.currency;
        let mut hits: Vec<(Rank, &Entry)> = index
            .entries
            .iter()
            .filter(|e| query.category.as_ref().is_none_or(|c| *c == e.summary.category_id))
            .filter(|e| !query.has_facets() || e.offers(query.metal, query.price.as_ref(), currency))
            .filter_map(|e| match query.search {
                Some(_) => terms.rank(&e.fields.each_ref()).map(|rank| (rank, e)),
                None => Some((Rank::default(), e)),
            })
            .collect();
        // Ties go by the `name` column (the English), as the catalog's SQL orders them.
        let by_name = |e: &Entry| (e.summary.name.en.clone(), e.summary.id.clone());
        match query.sort {
            SortOrder::Featured => hits.sort_by_cached_key(|(rank, e)| (*rank, !e.featured, by_name(e))),
            SortOrder::PriceAsc => {
                hits.sort_by_cached_key(|(rank, e)| (e.summary.effective_price(), *rank, by_name(e)))
            }
            SortOrder::PriceDesc => {
                hits.sort_by_cached_key(|(rank, e)| (Reverse(e.summary.effective_price()), *rank, by_name(e)))
            }
            SortOrder::Newest => {
                hits.sort_by_cached_key(|(rank, e)| (Reverse(e.created_at.clone()), *rank, by_name(e)))
            }
        }
        let total = hits.len() as i64;
        let offset = (query.page.saturating_sub(1) as usize).saturating_mul(PAGE_SIZE as usize);
        let page = hits.into_iter().skip(offset).take(PAGE_SIZE as usize).map(|(_, e)| e.summary.clone()).collect();
        Ok((page, total))
    }

    /// How many pieces each metal and each offered price range would leave, with
    /// the query's category, search and other filter: a piece counts once, when a
    /// variant of it is in that metal and at a price in that range.
    pub(super) async fn facets(&self, query: &CatalogQuery) -> Result<Facets, Failure> {
        let index = self.search_index().await?;
        let terms = query.search_terms();
        let currency = self.currency;
        let matching: Vec<&Entry> = index
            .entries
            .iter()
            .filter(|e| query.category.as_ref().is_none_or(|c| *c == e.summary.category_id))
            .filter(|e| query.search.is_none() || terms.rank(&e.fields.each_ref()).is_some())
            .collect();
        let count = |metal: Option<Metal>, price: Option<&PriceRange>| {
            matching.iter().filter(|e| e.offers(metal, price, currency)).count() as i64
        };
        Ok(Facets {
            metals: Metal::ALL
                .into_iter()
                .map(|metal| (metal, count(Some(metal), query.price.as_ref())))
                .filter(|(metal, n)| *n > 0 || query.metal == Some(*metal))
                .collect(),
            prices: PriceRange::offered(currency)
                .into_iter()
                .map(|range| {
                    let n = count(query.metal, Some(&range));
                    (range, n)
                })
                .collect(),
        })
    }
}
