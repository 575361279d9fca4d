//! The frame around every page: header with navigation, search and cart, and footer.

use crate::CartRefresh;
use crate::api::{current_user, load_cart_count, load_categories};
use crate::components::search::SearchBox;
use jewelry::catalog::CatalogQuery;
use jewelry::catalog::encode_component;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};

#[component]
pub fn SiteHeader() -> impl IntoView {
    let categories = Resource::new(|| (), |_| load_categories());
    let user = Resource::new(|| (), |_| current_user());
    let location = use_location();
    let here = move || {
        let search = location.search.get();
        let path = location.pathname.get();
        if search.is_empty() { path } else { format!("{path}?{search}") }
    };
    let query = use_query_map();
    let search = move || query.read().get("q").unwrap_or_default();

    view! {
        <header class="site-header">
            <div class="header-inner">
                <a class="brand" href="/" aria-label="Lumen Jewelry, home">
                    <span class="brand-mark" aria-hidden="true">"✦"</span>
                    "Lumen"
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
                <div class="account-links">
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            match user.await.ok().flatten() {
                                Some(user) => Either::Left(view! {
                                    <a href="/account" class="account-link">
                                        <span class="visually-hidden">"Account of "</span>
                                        {user.display_name}
                                    </a>
                                    {user.is_admin.then(|| view! { <a href="/admin">"Admin"</a> })}
                                    <form method="post" action="/auth/logout" class="signout">
                                        <button type="submit" class="link-button">"Sign out"</button>
                                    </form>
                                }),
                                None => Either::Right(view! {
                                    <a
                                        href=move || format!("/auth/login?return_to={}", encode_component(&here()))
                                        rel="external"
                                    >
                                        "Sign in"
                                    </a>
                                }),
                            }
                        })}
                    </Transition>
                </div>
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

/// The header's cart link, an island: the one part of a storefront page that is
/// the shopper's own. The browser asks for the cart once the page is interactive,
/// and again after every cart change; the server leaves it out (a `LocalResource`
/// never loads there). So a shopper with a cart gets the same page as a new
/// visitor, one the server keeps (`page_cache`), where rendering it for every
/// shopper with a cart would cost a render each. Until then, and without
/// JavaScript, the badge shows no number.
#[island]
fn CartLink() -> impl IntoView {
    let refresh = expect_context::<CartRefresh>();
    let cart = LocalResource::new(move || {
        refresh.0.track();
        load_cart_count()
    });
    let count = move || cart.get().and_then(Result::ok);
    let label = move || match count() {
        None => "Cart".to_owned(),
        Some(0) => "Cart, empty".to_owned(),
        Some(1) => "Cart, 1 item".to_owned(),
        Some(n) => format!("Cart, {n} items"),
    };
    view! {
        <a class="cart-link" href="/cart" aria-label=label>
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
            <span class="cart-count" data-testid="cart-count">
                {count}
            </span>
        </a>
    }
}
