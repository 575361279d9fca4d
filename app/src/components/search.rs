//! The catalog search box: a plain GET form to the catalog (in the page's
//! language), which keeps the category and sort it refines.

use crate::i18n::href;
use jewelry::catalog::{CatalogQuery, SortOrder};
use leptos::prelude::*;

/// Server-rendered (its form goes to the catalog in the page's language): `label`,
/// `placeholder` and `button` are the caller's words in that language, from
/// `jewelry::text`.
#[component]
pub fn SearchBox(
    /// The query the search refines: its category and sort are kept.
    #[prop(into)]
    base: Signal<CatalogQuery>,
    id: &'static str,
    label: &'static str,
    placeholder: &'static str,
    /// The submit button's words.
    button: &'static str,
    class: &'static str,
    /// Keep the label for screen readers only (the header's compact box).
    #[prop(optional)]
    hide_label: bool,
) -> impl IntoView {
    let action = href("/catalog");
    let value = move || base.read().search.clone().unwrap_or_default();
    let category = move || base.read().category.clone();
    let sort = move || {
        let sort = base.read().sort;
        (sort != SortOrder::default()).then_some(sort.as_str())
    };
    view! {
        <form action=action method="get" role="search" class=class>
            <label for=id class=hide_label.then_some("visually-hidden")>
                {label}
            </label>
            <input
                id=id
                type="search"
                name="q"
                maxlength="100"
                placeholder=placeholder
                value=value
            />
            {move || category().map(|c| view! { <input type="hidden" name="category" value=c/> })}
            {move || sort().map(|s| view! { <input type="hidden" name="sort" value=s/> })}
            <button type="submit">{button}</button>
        </form>
    }
}
