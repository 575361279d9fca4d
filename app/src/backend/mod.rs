//! What the server functions and pages know of the request they run in: the
//! services ([`crate::services`]) provided for it, who asks, its status and
//! policy; the cart cookie ([`cart`]) and the built site's asset names
//! ([`assets`]) in modules of their own.

mod assets;
mod cart;

pub use assets::{hash_file, stylesheet_href};
pub use cart::{CART_COOKIE, cart_id, cart_id_or_new, cart_owner, cart_owner_or_new, order_viewer};

use crate::error::ShopError;
use crate::request::RequestContext;
use crate::services::{InsightReports, Media, Shop, ShopContext};
use http::HeaderValue;
use http::header::ACCEPT;
use http::request::Parts;
use jewelry::identity::Identity;
use leptos::prelude::*;
use leptos::reactive::owner::with_context;
use leptos_axum::ResponseOptions;
use std::sync::Arc;
use std::time::Instant;
use uuid::Uuid;

pub fn shop() -> Result<Arc<dyn Shop>, ShopError> {
    use_context::<ShopContext>().map(|c| c.shop).ok_or(ShopError::Unavailable)
}

pub fn media() -> Result<Arc<dyn Media>, ShopError> {
    use_context::<ShopContext>().map(|c| c.media).ok_or(ShopError::Unavailable)
}

/// The currency the shop sells in (a setting).
pub fn currency() -> Result<jewelry::Currency, ShopError> {
    use_context::<ShopContext>().map(|c| c.currency).ok_or(ShopError::Unavailable)
}

/// The countries the shop ships to (a setting), as ISO 3166-1 alpha-2 codes.
pub fn ships_to() -> Result<Arc<[&'static str]>, ShopError> {
    use_context::<ShopContext>().map(|c| c.ships_to).ok_or(ShopError::Unavailable)
}

pub fn insights() -> Result<Arc<dyn InsightReports>, ShopError> {
    use_context::<ShopContext>().map(|c| c.insights).ok_or(ShopError::Unavailable)
}

/// The language the request is served in (the server's language layer decides
/// it: the page's address, or for a server function the page that called it).
pub fn locale() -> jewelry::Locale {
    page_language().locale
}

/// The request's language and the shop's languages, as the language layer put them.
pub fn page_language() -> crate::i18n::PageLanguage {
    with_context::<Parts, _>(|parts| parts.extensions.get::<crate::i18n::PageLanguage>().copied())
        .flatten()
        .unwrap_or_default()
}

/// The current request's context (a blank one outside a request, e.g. in unit tests).
pub fn request_context() -> RequestContext {
    // Borrowed, not cloned: a request's `Parts` (headers, extensions) is copied for nothing.
    with_context::<Parts, _>(|parts| parts.extensions.get::<RequestContext>().cloned()).flatten().unwrap_or_else(|| {
        RequestContext {
            request_id: Arc::from(Uuid::new_v4().to_string()),
            identity: Identity::guest(),
            source_ip: None,
            user_agent: None,
            method: http::Method::GET,
            path: Arc::from(""),
            started: Instant::now(),
            locale: jewelry::Locale::default(),
        }
    })
}

/// Sets the page's `Content-Security-Policy` with this response's nonce (the one
/// Leptos puts on its hydration and streaming scripts).
pub fn set_page_policy() {
    let (Some(nonce), Some(policy), Some(response)) =
        (leptos::nonce::use_nonce(), use_context::<crate::policy::PagePolicy>(), use_context::<ResponseOptions>())
    else {
        return;
    };
    if let Ok(value) = HeaderValue::from_str(&policy.header_value(&nonce)) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// Answers the current page with `error`'s status: called by the notices that
/// stand in for a page's content (`components::notice`), the one place a page's
/// status is set (a page whose subject is missing answers 404, an account page
/// for a guest 401). A server function's error over HTTP gets the same status
/// from `error.status()` in the server's `server_fns::guard`, which would
/// otherwise be server_fn's 500.
pub fn answer_with(error: &ShopError) {
    if let Some(response) = use_context::<ResponseOptions>() {
        response.set_status(error.status());
        if let Some(secs) = error.retry_after_secs() {
            response.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from(secs));
        }
    }
}

/// Redirects a plain HTML form post (the page had no JavaScript yet). The app
/// navigates by itself when it made the call.
pub fn redirect_plain_form(path: &str) {
    let plain_form = use_context::<Parts>()
        .and_then(|parts| parts.headers.get(ACCEPT).and_then(|v| v.to_str().ok()).map(|v| v.contains("text/html")))
        .unwrap_or(false);
    if plain_form {
        leptos_axum::redirect(path);
    }
}

/// The request's identity (guest outside a request).
pub fn identity() -> Identity {
    request_context().identity
}

/// The signed-in user's id, or [`ShopError::SignInRequired`] (answered with 401).
pub fn require_user() -> Result<String, ShopError> {
    identity().user_id().map(str::to_owned).ok_or(ShopError::SignInRequired)
}

/// An admin's id: 401 without a sign-in, 403 without the `admin` group.
pub fn require_admin() -> Result<String, ShopError> {
    let user = require_user()?;
    if identity().is_admin() { Ok(user) } else { Err(ShopError::Forbidden) }
}

/// The consent banner the `consent` layer chose for this page (none outside a request).
pub fn consent_banner() -> jewelry::consent::Banner {
    with_context::<Parts, _>(|parts| parts.extensions.get::<jewelry::consent::Banner>().copied())
        .flatten()
        .unwrap_or_default()
}

/// The choice this browser's consent cookie records for the current notice, and
/// whether it sends Global Privacy Control.
pub fn consent_choice() -> (Option<jewelry::consent::Choice>, bool) {
    with_context::<Parts, _>(|parts| {
        let cookie = parts
            .headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(jewelry::consent::in_cookies);
        let gpc =
            parts.headers.get(jewelry::consent::GPC_HEADER).is_some_and(|v| jewelry::consent::is_gpc(v.as_bytes()));
        (jewelry::consent::current_choice(cookie), gpc)
    })
    .unwrap_or_default()
}
