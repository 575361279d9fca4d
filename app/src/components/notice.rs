//! Messages that stand in for a page's content: errors, "not found", "sign in".
//! On a page, these notices alone set the answer's status (from the error's
//! [`ShopError::status`]); over HTTP, a server function's error gets it from the
//! server's `server_fns::guard`.

use crate::api::ShopError;
use crate::error::ErrorWords;
use crate::i18n::{href, locale};
use jewelry::text::common::words;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// An error where the page's content would be. `words` are the page's (an island
/// has them as a prop; a server page makes them with `ErrorWords::new(locale())`).
#[component]
pub fn ErrorNotice(error: ShopError, words: ErrorWords) -> impl IntoView {
    // The page answers with the error's status (503 while the shop is unavailable),
    // so it is never kept as the page, and crawlers come back for it.
    #[cfg(feature = "ssr")]
    crate::backend::answer_with(&error);
    view! {
        <div class="notice notice-error" role="alert">
            <p>{error.say(&words)}</p>
        </div>
    }
}

/// What was not found, for [`NotFoundNotice`]'s heading.
#[derive(Clone, Copy, Debug)]
pub enum Missing {
    Page,
    Product,
    Order,
}

/// "Not found" content for a page whose subject does not exist; answers 404.
#[component]
pub fn NotFoundNotice(what: Missing) -> impl IntoView {
    let w = words(locale());
    let heading = match what {
        Missing::Page => w.not_found_title,
        Missing::Product => w.not_found_product,
        Missing::Order => w.not_found_order,
    };
    view! {
        <NotFoundSection
            heading=heading.to_owned()
            body=w.not_found_body.to_owned()
            browse=w.browse_collection.to_owned()
            catalog=href("/catalog")
        />
    }
}

/// [`NotFoundNotice`]'s content with its words and the catalog's address given
/// (an island has them as props); answers 404.
#[component]
pub fn NotFoundSection(heading: String, body: String, browse: String, catalog: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::backend::answer_with(&ShopError::NotFound);
    view! {
        <Title text=heading.clone()/>
        <section class="notice-page">
            <h1>{heading}</h1>
            <p>{body}</p>
            <p>
                <a class="button" href=catalog>{browse}</a>
            </p>
        </section>
    }
}

/// A product taken out of the shop: its old address answers 410 with this page.
#[component]
pub fn GoneNotice() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::backend::answer_with(&ShopError::Gone);
    let w = words(locale());
    view! {
        <Title text=w.gone_title/>
        <Meta name="robots" content="noindex"/>
        <section class="notice-page">
            <h1>{w.gone_title}</h1>
            <p>{w.gone_body}</p>
            <p>
                <a class="button" href=href("/catalog")>{w.browse_collection}</a>
            </p>
        </section>
    }
}

/// "Please sign in", with a link that comes back here afterwards; answers 401.
#[component]
pub fn SignInNotice(#[prop(into)] return_to: String) -> impl IntoView {
    let w = words(locale());
    view! { <SignInPrompt address=href(&return_to) notice=w.sign_in_notice.to_owned() action=w.sign_in.to_owned()/> }
}

/// [`SignInNotice`] with its words and the address to come back to (in the
/// page's language) given, as an island has them; answers 401.
#[component]
pub fn SignInPrompt(address: String, notice: String, action: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::backend::answer_with(&ShopError::SignInRequired);
    let login = format!("/auth/login?return_to={}", jewelry::catalog::encode_component(&address));
    view! {
        <div class="notice notice-warning" role="alert">
            <p>{notice}</p>
            <p>
                <a class="button" href=login rel="external">{action}</a>
            </p>
        </div>
    }
}

/// An admin page for a signed-in shopper who is not an admin; answers 403.
#[component]
pub fn ForbiddenNotice() -> impl IntoView {
    view! { <ForbiddenPrompt notice=words(locale()).forbidden_notice.to_owned()/> }
}

/// [`ForbiddenNotice`] with its words given, as an island has them; answers 403.
#[component]
pub fn ForbiddenPrompt(notice: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::backend::answer_with(&ShopError::Forbidden);
    view! {
        <div class="notice notice-error" role="alert">
            <p>{notice}</p>
        </div>
    }
}
