use crate::components::notice::{Missing, NotFoundNotice};
use leptos::prelude::*;

/// Any path no route matches.
#[component]
pub fn NotFound() -> impl IntoView {
    view! { <NotFoundNotice what=Missing::Page/> }
}
