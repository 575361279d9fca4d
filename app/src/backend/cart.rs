//! The cart a request works on: the signed-in user's, or the browser's cookie's.

use super::identity;
use crate::error::ShopError;
use crate::request::{CartId, CartOwner, OrderViewer};
use crate::services::ShopContext;
use cookie::{Cookie, SameSite};
use http::HeaderValue;
use http::header::{COOKIE, SET_COOKIE};
use http::request::Parts;
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

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
