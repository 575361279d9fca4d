//! The frame around every page: header with navigation, search and cart, and footer.

use crate::api::{load_cart_count, load_categories};
use crate::components::cart_refresh::CartRefresh;
use crate::components::search::SearchBox;
#[cfg(feature = "ssr")]
use crate::i18n::PageLanguage;
use crate::i18n::{href, locale, page_language};
use jewelry::catalog::CatalogQuery;
use jewelry::catalog::encode_component;
#[cfg(feature = "ssr")]
use jewelry::order::UserSummary;
use jewelry::text::common::words;
#[cfg(feature = "ssr")]
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The header, rendered on the server only (it is not an island).
#[component]
pub fn SiteHeader() -> impl IntoView {
    let categories = Resource::new(|| (), |_| load_categories());
    let language = page_language();
    let w = words(language.locale);
    let here = crate::i18n::here();
    #[cfg(feature = "ssr")]
    let account = {
        let user = crate::backend::identity().user().map(UserSummary::from);
        account_links_html(user.as_ref(), &href(&here), language)
    };
    #[cfg(not(feature = "ssr"))]
    let account = String::new();
    let query = use_query_map();
    let search = move || query.read().get("q").unwrap_or_default();
    let switcher = (language.locales.offered().len() > 1).then(|| view! { <LanguageSwitcher here/> });

    view! {
        <header class="site-header">
            <div class="header-inner">
                // Named by what it shows (WCAG 2.5.3: a spoken command says what is seen).
                <a class="brand" href=href("/")>
                    <span class="brand-mark" aria-hidden="true">"✦"</span>
                    "Lumen "
                    <span class="brand-sub">{w.brand_sub}</span>
                </a>
                <nav class="main-nav" aria-label=w.main_navigation>
                    <ul>
                        <li>
                            <a href=href("/catalog")>{w.shop_all}</a>
                        </li>
                        <Transition fallback=|| ()>
                            {move || Suspend::new(async move {
                                categories
                                    .await
                                    .unwrap_or_default()
                                    .into_iter()
                                    .map(|c| {
                                        let link = href(&format!("/catalog?category={}", c.id));
                                        view! {
                                            <li>
                                                <a href=link>{c.name.get(language.locale).to_owned()}</a>
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
                    label=w.search_label
                    placeholder=w.search_placeholder
                    button=w.search_button
                    class="site-search"
                    hide_label=true
                />
                {switcher}
                <AccountLinks links=account/>
                <CartLink words=CartLinkWords::new(language.locale) href=href("/cart")/>
            </div>
        </header>
    }
}

/// Links to this page in the shop's other languages. Each goes through
/// `/language/{code}`, which remembers the choice (a cookie) and sends the shopper
/// to the page's address in that language, its query kept; the cart is the
/// shopper's whatever the language.
#[component]
fn LanguageSwitcher(here: String) -> impl IntoView {
    let language = page_language();
    let links = language
        .locales
        .offered()
        .iter()
        .filter(|l| **l != language.locale)
        .map(|l| {
            let link = format!("/language/{}?return_to={}", l.code(), encode_component(&here));
            view! {
                <a href=link hreflang=l.code() lang=l.code() class="language-link">
                    {l.native_name()}
                </a>
            }
        })
        .collect_view();
    view! {
        <nav class="language-switcher" aria-label=words(language.locale).language>
            {links}
        </nav>
    }
}

#[component]
pub fn SiteFooter() -> impl IntoView {
    let w = words(locale());
    view! {
        <footer class="site-footer">
            <div class="footer-inner">
                <p>
                    <strong>{w.shop_name}</strong>
                    {w.footer_tagline}
                </p>
                <p>{w.footer_promises}</p>
                <p>
                    <a href=href("/privacy")>{jewelry::text::privacy::words(locale()).privacy_link}</a>
                </p>
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

/// [`AccountLinks`] with the links for `user` (a guest's for `None`), in the
/// `language` given, as HTML.
#[cfg(feature = "ssr")]
pub fn account_element_html(user: Option<&UserSummary>, here: &str, language: PageLanguage) -> String {
    view! { <AccountLinks links=account_links_html(user, here, language)/> }.to_html()
}

/// What is inside the header's `<div class="account-links">`: for a signed-in
/// shopper their name (a link to their account), the admin area for an admin, and
/// sign-out; for a guest, sign-in, returning to `here` (the page's address, in its
/// language). In the `language` given rather than read from the page: the page
/// cache calls this outside any page.
///
/// The one part of a storefront page that depends on who asks. So the pages the
/// server keeps (`page_cache`) are the guests', and a signed-in shopper is sent
/// such a page with these links in place of the guest's; both come from here, and
/// Leptos escapes the name as in any view.
#[cfg(feature = "ssr")]
pub fn account_links_html(user: Option<&UserSummary>, here: &str, language: PageLanguage) -> String {
    let w = words(language.locale);
    let link = move |path: &str| language.locales.path(language.locale, path);
    match user {
        Some(user) => Either::Left(view! {
            <a href=link("/account") class="account-link">
                <span class="visually-hidden">{w.account_of}</span>
                {user.display_name.clone()}
            </a>
            {user.is_admin.then(|| view! { <a href=link("/admin")>{w.admin}</a> })}
            <form method="post" action="/auth/logout" class="signout">
                <button type="submit" class="link-button">{w.sign_out}</button>
            </form>
        }),
        None => Either::Right(view! {
            <a href=format!("/auth/login?return_to={}", encode_component(here)) rel="external">
                {w.sign_in}
            </a>
        }),
    }
    .to_html()
}

crate::island_words!(
    /// What the header's cart link says.
    pub struct CartLinkWords from jewelry::text::common { cart, cart_empty, cart_one, cart_many }
);

/// The header's cart link, an island. The browser asks for the cart's count once
/// the page is interactive, and again after every cart change; the server leaves
/// it out (a `LocalResource` never loads there). So a shopper with a cart gets the
/// same page as a new visitor, one the server keeps (`page_cache`), where
/// rendering it for every shopper with a cart would cost a render each. Until
/// then, and without JavaScript, the badge shows no number.
#[island]
fn CartLink(words: CartLinkWords, href: String) -> impl IntoView {
    let refresh = expect_context::<CartRefresh>();
    let cart = LocalResource::new(move || {
        refresh.0.track();
        load_cart_count()
    });
    let count = move || cart.get().and_then(Result::ok);
    // Said after the visible "Cart" (the badge's bare number is not read out), so
    // the link's name starts with what it shows (WCAG 2.5.3).
    let spoken = {
        let words = words.clone();
        move || match count() {
            None => String::new(),
            Some(0) => words.cart_empty.clone(),
            Some(1) => words.cart_one.clone(),
            Some(n) => jewelry::text::fill(&words.cart_many, &[("n", &n)]),
        }
    };
    view! {
        <a class="cart-link" href=href>
            <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22">
                <path
                    d="M6 7h12l-1.2 12.1a1 1 0 0 1-1 .9H8.2a1 1 0 0 1-1-.9L6 7Zm3 0V6a3 3 0 0 1 6 0v1"
                    fill="none"
                    stroke="currentColor"
                    stroke-width="1.6"
                    stroke-linecap="round"
                ></path>
            </svg>
            <span class="cart-text">{words.cart}</span>
            <span class="cart-count" data-testid="cart-count" aria-hidden="true">
                {count}
            </span>
            <span class="visually-hidden">{spoken}</span>
        </a>
    }
}
