//! The catalog search box. Without JavaScript it is a plain GET form; once the app
//! is interactive it navigates in place to the same clean URL the catalog builds.

use jewelry::catalog::{CatalogQuery, SortOrder};
use leptos::html::Input;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

#[component]
pub fn SearchBox(
    /// The query the search refines: its category and sort are kept.
    #[prop(into)]
    base: Signal<CatalogQuery>,
    id: &'static str,
    label: &'static str,
    placeholder: &'static str,
    class: &'static str,
    /// Keep the label for screen readers only (the header's compact box).
    #[prop(optional)]
    hide_label: bool,
) -> impl IntoView {
    let input = NodeRef::<Input>::new();
    let navigate = use_navigate();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let raw = input.get().map(|i| i.value()).unwrap_or_default();
        navigate(&base.get_untracked().with_search(&raw).href(), Default::default());
    };
    let value = move || base.read().search.clone().unwrap_or_default();
    let category = move || base.read().category.clone();
    let sort = move || {
        let sort = base.read().sort;
        (sort != SortOrder::default()).then_some(sort.as_str())
    };
    view! {
        <form action="/catalog" method="get" role="search" class=class on:submit=on_submit>
            <label for=id class=hide_label.then_some("visually-hidden")>
                {label}
            </label>
            <input
                id=id
                node_ref=input
                type="search"
                name="q"
                maxlength="100"
                placeholder=placeholder
                prop:value=value
            />
            {move || category().map(|c| view! { <input type="hidden" name="category" value=c/> })}
            {move || sort().map(|s| view! { <input type="hidden" name="sort" value=s/> })}
            <button type="submit">"Search"</button>
        </form>
    }
}
