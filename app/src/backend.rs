//! The server side of the server functions: the interface to the shop's storage
//! (implemented in `server/`), the request's context, and the cart cookie.

use crate::api::ShopError;
use async_trait::async_trait;
use cookie::{Cookie, SameSite};
use http::header::{ACCEPT, COOKIE, SET_COOKIE};
use http::request::Parts;
use http::{HeaderValue, StatusCode};
use jewelry::admin::{AdminImage, AdminProduct, AdminProductRow, SaveOutcome, ValidProduct};
use jewelry::cart::{AddedToCart, CartView};
use jewelry::catalog::{CatalogPage, CatalogQuery, Category, HomePage, ProductDetail};
use jewelry::checkout::ShippingDetails;
use jewelry::identity::Identity;
use jewelry::media::PresignedUpload;
use jewelry::order::{AdminOverview, CheckoutOutcome, OrderSummary, OrderView};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Instant;
use uuid::Uuid;

/// Everything the pages need from storage. The server implements it on its
/// database; an implementation turns its internal failures into
/// [`ShopError::Unavailable`] after logging them.
/// Whose cart: a guest's (named by the cookie) or a signed-in user's (by `sub`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CartOwner {
    Guest(CartId),
    User(String),
}

/// Who asks to see an order: the user who placed it, or the browser whose cart did.
#[derive(Clone, Debug, Default)]
pub struct OrderViewer {
    pub user_id: Option<String>,
    pub cart: Option<CartId>,
}

/// Everything the pages need from storage. The server implements it on its
/// database; an implementation turns its internal failures into
/// [`ShopError::Unavailable`] after logging them.
#[async_trait]
pub trait Shop: Send + Sync + 'static {
    async fn home(&self) -> Result<HomePage, ShopError>;
    async fn categories(&self) -> Result<Vec<Category>, ShopError>;
    async fn catalog(&self, query: &CatalogQuery) -> Result<CatalogPage, ShopError>;
    async fn product(&self, id: &str) -> Result<Option<ProductDetail>, ShopError>;
    async fn cart(&self, owner: &CartOwner) -> Result<CartView, ShopError>;
    async fn add_to_cart(&self, owner: &CartOwner, product_id: &str, quantity: u32) -> Result<AddedToCart, ShopError>;
    /// Sets a line's quantity (0 removes it) and answers the cart as it is now.
    async fn set_quantity(&self, owner: &CartOwner, product_id: &str, quantity: u32) -> Result<CartView, ShopError>;
    async fn place_order(
        &self,
        owner: &CartOwner,
        details: &ShippingDetails,
        request: &RequestContext,
    ) -> Result<CheckoutOutcome, ShopError>;
    /// The order, if `viewer` placed it.
    async fn order(&self, order_id: &str, viewer: &OrderViewer) -> Result<Option<OrderView>, ShopError>;
    /// A signed-in user's orders, newest first.
    async fn orders_of(&self, user_id: &str) -> Result<Vec<OrderSummary>, ShopError>;
    /// What the admin area shows: order figures and the latest orders.
    async fn admin_overview(&self) -> Result<AdminOverview, ShopError>;
    /// Every product, archived ones too, matching `search` (name, brand or id).
    async fn admin_products(&self, search: &str) -> Result<Vec<AdminProductRow>, ShopError>;
    async fn admin_product(&self, id: &str) -> Result<Option<AdminProduct>, ShopError>;
    /// Creates the product, or updates it if nobody saved it since `product.version`.
    async fn save_product(&self, product: &ValidProduct, request: &RequestContext) -> Result<SaveOutcome, ShopError>;
    /// Archives (takes out of the catalog) or restores a product, with the same version check.
    async fn set_archived(
        &self,
        id: &str,
        version: i64,
        archived: bool,
        request: &RequestContext,
    ) -> Result<SaveOutcome, ShopError>;
}

/// Product images: upload URLs signed by the object store, uploads checked and
/// attached, images reordered and removed. Callers have checked the admin role.
#[async_trait]
pub trait Media: Send + Sync + 'static {
    /// A URL to PUT one image of `content_type` and `size` bytes to, for `product_id`.
    async fn presign(
        &self,
        product_id: &str,
        content_type: &str,
        size: u64,
        request: &RequestContext,
    ) -> Result<PresignedUpload, ShopError>;
    /// Checks the uploaded object under `key` and adds it to the product's images.
    async fn attach(
        &self,
        product_id: &str,
        key: &str,
        alt: &str,
        request: &RequestContext,
    ) -> Result<AdminImage, ShopError>;
    /// Moves an image one place earlier (`up`) or later; answers the images in order.
    async fn move_image(
        &self,
        product_id: &str,
        image_id: i64,
        up: bool,
        request: &RequestContext,
    ) -> Result<Vec<AdminImage>, ShopError>;
    /// Changes an image's alt text; answers the images in order.
    async fn set_image_alt(
        &self,
        product_id: &str,
        image_id: i64,
        alt: &str,
        request: &RequestContext,
    ) -> Result<Vec<AdminImage>, ShopError>;
    /// Removes an image (and its stored object); answers the images left.
    async fn remove_image(
        &self,
        product_id: &str,
        image_id: i64,
        request: &RequestContext,
    ) -> Result<Vec<AdminImage>, ShopError>;
}

/// The clickstream's work behind [`crate::events::ingest_events`]: judging a
/// body's events and logging the accepted ones. The server implements it.
pub trait Clickstream: Send + Sync + 'static {
    /// The log spool is at its limit: no event can be taken now.
    fn spool_full(&self) -> bool;
    /// Judges the events of `body`, logs what it accepted and refused (once each,
    /// duplicates dropped), and says what happened.
    fn ingest(
        &self,
        body: &[u8],
        request: &RequestContext,
    ) -> Result<jewelry::events::IngestReport, jewelry::events::BodyError>;
}

/// Provided as context to every page render and server function.
#[derive(Clone)]
pub struct ShopContext {
    pub shop: Arc<dyn Shop>,
    pub media: Arc<dyn Media>,
    /// Mark cookies `Secure` (the site is served over HTTPS).
    pub secure_cookies: bool,
}

/// Who asked and how, as the server's request layer recorded it; carried on every
/// log line the request writes.
#[derive(Clone, Debug)]
pub struct RequestContext {
    pub request_id: Arc<str>,
    /// Established by the server from a verified token; guest otherwise.
    pub identity: Identity,
    pub source_ip: Option<IpAddr>,
    pub user_agent: Option<Arc<str>>,
    pub method: http::Method,
    pub path: Arc<str>,
    pub started: Instant,
}

impl RequestContext {
    pub fn latency_ms(&self) -> f64 {
        self.started.elapsed().as_secs_f64() * 1000.0
    }
}

pub fn shop() -> Result<Arc<dyn Shop>, ShopError> {
    use_context::<ShopContext>().map(|c| c.shop).ok_or(ShopError::Unavailable)
}

pub fn media() -> Result<Arc<dyn Media>, ShopError> {
    use_context::<ShopContext>().map(|c| c.media).ok_or(ShopError::Unavailable)
}

/// The current request's context (a blank one outside a request, e.g. in unit tests).
pub fn request_context() -> RequestContext {
    use_context::<Parts>().and_then(|parts| parts.extensions.get::<RequestContext>().cloned()).unwrap_or_else(|| {
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

pub fn set_status(status: StatusCode) {
    if let Some(response) = use_context::<ResponseOptions>() {
        response.set_status(status);
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
            set_status(StatusCode::UNAUTHORIZED);
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
        set_status(StatusCode::FORBIDDEN);
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

/// A guest's cart, named by an unguessable id kept in an HttpOnly cookie.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CartId(Uuid);

impl CartId {
    pub fn parse(s: &str) -> Option<CartId> {
        (s.len() == 36).then(|| Uuid::try_parse(s).ok().map(CartId)).flatten()
    }

    pub fn new_random() -> CartId {
        CartId(Uuid::new_v4())
    }
}

impl fmt::Display for CartId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.hyphenated(), f)
    }
}

impl fmt::Debug for CartId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CartId({self})")
    }
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
