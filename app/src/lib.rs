//! The jewelry shop's Leptos application: routes, pages and components, the server
//! functions the pages call (bodies behind `ssr`), and the browser's clickstream
//! tracker (behind `hydrate`).
//!
//! Pages are rendered on the server only. The parts a shopper interacts with are
//! islands (`#[island]`): the browser hydrates those alone, so the wasm holds their
//! code and the tracker's, not the pages', and every link is a page load.

pub mod api;
#[cfg(feature = "ssr")]
pub mod backend;
pub mod components;
pub mod error;
pub mod events;
pub mod html;
pub mod i18n;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod policy;
#[cfg(feature = "ssr")]
pub mod request;
#[cfg(feature = "ssr")]
pub mod services;
pub mod tracker;

pub use components::cart_refresh::CartRefresh;
pub use components::seo::SHOP_NAME;

use components::browser::HydratedMark;
use components::layout::{SiteFooter, SiteHeader};
use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};
use pages::{
    account::AccountPage,
    admin::AdminPage,
    admin_insights::AdminInsightsPage,
    admin_orders::{AdminMailPage, AdminOrderPage, AdminOrdersPage},
    admin_products::{AdminEditProductPage, AdminNewProductPage, AdminProductsPage},
    cart::CartPage,
    catalog::CatalogPage,
    checkout::CheckoutPage,
    home::HomePage,
    not_found::NotFound,
    order::OrderPage,
    privacy::PrivacyPage,
    product::ProductPage,
    signin::SignInPage,
};

/// Every page's `<title>`, made from the words the page gives its `<Title text=...>`:
/// those, then the shop's name. The one formatter, set once in [`App`], so every
/// title passes through here. Titles carry shoppers' search words and admins'
/// product names, and the server writes the title raw: see [`html::raw_text`].
pub fn page_title(words: String) -> String {
    html::raw_text(if words.is_empty() { SHOP_NAME.to_owned() } else { format!("{words} · {SHOP_NAME}") })
}

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    backend::set_page_policy();
    #[cfg(feature = "ssr")]
    let (stylesheet, first_page_view) = (backend::stylesheet_href(&options), tracker::first_page_view_script());
    #[cfg(not(feature = "ssr"))]
    let (stylesheet, first_page_view) = (String::new(), "");
    // The request's language (the server's language layer chose it), for the whole
    // page; prices are written in it. Read again by the browser for the islands
    // ([`components::browser::page_prices`]).
    #[cfg(feature = "ssr")]
    let language = backend::page_language();
    #[cfg(not(feature = "ssr"))]
    let language = i18n::PageLanguage::default();
    provide_context(language);
    let prices = jewelry::PriceFormat { locale: language.locale, ..use_context().unwrap_or_default() };
    provide_context(prices);
    view! {
        <!DOCTYPE html>
        <html lang=prices.locale.code() data-currency=prices.currency.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#1f1a17"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                // Before the stylesheet, which would hold an inline script up until it loads.
                <script nonce=leptos::nonce::use_nonce()>{first_page_view}</script>
                <link rel="stylesheet" href=stylesheet/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(CartRefresh(RwSignal::new(0)));
    provide_context(components::seo::Site(Resource::new(|| (), |_| api::load_site_url())));

    let words = jewelry::text::common::words(i18n::locale());
    view! {
        <Title formatter=page_title/>
        <OtherLanguages/>
        <Router>
            <a class="skip-link" href="#main">{words.skip_to_content}</a>
            <SiteHeader/>
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/catalog") view=CatalogPage ssr=SsrMode::Async/>
                    <Route path=path!("/products/:id") view=ProductPage ssr=SsrMode::Async/>
                    <Route path=path!("/cart") view=CartPage ssr=SsrMode::Async/>
                    <Route path=path!("/checkout") view=CheckoutPage ssr=SsrMode::Async/>
                    <Route path=path!("/orders/:id") view=OrderPage ssr=SsrMode::Async/>
                    <Route path=path!("/signin") view=SignInPage ssr=SsrMode::Async/>
                    <Route path=path!("/privacy") view=PrivacyPage ssr=SsrMode::Async/>
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin") view=AdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/products") view=AdminProductsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/insights") view=AdminInsightsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/orders") view=AdminOrdersPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/orders/:id") view=AdminOrderPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/mail") view=AdminMailPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/products/new") view=AdminNewProductPage ssr=SsrMode::Async/>
                    <Route
                        path=path!("/admin/products/:id/edit")
                        view=AdminEditProductPage
                        ssr=SsrMode::Async
                    />
                </Routes>
            </main>
            <SiteFooter/>
            <components::consent::ConsentBanner/>
        </Router>
        <HydratedMark/>
    }
}

/// The canonical and `hreflang` links of a page that does not make its own: every
/// page but the home page, the catalog and products (their [`ShareTags`] do).
///
/// [`ShareTags`]: components::seo::ShareTags
#[component]
fn OtherLanguages() -> impl IntoView {
    let here = i18n::here();
    let path = here.split('?').next().unwrap_or("/");
    let shared = path == "/" || path == "/catalog" || path.starts_with("/products/");
    (!shared).then(|| {
        view! {
            <Suspense fallback=|| ()>
                {move || {
                    let here = here.clone();
                    Suspend::new(async move {
                        let base = components::seo::site_origin().await;
                        view! { <components::seo::LanguageLinks base path=here/> }
                    })
                }}
            </Suspense>
        }
    })
}

/// The browser's entry point. Only the islands are made interactive (the rest of
/// the page is the server's HTML, and its code is not in the wasm); every
/// navigation is a page load, sending one `page_view` here.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // What the islands share, as `App` provides it on the server: cart changes, so
    // the header's badge reloads after an island changes the cart, and how the page
    // writes prices (the server wrote it on `<html>`).
    provide_context(CartRefresh(RwSignal::new(0)));
    provide_context(components::browser::page_prices());
    // The page's language, so an island names a product as the page does (its
    // words come as props; the addresses' rule is the server's, not needed here).
    provide_context(i18n::PageLanguage {
        locale: components::browser::page_locale().unwrap_or_default(),
        ..Default::default()
    });
    // The page's own script sent this view before the wasm arrived; the tracker
    // sends the same event (same `eventId`) and takes over from it.
    tracker::page_view();
}
