//! The jewelry shop's Leptos application: routes, pages and components, the server
//! functions the pages call (bodies behind `ssr`), and the browser's clickstream
//! tracker (behind `hydrate`).

pub mod api;
#[cfg(feature = "ssr")]
pub mod backend;
pub mod components;
pub mod error;
pub mod events;
pub mod html;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod services;
pub mod tracker;

use components::layout::{SiteFooter, SiteHeader};
use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::{Lazy, LazyRoute, SsrMode, lazy_route, path};
use pages::{
    account::AccountPage,
    admin::AdminPage,
    admin_insights::AdminInsightsPage,
    admin_products::{AdminEditProductPage, AdminNewProductPage, AdminProductsPage},
    cart::CartPage,
    catalog::CatalogPage,
    checkout::CheckoutPage,
    home::HomePage,
    not_found::NotFound,
    order::OrderPage,
    product::ProductPage,
    signin::SignInPage,
};

/// The shop's name, at the end of every page's title.
pub const SHOP_NAME: &str = "Lumen Jewelry";

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
    let (stylesheet, first_page_view) = (backend::stylesheet_href(&options), backend::first_page_view_script());
    #[cfg(not(feature = "ssr"))]
    let (stylesheet, first_page_view) = (String::new(), "");
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#1f1a17"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                // Before the stylesheet, which would hold an inline script up until it loads.
                <script nonce=leptos::nonce::use_nonce()>{first_page_view}</script>
                <link rel="stylesheet" href=stylesheet/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Bumped after every cart change so the header badge and cart views reload.
#[derive(Clone, Copy)]
pub struct CartRefresh(pub RwSignal<u32>);

impl CartRefresh {
    pub fn bump(&self) {
        self.0.update(|v| *v = v.wrapping_add(1));
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(CartRefresh(RwSignal::new(0)));
    provide_context(components::seo::Site(Resource::new(|| (), |_| api::load_site_url())));

    view! {
        <Title formatter=page_title/>
        <Router>
            <PageTracking/>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <SiteHeader/>
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/catalog") view=CatalogPage ssr=SsrMode::Async/>
                    <Route path=path!("/products/:id") view=ProductPage ssr=SsrMode::Async/>
                    <Route path=path!("/cart") view=CartPage ssr=SsrMode::Async/>
                    <Route path=path!("/checkout") view={Lazy::<Checkout>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/orders/:id") view={Lazy::<Order>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/signin") view={Lazy::<SignIn>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/account") view={Lazy::<Account>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin") view={Lazy::<Admin>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/products") view={Lazy::<AdminProducts>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/insights") view={Lazy::<AdminInsights>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/products/new") view={Lazy::<AdminNewProduct>::new()} ssr=SsrMode::Async/>
                    <Route
                        path=path!("/admin/products/:id/edit")
                        view={Lazy::<AdminEditProduct>::new()}
                        ssr=SsrMode::Async
                    />
                </Routes>
            </main>
            <SiteFooter/>
        </Router>
    }
}

// The pages a shopper's first visit does not need: checking out, orders, signing
// in, the account and the admin pages. Each is a wasm chunk of its own (built with
// `cargo leptos build --split`) that the browser fetches when the page is first
// shown, so the storefront's first download is the catalog's code alone.

struct Checkout;

#[lazy_route]
impl LazyRoute for Checkout {
    fn data() -> Self {
        Checkout
    }

    fn view(_this: Self) -> AnyView {
        view! { <CheckoutPage/> }.into_any()
    }
}

struct Order;

#[lazy_route]
impl LazyRoute for Order {
    fn data() -> Self {
        Order
    }

    fn view(_this: Self) -> AnyView {
        view! { <OrderPage/> }.into_any()
    }
}

struct SignIn;

#[lazy_route]
impl LazyRoute for SignIn {
    fn data() -> Self {
        SignIn
    }

    fn view(_this: Self) -> AnyView {
        view! { <SignInPage/> }.into_any()
    }
}

struct Account;

#[lazy_route]
impl LazyRoute for Account {
    fn data() -> Self {
        Account
    }

    fn view(_this: Self) -> AnyView {
        view! { <AccountPage/> }.into_any()
    }
}

struct Admin;

#[lazy_route]
impl LazyRoute for Admin {
    fn data() -> Self {
        Admin
    }

    fn view(_this: Self) -> AnyView {
        view! { <AdminPage/> }.into_any()
    }
}

struct AdminProducts;

#[lazy_route]
impl LazyRoute for AdminProducts {
    fn data() -> Self {
        AdminProducts
    }

    fn view(_this: Self) -> AnyView {
        view! { <AdminProductsPage/> }.into_any()
    }
}

struct AdminInsights;

#[lazy_route]
impl LazyRoute for AdminInsights {
    fn data() -> Self {
        AdminInsights
    }

    fn view(_this: Self) -> AnyView {
        view! { <AdminInsightsPage/> }.into_any()
    }
}

struct AdminNewProduct;

#[lazy_route]
impl LazyRoute for AdminNewProduct {
    fn data() -> Self {
        AdminNewProduct
    }

    fn view(_this: Self) -> AnyView {
        view! { <AdminNewProductPage/> }.into_any()
    }
}

struct AdminEditProduct;

#[lazy_route]
impl LazyRoute for AdminEditProduct {
    fn data() -> Self {
        AdminEditProduct
    }

    fn view(_this: Self) -> AnyView {
        view! { <AdminEditProductPage/> }.into_any()
    }
}

/// Sends `page_view` once for every page shown (the first load, then each
/// client-side navigation), and marks the end of hydration on `<body>`.
/// Effects never run on the server, so none of this happens during rendering.
#[component]
fn PageTracking() -> impl IntoView {
    let location = use_location();
    let url = Memo::new(move |_| {
        let search = location.search.get();
        let path = location.pathname.get();
        if search.is_empty() { path } else { format!("{path}?{search}") }
    });
    Effect::new(move |_| tracker::page_view(url.get()));
    Effect::new(|_| tracker::mark_hydrated());
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Waits for the chunk of a lazy page shown first (see above).
    leptos::mount::hydrate_lazy(App);
}
