//! What the server functions know of the request they run in: the services
//! ([`crate::services`]) provided for it, who asks, and the cart cookie.

use crate::error::ShopError;
use crate::services::{CartId, CartOwner, Insights, Media, OrderViewer, RequestContext, Shop, ShopContext};
use cookie::{Cookie, SameSite};
use http::HeaderValue;
use http::header::{ACCEPT, COOKIE, SET_COOKIE};
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

pub fn insights() -> Result<Arc<dyn Insights>, ShopError> {
    use_context::<ShopContext>().map(|c| c.insights).ok_or(ShopError::Unavailable)
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
        }
    })
}

/// Sets the page's `Content-Security-Policy` with this response's nonce (the one
/// Leptos puts on its hydration and streaming scripts).
pub fn set_page_policy() {
    let (Some(nonce), Some(policy), Some(response)) =
        (leptos::nonce::use_nonce(), use_context::<crate::services::PagePolicy>(), use_context::<ResponseOptions>())
    else {
        return;
    };
    if let Ok(value) = HeaderValue::from_str(&policy.header_value(&nonce)) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// Answers the current request with `error`'s status: the one place a shop error's
/// status is set while a server function or a page runs (a page whose subject is
/// missing answers 404, an account page for a guest 401). A server function's
/// error over HTTP gets the same status from `error.status()` in the server's
/// `server_fns::guard`, as server_fn itself would answer 500.
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
    match identity().user_id() {
        Some(id) => Ok(id.to_owned()),
        None => {
            answer_with(&ShopError::SignInRequired);
            Err(ShopError::SignInRequired)
        }
    }
}

/// An admin's id: 401 without a sign-in, 403 without the `admin` group.
pub fn require_admin() -> Result<String, ShopError> {
    let user = require_user()?;
    if identity().is_admin() {
        Ok(user)
    } else {
        answer_with(&ShopError::Forbidden);
        Err(ShopError::Forbidden)
    }
}

/// The cart to read: the user's when signed in, else the cookie's (if any).
pub fn cart_owner() -> Option<CartOwner> {
    match identity().user_id() {
        Some(user) => Some(CartOwner::User(user.to_owned())),
        None => cart_id().map(CartOwner::Guest),
    }
}

/// The cart to change: the user's when signed in, else the cookie's or a new one.
pub fn cart_owner_or_new() -> Result<CartOwner, ShopError> {
    match identity().user_id() {
        Some(user) => Ok(CartOwner::User(user.to_owned())),
        None => cart_id_or_new().map(CartOwner::Guest),
    }
}

/// Who is asking for an order: the user and the browser's cart.
pub fn order_viewer() -> OrderViewer {
    OrderViewer { user_id: identity().user_id().map(str::to_owned), cart: cart_id() }
}

pub const CART_COOKIE: &str = "jw_cart";
/// A guest cart outlives browser restarts for this long after its last change.
const CART_COOKIE_DAYS: i64 = 90;

/// The cart named by the request's cookie, if it names one.
pub fn cart_id() -> Option<CartId> {
    let parts = use_context::<Parts>()?;
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == CART_COOKIE)
        .and_then(|c| CartId::parse(c.value()))
}

/// The request's cart, or a new one; either way the cookie is (re)set so the cart
/// lasts [`CART_COOKIE_DAYS`] from now.
pub fn cart_id_or_new() -> Result<CartId, ShopError> {
    let id = cart_id().unwrap_or_else(CartId::new_random);
    let secure = use_context::<ShopContext>().is_some_and(|c| c.secure_cookies);
    let cookie = Cookie::build((CART_COOKIE, id.to_string()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(cookie::time::Duration::days(CART_COOKIE_DAYS))
        .build();
    let value = HeaderValue::from_str(&cookie.to_string()).map_err(|_| ShopError::Unavailable)?;
    if let Some(response) = use_context::<ResponseOptions>() {
        response.append_header(SET_COOKIE, value);
    }
    Ok(id)
}

/// Where cargo-leptos's `hash-files` leaves the content hashes it put in the built
/// site's file names (`jewelry.<hash>.css`): `hash.txt` (`options.hash_file`) beside
/// the server binary, where Leptos's `HydrationScripts` reads them too. `None`
/// without the file (a build without hashing, or a test binary).
pub fn hash_file(options: &LeptosOptions) -> Option<std::path::PathBuf> {
    let path = std::env::current_exe().ok()?.parent()?.join(options.hash_file.as_ref());
    path.is_file().then_some(path)
}

/// The href of the site's stylesheet: the hashed name when the site was built with
/// hashed names (`options.hash_files`), else the plain one. The hash file is read once.
pub fn stylesheet_href(options: &LeptosOptions) -> String {
    static CSS_HASH: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let hash = options
        .hash_files
        .then(|| {
            CSS_HASH.get_or_init(|| {
                let hashes = std::fs::read_to_string(hash_file(options)?).ok()?;
                hashes.lines().find_map(|line| {
                    let (kind, hash) = line.split_once(':')?;
                    (kind.trim() == "css").then(|| hash.trim().to_owned())
                })
            })
        })
        .and_then(Option::as_ref);
    let (pkg, name) = (&options.site_pkg_dir, &options.output_name);
    match hash {
        Some(hash) => format!("/{pkg}/{name}.{hash}.css"),
        None => format!("/{pkg}/{name}.css"),
    }
}

/// The first `page_view`, sent by a few lines in the page itself before the wasm
/// has loaded (see `tracker/first_page_view.js`), with the tracker's own keys,
/// timeout and endpoint filled in, and its line breaks and indentation taken out;
/// nothing on admin pages, which are not shop traffic.
pub fn first_page_view_script() -> &'static str {
    let path = with_context::<Parts, _>(|parts| parts.uri.path().to_owned()).unwrap_or_default();
    if jewelry::events::is_shop_page(&path) { early_page_view_script() } else { "" }
}

fn early_page_view_script() -> &'static str {
    static SCRIPT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SCRIPT.get_or_init(|| {
        use crate::tracker::{CLIENT_ID_KEY, EVENTS_URL, FIRST_PAGE_VIEW, SESSION_KEY, SESSION_TIMEOUT_MS};
        include_str!("tracker/first_page_view.js")
            .lines()
            .map(str::trim)
            .collect::<String>()
            .replace("CLIENT_KEY", &format!("'{CLIENT_ID_KEY}'"))
            .replace("SESSION_KEY", &format!("'{SESSION_KEY}'"))
            .replace("TIMEOUT", &format!("{SESSION_TIMEOUT_MS}"))
            .replace("EVENTS_URL", &format!("'{EVENTS_URL}'"))
            .replace("FIRST_KEY", &format!("'{FIRST_PAGE_VIEW}'"))
    })
}
