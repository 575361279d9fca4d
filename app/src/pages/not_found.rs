use crate::components::notice::NotFoundNotice;
use leptos::prelude::*;

/// Any path no route matches.
#[component]
pub fn NotFound() -> impl IntoView {
    view! { <NotFoundNotice what="Page"/> }
}
