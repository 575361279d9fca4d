//! The frame around every page: header with navigation, search and cart, and footer.

use crate::api::{load_cart_count, load_categories};
use crate::components::cart_refresh::CartRefresh;
use crate::components::search::SearchBox;
use jewelry::catalog::CatalogQuery;
#[cfg(feature = "ssr")]
use jewelry::{catalog::encode_component, order::UserSummary};
#[cfg(feature = "ssr")]
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The header, rendered on the server only (it is not an island).
#[component]
pub fn SiteHeader() -> impl IntoView {
    let categories = Resource::new(|| (), |_| load_categories());
    #[cfg(feature = "ssr")]
    let account = {
        let user = crate::backend::identity().user().map(UserSummary::from);
        // Read in place, as `backend::request_context` does: the request's parts
        // are not copied for it.
        let here = with_context::<http::request::Parts, _>(|parts| parts.uri.path_and_query().map(ToString::to_string))
            .flatten()
            .unwrap_or_else(|| "/".to_owned());
        account_links_html(user.as_ref(), &here)
    };
    #[cfg(not(feature = "ssr"))]
    let account = String::new();
    let query = use_query_map();
    let search = move || query.read().get("q").unwrap_or_default();

    view! {
        <header class="site-header">
            <div class="header-inner">
                // Named by what it shows (WCAG 2.5.3: a spoken command says what is seen).
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true">"✦"</span>
                    "Lumen "
                    <span class="brand-sub">"Jewelry"</span>
                </a>
                <nav class="main-nav" aria-label="Main">
                    <ul>
                        <li>
                            <a href="/catalog">"Shop all"</a>
                        </li>
                        <Transition fallback=|| ()>
                            {move || Suspend::new(async move {
                                categories
                                    .await
                                    .unwrap_or_default()
                                    .into_iter()
                                    .map(|c| {
                                        let href = format!("/catalog?category={}", c.id);
                                        view! {
                                            <li>
                                                <a href=href>{c.name}</a>
                                            </li>
                                        }
                                    })
                                    .collect_view()
                            })}
                        </Transition>
                    </ul>
                </nav>
                <SearchBox
                    base=Signal::derive(move || CatalogQuery::default().with_search(&search()))
                    id="site-search"
                    label="Search jewelry"
                    placeholder="Search rings, pearls, brands…"
                    class="site-search"
                    hide_label=true
                />
                <AccountLinks links=account/>
                <CartLink/>
            </div>
        </header>
    }
}

#[component]
pub fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <div class="footer-inner">
                <p>
                    <strong>"Lumen Jewelry"</strong>
                    " · Fine jewelry, insured delivery, cash on delivery."
                </p>
                <p>"Free shipping on every order · 30-day returns · Lifetime cleaning"</p>
            </div>
        </footer>
    }
}

/// The header's account element: `links` ([`account_links_html`]) in their
/// `<div class="account-links">`. Rendered by the header, and by the server's page
/// cache ([`account_element_html`]), which finds a kept page's guest element by it
/// and puts a signed-in shopper's in its place: one function, so the two cannot
/// drift apart.
#[component]
pub fn AccountLinks(links: String) -> impl IntoView {
    view! { <div class="account-links" inner_html=links></div> }
}

/// [`AccountLinks`] with the links for `user` (a guest's for `None`), as HTML.
#[cfg(feature = "ssr")]
pub fn account_element_html(user: Option<&UserSummary>, here: &str) -> String {
    view! { <AccountLinks links=account_links_html(user, here)/> }.to_html()
}

/// What is inside the header's `<div class="account-links">`: for a signed-in
/// shopper their name (a link to their account), the admin area for an admin, and
/// sign-out; for a guest, sign-in, returning to `here` (the page's path and query).
///
/// The one part of a storefront page that depends on who asks. So the pages the
/// server keeps (`page_cache`) are the guests', and a signed-in shopper is sent
/// such a page with these links in place of the guest's; both come from here, and
/// Leptos escapes the name as in any view.
#[cfg(feature = "ssr")]
pub fn account_links_html(user: Option<&UserSummary>, here: &str) -> String {
    match user {
        Some(user) => Either::Left(view! {
            <a href="/account" class="account-link">
                <span class="visually-hidden">"Account of "</span>
                {user.display_name.clone()}
            </a>
            {user.is_admin.then(|| view! { <a href="/admin">"Admin"</a> })}
            <form method="post" action="/auth/logout" class="signout">
                <button type="submit" class="link-button">"Sign out"</button>
            </form>
        }),
        None => Either::Right(view! {
            <a href=format!("/auth/login?return_to={}", encode_component(here)) rel="external">
                "Sign in"
            </a>
        }),
    }
    .to_html()
}

/// The header's cart link, an island. The browser asks for the cart's count once
/// the page is interactive, and again after every cart change; the server leaves
/// it out (a `LocalResource` never loads there). So a shopper with a cart gets the
/// same page as a new visitor, one the server keeps (`page_cache`), where
/// rendering it for every shopper with a cart would cost a render each. Until
/// then, and without JavaScript, the badge shows no number.
#[island]
fn CartLink() -> impl IntoView {
    let refresh = expect_context::<CartRefresh>();
    let cart = LocalResource::new(move || {
        refresh.0.track();
        load_cart_count()
    });
    let count = move || cart.get().and_then(Result::ok);
    // Said after the visible "Cart" (the badge's bare number is not read out), so
    // the link's name starts with what it shows (WCAG 2.5.3).
    let spoken = move || match count() {
        None => String::new(),
        Some(0) => " (empty)".to_owned(),
        Some(1) => " (1 item)".to_owned(),
        Some(n) => format!(" ({n} items)"),
    };
    view! {
        <a class="cart-link" href="/cart">
            <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22">
                <path
                    d="M6 7h12l-1.2 12.1a1 1 0 0 1-1 .9H8.2a1 1 0 0 1-1-.9L6 7Zm3 0V6a3 3 0 0 1 6 0v1"
                    fill="none"
                    stroke="currentColor"
                    stroke-width="1.6"
                    stroke-linecap="round"
                ></path>
            </svg>
            <span class="cart-text">"Cart"</span>
            <span class="cart-count" data-testid="cart-count" aria-hidden="true">
                {count}
            </span>
            <span class="visually-hidden">{spoken}</span>
        </a>
    }
}
