//! The browser's own doings the islands share: going to another page, and saying
//! when the page is interactive.

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
