use crate::api::load_catalog;
use crate::components::notice::ErrorNotice;
use crate::components::product::{ProductCard, pieces};
use crate::components::search::SearchBox;
use crate::components::seo::{ShareTags, site_origin};
use crate::error::ErrorWords;
use crate::i18n::{href, locale};
use jewelry::catalog::{CatalogPage as PageData, CatalogQuery, SortOrder};
use jewelry::text::{common, fill, store};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

/// The catalog: category filter, search, sort and pages, all in the URL.
#[component]
pub fn CatalogPage() -> impl IntoView {
    let locale = locale();
    let loading = common::words(locale).loading;
    let params = use_query_map();
    let query = Memo::new(move |_| {
        let map = params.read();
        CatalogQuery::from_pairs(|key| map.get_str(key))
    });
    let page = Resource::new(move || query.get(), load_catalog);
    view! {
        <Suspense fallback=move || view! { <p class="loading">{loading}</p> }>
            {move || Suspend::new(async move {
                let base = site_origin().await;
                match page.await {
                    Ok(data) => Either::Left(view! { <CatalogView data base/> }),
                    Err(error) => Either::Right(view! { <ErrorNotice error words=ErrorWords::new(locale)/> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CatalogView(data: PageData, base: String) -> impl IntoView {
    let locale = locale();
    let w = store::words(locale);
    let query = data.query.clone();
    let category = query.category.as_ref().and_then(|id| data.categories.iter().find(|c| &c.id == id)).cloned();
    let heading = match (&query.search, &category) {
        (Some(q), _) => fill(w.results_for, &[("q", q)]),
        (None, Some(c)) => c.name.get(locale).to_owned(),
        (None, None) => w.all_jewelry.to_owned(),
    };
    let description = category
        .as_ref()
        .map(|c| c.description.get(locale).to_owned())
        .unwrap_or_else(|| w.catalog_description.to_owned());
    let count = pieces(data.total, locale);
    let title =
        if query.page > 1 { fill(w.title_page, &[("heading", &heading), ("n", &query.page)]) } else { heading.clone() };

    let all_href = href(&CatalogQuery { category: None, page: 1, ..query.clone() }.href());
    let category_links = data
        .categories
        .iter()
        .map(|c| {
            let href = href(&CatalogQuery { category: Some(c.id.clone()), page: 1, ..query.clone() }.href());
            let current = query.category.as_deref() == Some(c.id.as_str());
            let count = locale.group_digits(u64::try_from(c.product_count).unwrap_or(0));
            view! {
                <li>
                    <a href=href aria-current=current.then_some("page")>
                        {c.name.get(locale).to_owned()}
                        <span class="count">{count}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    let sort_links = SortOrder::ALL
        .into_iter()
        .map(|sort| {
            let href = href(&CatalogQuery { sort, page: 1, ..query.clone() }.href());
            let current = query.sort == sort;
            view! {
                <li>
                    <a href=href aria-current=current.then_some("true")>{sort.label(w)}</a>
                </li>
            }
        })
        .collect_view();

    let clear_href = href(&CatalogQuery { page: 1, ..CatalogQuery::default() }.href());
    // The metal and price filters: each value a link that chooses it (or, chosen,
    // takes it off), with how many pieces it would leave.
    let prices = expect_context::<jewelry::PriceFormat>();
    let facet_link = move |label: String, count: i64, chosen: bool, to: CatalogQuery| {
        let count_text = locale.group_digits(u64::try_from(count).unwrap_or(0));
        let link = href(&CatalogQuery { page: 1, ..to }.href());
        match (chosen, count) {
            (false, 0) => Either::Left(view! {
                <li>
                    <span class="facet-empty">{label}<span class="count">{count_text}</span></span>
                </li>
            }),
            _ => Either::Right(view! {
                <li>
                    <a
                        href=link
                        aria-current=chosen.then_some("true")
                        title=chosen.then(|| fill(w.remove_filter, &[("value", &label)]))
                    >
                        {label.clone()}
                        <span class="count">{count_text}</span>
                    </a>
                </li>
            }),
        }
    };
    let metal_links = data
        .facets
        .metals
        .iter()
        .map(|(metal, count)| {
            let chosen = query.metal == Some(*metal);
            let to = CatalogQuery { metal: (!chosen).then_some(*metal), ..query.clone() };
            facet_link(metal.label(locale).to_owned(), *count, chosen, to)
        })
        .collect_view();
    let price_links = data
        .facets
        .prices
        .iter()
        .map(|(range, count)| {
            let chosen = query.price == Some(*range);
            let to = CatalogQuery { price: (!chosen).then_some(*range), ..query.clone() };
            facet_link(range.label(prices.currency, w, locale), *count, chosen, to)
        })
        .collect_view();
    let empty = data.products.is_empty();

    view! {
        <Title text=title.clone()/>
        <Meta name="description" content=description.clone()/>
        // Search results are not pages of their own for search engines; a category's
        // page sorted another way has the default order's as its canonical address.
        {(query.search.is_some() || query.has_facets())
            .then(|| view! { <Meta name="robots" content="noindex, follow"/> })}
        <ShareTags
            base
            path=CatalogQuery { category: query.category.clone(), page: query.page, ..CatalogQuery::default() }.href()
            title
            description=description.clone()
        />
        <div class="catalog">
            <aside class="catalog-filters" aria-label=w.filters>
                <h2 class="filter-heading">{w.category}</h2>
                <ul class="category-list">
                    <li>
                        <a href=all_href aria-current=query.category.is_none().then_some("page")>
                            {w.all_jewelry}
                        </a>
                    </li>
                    {category_links}
                </ul>
                <h2 class="filter-heading" id="filter-metal">{w.metal}</h2>
                <ul class="facet-list" aria-labelledby="filter-metal">{metal_links}</ul>
                <h2 class="filter-heading" id="filter-price">{w.price}</h2>
                <ul class="facet-list" aria-labelledby="filter-price">{price_links}</ul>
            </aside>
            <section class="catalog-results" aria-labelledby="catalog-heading">
                <header class="catalog-header">
                    <h1 id="catalog-heading">{heading}</h1>
                    <p class="result-count" role="status">{count}</p>
                </header>
                <p class="catalog-description">{description}</p>
                <div class="catalog-tools">
                    <SearchBox
                        base=Signal::stored(query.clone())
                        id="catalog-search"
                        label=w.catalog_search_label
                        placeholder=w.catalog_search_placeholder
                        button=common::words(locale).search_button
                        class="catalog-search"
                    />
                    <nav class="sort" aria-label=w.sort_by>
                        <span class="sort-label" aria-hidden="true">{w.sort_label}</span>
                        <ul>{sort_links}</ul>
                    </nav>
                </div>
                {if empty {
                    Either::Left(view! {
                        <div class="empty-state">
                            <p>{w.no_results}</p>
                            <p>
                                <a class="button" href=clear_href>{w.clear_filters}</a>
                            </p>
                        </div>
                    })
                } else {
                    Either::Right(view! {
                        <div class="product-grid">
                            {data.products.into_iter().map(|product| view! { <ProductCard product level=2/> }).collect_view()}
                        </div>
                    })
                }}
                <Pagination query=query page_count=data.page_count/>
            </section>
        </div>
    }
}

#[component]
fn Pagination(query: CatalogQuery, page_count: u32) -> impl IntoView {
    (page_count > 1).then(|| {
        let w = store::words(locale());
        let current = query.page;
        let prev = (current > 1).then(|| href(&query.with_page(current - 1).href()));
        let next = (current < page_count).then(|| href(&query.with_page(current + 1).href()));
        let pages = (1..=page_count)
            .map(|n| {
                let href = href(&query.with_page(n).href());
                let is_current = n == current;
                let label = fill(w.page_n, &[("n", &n)]);
                view! {
                    <li>
                        <a
                            href=href
                            aria-current=is_current.then_some("page")
                            aria-label=label
                        >
                            {n}
                        </a>
                    </li>
                }
            })
            .collect_view();
        view! {
            <nav class="pagination" aria-label=w.pages>
                <ul>
                    <li>
                        {match prev {
                            Some(href) => Either::Left(view! { <a href=href rel="prev">{w.previous_page}</a> }),
                            None => Either::Right(view! { <span class="disabled">{w.previous_page}</span> }),
                        }}
                    </li>
                    {pages}
                    <li>
                        {match next {
                            Some(href) => Either::Left(view! { <a href=href rel="next">{w.next_page}</a> }),
                            None => Either::Right(view! { <span class="disabled">{w.next_page}</span> }),
                        }}
                    </li>
                </ul>
            </nav>
        }
    })
}
