//! The services the server functions ask for the work, which the server
//! implements (its database, object store and log), and what they are told about
//! the request: who asks, for which cart.

use crate::error::Failure;
use async_trait::async_trait;
use jewelry::admin::{AdminImage, AdminProduct, AdminProductRow, SaveOutcome, ValidProduct};
use jewelry::cart::{AddedToCart, CartView};
use jewelry::catalog::{CatalogPage, CatalogQuery, Category, HomePage, ProductDetail};
use jewelry::checkout::ShippingDetails;
use jewelry::identity::Identity;
use jewelry::media::PresignedUpload;
use jewelry::order::{AdminOverview, CheckoutOutcome, OrderSummary, OrderView};
use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Instant;
use uuid::Uuid;

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

/// The catalog shoppers browse.
#[async_trait]
pub trait Catalog: Send + Sync + 'static {
    async fn home(&self) -> Result<HomePage, Failure>;
    async fn categories(&self) -> Result<Vec<Category>, Failure>;
    async fn catalog(&self, query: &CatalogQuery) -> Result<CatalogPage, Failure>;
    /// A listed product; `None` if there never was one, [`crate::error::ShopError::Gone`]
    /// if it was archived.
    async fn product(&self, id: &str) -> Result<Option<ProductDetail>, Failure>;
}

/// Shoppers' carts, a guest's or a signed-in user's.
#[async_trait]
pub trait Carts: Send + Sync + 'static {
    async fn cart(&self, owner: &CartOwner) -> Result<CartView, Failure>;
    async fn add_to_cart(&self, owner: &CartOwner, product_id: &str, quantity: u32) -> Result<AddedToCart, Failure>;
    /// Sets a line's quantity (0 removes it) and answers the cart as it is now.
    async fn set_quantity(&self, owner: &CartOwner, product_id: &str, quantity: u32) -> Result<CartView, Failure>;
}

/// Orders: placed from a cart, shown to who placed them, summed up for admins.
#[async_trait]
pub trait Orders: Send + Sync + 'static {
    async fn place_order(
        &self,
        owner: &CartOwner,
        details: &ShippingDetails,
        request: &RequestContext,
    ) -> Result<CheckoutOutcome, Failure>;
    /// The order, if `viewer` placed it.
    async fn order(&self, order_id: &str, viewer: &OrderViewer) -> Result<Option<OrderView>, Failure>;
    /// A signed-in user's orders, newest first.
    async fn orders_of(&self, user_id: &str) -> Result<Vec<OrderSummary>, Failure>;
    /// What the admin area shows: order figures and the latest orders.
    async fn admin_overview(&self) -> Result<AdminOverview, Failure>;
}

/// The admins' products. Callers have checked the admin role.
#[async_trait]
pub trait Products: Send + Sync + 'static {
    /// Every product, archived ones too, matching `search` (name, brand or id).
    async fn admin_products(&self, search: &str) -> Result<Vec<AdminProductRow>, Failure>;
    async fn admin_product(&self, id: &str) -> Result<Option<AdminProduct>, Failure>;
    /// Creates the product, or updates it if nobody saved it since `product.version`.
    async fn save_product(&self, product: &ValidProduct, request: &RequestContext) -> Result<SaveOutcome, Failure>;
    /// Archives (takes out of the catalog) or restores a product, with the same version check.
    async fn set_archived(
        &self,
        id: &str,
        version: i64,
        archived: bool,
        request: &RequestContext,
    ) -> Result<SaveOutcome, Failure>;
}

/// Everything the pages need from the shop's storage; the server implements it on
/// its database.
pub trait Shop: Catalog + Carts + Orders + Products {}

impl<T: Catalog + Carts + Orders + Products> Shop for T {}

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
    ) -> Result<PresignedUpload, Failure>;
    /// Checks the uploaded object under `key` and adds it to the product's images.
    async fn attach(
        &self,
        product_id: &str,
        key: &str,
        alt: &str,
        request: &RequestContext,
    ) -> Result<AdminImage, Failure>;
    /// Moves an image one place earlier (`up`) or later; answers the images in order.
    async fn move_image(
        &self,
        product_id: &str,
        image_id: i64,
        up: bool,
        request: &RequestContext,
    ) -> Result<Vec<AdminImage>, Failure>;
    /// Changes an image's alt text; answers the images in order.
    async fn set_image_alt(
        &self,
        product_id: &str,
        image_id: i64,
        alt: &str,
        request: &RequestContext,
    ) -> Result<Vec<AdminImage>, Failure>;
    /// Removes an image (and its stored object); answers the images left.
    async fn remove_image(
        &self,
        product_id: &str,
        image_id: i64,
        request: &RequestContext,
    ) -> Result<Vec<AdminImage>, Failure>;
}

/// What the clickstream says, counted: the admins' insights page. Callers have
/// checked the admin role.
#[async_trait]
pub trait Insights: Send + Sync + 'static {
    /// The figures for the days of `range`, ending today in the shop's time zone.
    async fn report(&self, range: jewelry::insights::Range) -> Result<jewelry::insights::Report, Failure>;
}

/// The clickstream's work behind [`crate::events::ingest_events`]: judging a
/// body's events and logging the accepted ones. The server implements it.
#[async_trait]
pub trait Clickstream: Send + Sync + 'static {
    /// The request comes from this shop's own pages, from an origin the shop
    /// allows, or from no browser page at all (no `Origin`).
    fn accepts_origin(&self, headers: &http::HeaderMap) -> bool;
    /// Why no event can be taken now (the spool is at its limit, or the log
    /// cannot be written), if so.
    fn unavailable(&self) -> Option<crate::events::EventsError>;
    /// Judges the events of `body`, logs what it accepted and refused (once each,
    /// duplicates dropped), and says what happened once the lines are written.
    /// Lines that could not be written are [`crate::events::EventsError::LogUnavailable`]:
    /// then none of the events counts as taken, and sending them again is no duplicate.
    async fn ingest(
        &self,
        body: &[u8],
        request: &RequestContext,
    ) -> Result<jewelry::events::IngestReport, crate::events::EventsError>;
}

/// The pages' `Content-Security-Policy` but for its per-response nonce: scripts
/// only from this site and the page's own nonce (the hydration script), wasm
/// compiled, styles from this site, images from this site and the media CDN,
/// connections to this site and the image store's upload origin, forms to this
/// site and the sign-in provider, and no framing.
#[derive(Clone, Debug, Default)]
pub struct PagePolicy {
    /// Where product images are read from besides this site (the CDN).
    pub image_origins: Vec<String>,
    /// Where the browser uploads images besides this site (the bucket).
    pub upload_origins: Vec<String>,
    /// Where a form here may end up besides this site (Cognito's sign-out).
    pub form_origins: Vec<String>,
}

impl PagePolicy {
    /// The header's value for a response whose inline scripts carry `nonce`.
    pub fn header_value(&self, nonce: &str) -> String {
        let with = |base: &str, extra: &[String]| {
            extra.iter().fold(base.to_owned(), |mut value, origin| {
                value.push(' ');
                value.push_str(origin);
                value
            })
        };
        format!(
            "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
             img-src {}; connect-src {}; font-src 'self'; object-src 'none'; base-uri 'self'; \
             form-action {}; frame-ancestors 'none'",
            with("'self'", &self.image_origins),
            with("'self'", &self.upload_origins),
            with("'self'", &self.form_origins),
        )
    }
}

/// Provided as context to every page render and server function.
#[derive(Clone)]
pub struct ShopContext {
    pub shop: Arc<dyn Shop>,
    pub media: Arc<dyn Media>,
    pub insights: Arc<dyn Insights>,
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
