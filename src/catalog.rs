//! The catalog as shoppers see it: categories, products, and the query behind a
//! catalog page (filter, search, sort, page), which lives in the URL.

use crate::search::SearchTerms;
use crate::{Localized, Money};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub id: String,
    pub name: Localized,
    pub description: Localized,
    pub product_count: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductImage {
    /// Where the browser loads it: a site path or a CDN URL.
    pub url: String,
    /// In each language; an admin writes the one of the page they edit in.
    pub alt: Localized,
}

/// A product as a card in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductSummary {
    pub id: String,
    pub name: Localized,
    pub brand: String,
    pub category_id: String,
    pub category_name: Localized,
    pub price: Money,
    pub discount_price: Option<Money>,
    pub stock: i64,
    pub image: Option<ProductImage>,
}

impl ProductSummary {
    /// What the shopper pays: the discount price when there is one.
    pub fn effective_price(&self) -> Money {
        self.discount_price.unwrap_or(self.price)
    }

    pub fn in_stock(&self) -> bool {
        self.stock > 0
    }
}

/// A product page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductDetail {
    pub summary: ProductSummary,
    pub description: Localized,
    /// The product's own images (a variant may have its own:
    /// [`crate::variant::Variant::images`]).
    pub images: Vec<ProductImage>,
    /// None for a product without options.
    pub options: Vec<crate::variant::ProductOption>,
    /// The variants on sale (one, the default, for a product without options),
    /// in their order.
    pub variants: Vec<crate::variant::Variant>,
}

impl ProductDetail {
    pub fn has_options(&self) -> bool {
        !self.options.is_empty()
    }

    /// The variant the page shows for `sku` (the URL's `?variant=`): see
    /// [`crate::variant::chosen`].
    pub fn chosen(&self, sku: Option<&str>) -> Option<&crate::variant::Variant> {
        crate::variant::chosen(&self.variants, sku)
    }
}

/// The order of a catalog page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SortOrder {
    /// Featured pieces first, then by name.
    #[default]
    Featured,
    PriceAsc,
    PriceDesc,
    Newest,
}

impl SortOrder {
    pub const ALL: [SortOrder; 4] = [SortOrder::Featured, SortOrder::PriceAsc, SortOrder::PriceDesc, SortOrder::Newest];

    /// The value in the URL (`?sort=price_asc`).
    pub const fn as_str(self) -> &'static str {
        match self {
            SortOrder::Featured => "featured",
            SortOrder::PriceAsc => "price_asc",
            SortOrder::PriceDesc => "price_desc",
            SortOrder::Newest => "newest",
        }
    }

    /// The order's name on a catalog page, in `words` (the page's language).
    pub fn label(self, words: &crate::text::store::Words) -> &'static str {
        match self {
            SortOrder::Featured => words.sort_featured,
            SortOrder::PriceAsc => words.sort_price_asc,
            SortOrder::PriceDesc => words.sort_price_desc,
            SortOrder::Newest => words.sort_newest,
        }
    }

    pub fn parse(s: &str) -> Option<SortOrder> {
        SortOrder::ALL.into_iter().find(|o| o.as_str() == s)
    }
}

/// Products on one catalog page.
pub const PAGE_SIZE: u32 = 12;
/// Longer searches are cut to this many characters.
pub const MAX_SEARCH_CHARS: usize = 100;

/// What a catalog page shows. Built from the URL's query, leniently: a value
/// that makes no sense falls back to the default rather than failing the page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CatalogQuery {
    pub category: Option<String>,
    pub search: Option<String>,
    /// Pieces sold in this metal (a variant of it, or the piece's own).
    pub metal: Option<crate::variant::Metal>,
    /// Pieces sold at a price in this range (a variant's).
    pub price: Option<PriceRange>,
    pub sort: SortOrder,
    /// 1-based.
    pub page: u32,
}

/// A range of prices in whole currency units, as the URL gives it: `5000000-15000000`,
/// `-5000000` (under), `60000000-` (and over). The lower bound is in it, the upper not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PriceRange {
    pub min: Option<u64>,
    pub max: Option<u64>,
}

impl PriceRange {
    pub fn parse(s: &str) -> Option<PriceRange> {
        let (min, max) = s.trim().split_once('-')?;
        let bound = |b: &str| -> Option<Option<u64>> {
            match b.trim() {
                "" => Some(None),
                digits => digits.parse::<u64>().ok().map(Some),
            }
        };
        let range = PriceRange { min: bound(min)?, max: bound(max)? };
        match (range.min, range.max) {
            (None, None) => None,
            (Some(a), Some(b)) if a >= b => None,
            _ => Some(range),
        }
    }

    /// As the URL writes it.
    pub fn as_param(&self) -> String {
        let bound = |b: Option<u64>| b.map(|b| b.to_string()).unwrap_or_default();
        format!("{}-{}", bound(self.min), bound(self.max))
    }

    /// Whether `price` (in `currency`) is in the range.
    pub fn contains(&self, price: Money, currency: crate::Currency) -> bool {
        let scale = 10_i128.pow(currency.minor_digits());
        let price = i128::from(price.minor());
        self.min.is_none_or(|min| price >= i128::from(min) * scale)
            && self.max.is_none_or(|max| price < i128::from(max) * scale)
    }

    /// The range as a filter names it, in `locale` with `currency`'s amounts.
    pub fn label(&self, currency: crate::Currency, words: &crate::text::store::Words, locale: crate::Locale) -> String {
        let show = |units: u64| {
            Money::from_minor((units as i64).saturating_mul(10_i64.pow(currency.minor_digits())))
                .format(currency, locale)
        };
        match (self.min, self.max) {
            (None, Some(max)) => crate::text::fill(words.price_under, &[("max", &show(max))]),
            (Some(min), None) => crate::text::fill(words.price_over, &[("min", &show(min))]),
            (Some(min), Some(max)) => {
                crate::text::fill(words.price_between, &[("min", &show(min)), ("max", &show(max))])
            }
            (None, None) => String::new(),
        }
    }

    /// The ranges the catalog offers as filters, in `currency`.
    pub fn offered(currency: crate::Currency) -> Vec<PriceRange> {
        let bounds: &[u64] = match currency {
            crate::Currency::Vnd => &[5_000_000, 15_000_000, 30_000_000, 60_000_000],
            crate::Currency::Usd => &[200, 600, 1_200, 2_400],
        };
        let mut ranges = vec![PriceRange { min: None, max: Some(bounds[0]) }];
        ranges.extend(bounds.windows(2).map(|w| PriceRange { min: Some(w[0]), max: Some(w[1]) }));
        ranges.push(PriceRange { min: bounds.last().copied(), max: None });
        ranges
    }
}

/// How many pieces each value of a filter would leave, the other filters as chosen.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    pub metals: Vec<(crate::variant::Metal, i64)>,
    pub prices: Vec<(PriceRange, i64)>,
}

/// A category or search word as a URL gives it: trimmed, empty as none, and cut
/// to [`MAX_SEARCH_CHARS`].
fn clean(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.chars().take(MAX_SEARCH_CHARS).collect::<String>())
}

impl CatalogQuery {
    pub fn from_pairs<'a>(get: impl Fn(&str) -> Option<&'a str>) -> CatalogQuery {
        CatalogQuery {
            category: get("category").and_then(clean),
            search: get("q").and_then(clean),
            metal: get("metal").and_then(crate::variant::Metal::parse),
            price: get("price").and_then(PriceRange::parse),
            sort: get("sort").and_then(SortOrder::parse).unwrap_or_default(),
            page: get("page").and_then(|p| p.parse().ok()).filter(|p| *p >= 1).unwrap_or(1),
        }
    }

    /// `/catalog?...` for this query; defaults are left out so URLs stay short.
    pub fn href(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(c) = &self.category {
            pairs.push(("category", c.clone()));
        }
        if let Some(q) = &self.search {
            pairs.push(("q", q.clone()));
        }
        if let Some(metal) = self.metal {
            pairs.push(("metal", metal.code().to_owned()));
        }
        if let Some(price) = &self.price {
            pairs.push(("price", price.as_param()));
        }
        if self.sort != SortOrder::default() {
            pairs.push(("sort", self.sort.as_str().to_owned()));
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        if pairs.is_empty() {
            return "/catalog".to_owned();
        }
        let query: Vec<String> = pairs.into_iter().map(|(k, v)| format!("{k}={}", encode_component(&v))).collect();
        format!("/catalog?{}", query.join("&"))
    }

    /// This query searching for `raw` instead (trimmed and cut as from a URL), from page 1.
    pub fn with_search(&self, raw: &str) -> CatalogQuery {
        CatalogQuery { search: clean(raw), page: 1, ..self.clone() }
    }

    /// This query as a URL would give it: the category and search word trimmed
    /// and cut (a caller of the catalog's function may send anything).
    pub fn bounded(self) -> CatalogQuery {
        CatalogQuery {
            category: self.category.as_deref().and_then(clean),
            search: self.search.as_deref().and_then(clean),
            ..self
        }
    }

    pub fn with_page(&self, page: u32) -> CatalogQuery {
        CatalogQuery { page, ..self.clone() }
    }

    /// The search's words, folded ([`crate::search`]); none without a search.
    pub fn search_terms(&self) -> SearchTerms {
        self.search.as_deref().map(SearchTerms::parse).unwrap_or_default()
    }
}

/// What a URL component keeps as it is: RFC 3986's unreserved characters.
const COMPONENT: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// Percent-encodes a URL query component (RFC 3986 unreserved characters stay).
pub fn encode_component(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, COMPONENT).to_string()
}

/// One page of the catalog.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogPage {
    pub query: CatalogQuery,
    pub products: Vec<ProductSummary>,
    pub total: i64,
    pub page_count: u32,
    pub categories: Vec<Category>,
    /// The metal and price filters' values with their counts.
    pub facets: Facets,
}

impl CatalogQuery {
    /// Whether a metal or price filter is chosen.
    pub fn has_facets(&self) -> bool {
        self.metal.is_some() || self.price.is_some()
    }
}

/// The home page: featured pieces and the categories.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomePage {
    pub featured: Vec<ProductSummary>,
    pub categories: Vec<Category>,
}

/// How many pages `total` products fill (at least one, so an empty result is page 1 of 1).
pub fn page_count(total: i64) -> u32 {
    let pages = (total.max(0) as u64).div_ceil(u64::from(PAGE_SIZE));
    pages.clamp(1, u64::from(u32::MAX)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn query(pairs: &[(&'static str, &'static str)]) -> CatalogQuery {
        let map: HashMap<&str, &str> = pairs.iter().copied().collect();
        CatalogQuery::from_pairs(|k| map.get(k).copied())
    }

    #[test]
    fn reads_the_query_leniently() {
        let q = query(&[("category", "rings"), ("q", "  gold "), ("sort", "price_desc"), ("page", "3")]);
        assert_eq!(q.category.as_deref(), Some("rings"));
        assert_eq!(q.search.as_deref(), Some("gold"));
        assert_eq!(q.sort, SortOrder::PriceDesc);
        assert_eq!(q.page, 3);

        let q = query(&[("sort", "cheapest"), ("page", "0"), ("q", "   ")]);
        assert_eq!(q, CatalogQuery { page: 1, ..CatalogQuery::default() });
        assert_eq!(query(&[("page", "-2")]).page, 1);
        assert_eq!(query(&[("page", "two")]).page, 1);
    }

    #[test]
    fn a_new_search_keeps_filter_and_sort_and_starts_at_page_one() {
        let q = query(&[("category", "rings"), ("q", "gold"), ("sort", "newest"), ("page", "3")]);
        assert_eq!(q.with_search("  ruby ").href(), "/catalog?category=rings&q=ruby&sort=newest");
        assert_eq!(q.with_search("   ").href(), "/catalog?category=rings&sort=newest");
    }

    #[test]
    fn builds_short_shareable_urls() {
        assert_eq!(CatalogQuery { page: 1, ..Default::default() }.href(), "/catalog");
        let q = query(&[("category", "rings"), ("q", "rose gold & pearls"), ("sort", "newest"), ("page", "2")]);
        assert_eq!(q.href(), "/catalog?category=rings&q=rose%20gold%20%26%20pearls&sort=newest&page=2");
        assert_eq!(q.with_page(1).href(), "/catalog?category=rings&q=rose%20gold%20%26%20pearls&sort=newest");
    }

    #[test]
    fn names_each_order_in_the_pages_language() {
        let en = &crate::text::store::EN;
        let labels: Vec<&str> = SortOrder::ALL.into_iter().map(|o| o.label(en)).collect();
        assert_eq!(labels, ["Featured", "Price: low to high", "Price: high to low", "Newest"]);
        assert_eq!(SortOrder::PriceAsc.label(&crate::text::store::VI), "Giá: thấp đến cao");
    }

    #[test]
    fn metal_and_price_filters_live_in_the_url_beside_the_others() {
        let q = query(&[("category", "rings"), ("metal", "platinum"), ("price", "30000000-60000000"), ("page", "2")]);
        assert_eq!(q.metal, Some(crate::variant::Metal::Platinum));
        assert_eq!(q.price, Some(PriceRange { min: Some(30_000_000), max: Some(60_000_000) }));
        assert_eq!(q.href(), "/catalog?category=rings&metal=platinum&price=30000000-60000000&page=2");
        assert_eq!(query(&[("metal", "tin"), ("price", "9-3")]), CatalogQuery { page: 1, ..Default::default() });
        assert_eq!(PriceRange::parse("-5000000"), Some(PriceRange { min: None, max: Some(5_000_000) }));
        assert_eq!(PriceRange::parse("60000000-").unwrap().as_param(), "60000000-");
        assert_eq!(PriceRange::parse("-"), None);
    }

    #[test]
    fn a_price_range_holds_its_lower_bound_not_its_upper() {
        let range = PriceRange { min: Some(200), max: Some(600) };
        let usd = crate::Currency::Usd;
        assert!(range.contains(Money::from_minor(20_000), usd));
        assert!(range.contains(Money::from_minor(59_999), usd));
        assert!(!range.contains(Money::from_minor(60_000), usd));
        let offered = PriceRange::offered(crate::Currency::Vnd);
        assert_eq!(offered.len(), 5);
        assert_eq!(offered[0].as_param(), "-5000000");
        assert_eq!(offered[4].as_param(), "60000000-");
        let en = &crate::text::store::EN;
        assert_eq!(offered[1].label(crate::Currency::Vnd, en, crate::Locale::En), "₫5,000,000 to ₫15,000,000");
        assert_eq!(offered[0].label(crate::Currency::Vnd, en, crate::Locale::En), "Under ₫5,000,000");
    }

    #[test]
    fn counts_pages() {
        assert_eq!(page_count(0), 1);
        assert_eq!(page_count(12), 1);
        assert_eq!(page_count(13), 2);
        assert_eq!(page_count(28), 3);
    }

    #[test]
    fn effective_price_prefers_the_discount() {
        let mut p = ProductSummary {
            id: "x".into(),
            name: crate::Localized::new("X", "X"),
            brand: "B".into(),
            category_id: "rings".into(),
            category_name: crate::Localized::new("Rings", "Rings"),
            price: Money::from_minor(1000),
            discount_price: None,
            stock: 1,
            image: None,
        };
        assert_eq!(p.effective_price(), Money::from_minor(1000));
        p.discount_price = Some(Money::from_minor(800));
        assert_eq!(p.effective_price(), Money::from_minor(800));
    }
}
