//! The browser's own doings the islands share: going to another page, how the page
//! writes prices, and saying when the page is interactive.

#[cfg(feature = "hydrate")]
use jewelry::Currency;
use jewelry::{Locale, PriceFormat};
use leptos::prelude::*;

/// Sends the browser to `path`, a new page load (the shop has no client-side
/// routing: each page is the server's, with its islands made interactive).
pub fn go_to(path: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

/// How the page writes prices, as the server wrote it on `<html>`: `lang` and
/// `data-currency`. The islands format amounts with it in the browser.
pub fn page_prices() -> PriceFormat {
    #[cfg(feature = "hydrate")]
    {
        PriceFormat {
            currency: html_attribute("data-currency").and_then(|c| Currency::parse(&c)).unwrap_or_default(),
            locale: page_locale().unwrap_or_default(),
        }
    }
    #[cfg(not(feature = "hydrate"))]
    PriceFormat::default()
}

/// The page's language, as the server wrote it on `<html lang>`, when the shop
/// speaks it (none outside the browser).
pub fn page_locale() -> Option<Locale> {
    #[cfg(feature = "hydrate")]
    {
        html_attribute("lang").and_then(|l| Locale::parse(&l))
    }
    #[cfg(not(feature = "hydrate"))]
    None
}

/// An attribute of the page's `<html>` element.
#[cfg(feature = "hydrate")]
fn html_attribute(name: &str) -> Option<String> {
    web_sys::window()?.document()?.document_element()?.get_attribute(name)
}

/// Marks the end of hydration on `<body>` (`data-hydrated="true"`), which the
/// end-to-end tests and `bench/vitals` wait for. The browser hydrates a page's
/// islands in document order, waiting for each lazy island's chunk, so this last
/// island runs once every island before it is interactive. It renders nothing.
#[island]
pub fn HydratedMark() -> impl IntoView {
    Effect::new(|_| mark_hydrated());
}

/// Sets `<body data-hydrated="true">` (nothing on the server).
fn mark_hydrated() {
    #[cfg(feature = "hydrate")]
    if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
