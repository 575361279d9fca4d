//! Messages that stand in for a page's content: errors, "not found", "sign in".
//! On a page, these notices alone set the answer's status (from the error's
//! [`ShopError::status`]); over HTTP, a server function's error gets it from the
//! server's `server_fns::guard`.

use crate::api::ShopError;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

#[component]
pub fn ErrorNotice(error: ShopError) -> impl IntoView {
    // The page answers with the error's status (503 while the shop is unavailable),
    // so it is never kept as the page, and crawlers come back for it.
    #[cfg(feature = "ssr")]
    crate::backend::answer_with(&error);
    view! {
        <div class="notice notice-error" role="alert">
            <p>{error.to_string()}</p>
        </div>
    }
}

/// "Not found" content for a page whose subject does not exist; answers 404.
#[component]
pub fn NotFoundNotice(#[prop(into)] what: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::backend::answer_with(&ShopError::NotFound);
    view! {
        <Title text=format!("{what} not found")/>
        <section class="notice-page">
            <h1>{format!("{what} not found")}</h1>
            <p>"It may have sold out for good, or the link may be mistyped."</p>
            <p>
                <a class="button" href="/catalog">"Browse the collection"</a>
            </p>
        </section>
    }
}

/// A product taken out of the shop: its old address answers 410 with this page.
#[component]
pub fn GoneNotice() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::backend::answer_with(&ShopError::Gone);
    view! {
        <Title text="No longer available"/>
        <Meta name="robots" content="noindex"/>
        <section class="notice-page">
            <h1>"This piece is no longer available"</h1>
            <p>"It has left the collection. Similar pieces may be in the catalog."</p>
            <p>
                <a class="button" href="/catalog">"Browse the collection"</a>
            </p>
        </section>
    }
}

/// "Please sign in", with a link that comes back here afterwards; answers 401.
#[component]
pub fn SignInNotice(#[prop(into)] return_to: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::backend::answer_with(&ShopError::SignInRequired);
    let href = format!("/auth/login?return_to={}", jewelry::catalog::encode_component(&return_to));
    view! {
        <div class="notice notice-warning" role="alert">
            <p>"Please sign in to see this page."</p>
            <p>
                <a class="button" href=href rel="external">"Sign in"</a>
            </p>
        </div>
    }
}

/// An admin page for a signed-in shopper who is not an admin; answers 403.
#[component]
pub fn ForbiddenNotice() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::backend::answer_with(&ShopError::Forbidden);
    view! {
        <div class="notice notice-error" role="alert">
            <p>"This area is for the shop's administrators. Your account is not one of them."</p>
        </div>
    }
}
