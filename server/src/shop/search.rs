//! The catalog's search, in memory ([`jewelry::search`]'s rules): the products on
//! sale are read once per catalog generation into an index of folded words, kept
//! in the catalog cache like every other read, and each search ranks them there.
//! SQL's `LIKE` knows neither accents nor typos, and SQLite and PostgreSQL fold
//! text differently; one index answers the same on both. A jewelry shop's catalog
//! (hundreds of pieces, a few thousand at most) fits in memory many times over.

use super::cache::Key;
use super::*;
use jewelry::search::{Rank, SearchField};
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
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "SELECT {SUMMARY_COLUMNS}, p.description, p.description_vi, p.featured, p.created_at {SUMMARY_FROM} \
             WHERE p.archived = 0"
        ))
        .fetch_all(&self.pool)
        .await
        .during("loading the search index")?;
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
                Entry { summary, featured: row.featured != 0, created_at: row.created_at, fields }
            })
            .collect();
        Ok(Arc::new(SearchIndex { entries }))
    }

    /// One page of the products on sale that match the query's search (and its
    /// category), and how many match in all. The default order is the best match
    /// first; a sort the shopper chose (price, newest) comes before the rank.
    pub(super) async fn search_catalog(&self, query: &CatalogQuery) -> Result<(Vec<ProductSummary>, i64), Failure> {
        let index = self.search_index().await?;
        let terms = query.search_terms();
        let mut hits: Vec<(Rank, &Entry)> = index
            .entries
            .iter()
            .filter(|e| query.category.as_ref().is_none_or(|c| *c == e.summary.category_id))
            .filter_map(|e| terms.rank(&e.fields.each_ref()).map(|rank| (rank, e)))
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
}
