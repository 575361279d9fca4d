//! The services the server functions ask for the work, which the server
//! implements (its database, object store and log): the ports, and the context
//! that carries them. What they are told about the request is [`crate::request`]'s.

use crate::error::Failure;
use crate::request::{CartOwner, OrderViewer, RequestContext};
use async_trait::async_trait;
use jewelry::Locale;
use jewelry::admin::{AdminImage, AdminProduct, AdminProductRow, SaveOutcome, ValidProduct};
use jewelry::cart::{AddedToCart, CartView};
use jewelry::catalog::{CatalogPage, CatalogQuery, Category, HomePage, ProductDetail};
use jewelry::checkout::ShippingDetails;
use jewelry::fulfilment::{AdminOrder, MoveOutcome, OrderList, OrderQuery, OutboxEmail, ValidMove};
use jewelry::media::PresignedUpload;
use jewelry::order::{AdminOverview, CheckoutOutcome, OrderSummary, OrderView};
use jewelry::variant_admin::{AdminVariants, ValidBulk, ValidOptions, ValidVariantRow};
use std::sync::Arc;

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
    /// How many pieces the owner's cart holds (the header's badge): the cart's
    /// count without reading its lines.
    async fn cart_count(&self, owner: &CartOwner) -> Result<u32, Failure>;
    /// Adds `quantity` of the product's variant `variant_id`; without one, of the
    /// product's only variant (refused with `choose_variant` when it has options).
    async fn add_to_cart(
        &self,
        owner: &CartOwner,
        product_id: &str,
        variant_id: Option<&str>,
        quantity: u32,
    ) -> Result<AddedToCart, Failure>;
    /// Sets the quantity of the variant's line (0 removes it) and answers the cart as it is now.
    async fn set_quantity(&self, owner: &CartOwner, variant_id: &str, quantity: u32) -> Result<CartView, Failure>;
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
    /// The order's address names its country in `locale`.
    async fn order(&self, order_id: &str, viewer: &OrderViewer, locale: Locale) -> Result<Option<OrderView>, Failure>;
    /// A signed-in user's orders, newest first.
    async fn orders_of(&self, user_id: &str) -> Result<Vec<OrderSummary>, Failure>;
    /// What the admin area shows: order figures and the latest orders.
    async fn admin_overview(&self) -> Result<AdminOverview, Failure>;
    /// The order desk's list: a page of the orders `query` matches, newest first.
    async fn admin_orders(&self, query: &OrderQuery) -> Result<OrderList, Failure>;
    /// An order with its whole history, and where it may go next; its address's
    /// country named in `locale`.
    async fn admin_order(&self, order_id: &str, locale: Locale) -> Result<Option<AdminOrder>, Failure>;
    /// Moves an order, if its status allows the move and nobody moved it since
    /// `version`: status, history, stock and the insights in one transaction.
    /// Refused with 409: `order_move_not_allowed`, `order_changed`.
    async fn move_order(&self, order_move: &ValidMove, request: &RequestContext) -> Result<MoveOutcome, Failure>;
    /// The latest emails in the outbox, newest first: sent, waiting or refused.
    async fn outbox(&self) -> Result<Vec<OutboxEmail>, Failure>;
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
    /// A product's options and every variant, archived ones too.
    async fn admin_variants(&self, product_id: &str) -> Result<Option<AdminVariants>, Failure>;
    /// Sets the product's options and makes its variants follow: one per
    /// combination (kept, restored or made), the others archived; with the
    /// product's version check.
    async fn save_options(&self, options: &ValidOptions, request: &RequestContext) -> Result<SaveOutcome, Failure>;
    /// Saves each variant's SKU, own prices, stock change and archiving, with the
    /// product's version check.
    async fn save_variants(
        &self,
        product_id: &str,
        version: i64,
        rows: &[ValidVariantRow],
        request: &RequestContext,
    ) -> Result<SaveOutcome, Failure>;
    /// Changes many variants at once; answers the outcome and how many changed.
    async fn bulk_variants(
        &self,
        product_id: &str,
        bulk: &ValidBulk,
        request: &RequestContext,
    ) -> Result<(SaveOutcome, u32), Failure>;
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
    /// Gives an image to one of the product's variants (`None`: back to the
    /// product's own); answers the images in order.
    async fn set_image_variant(
        &self,
        product_id: &str,
        image_id: i64,
        variant_id: Option<&str>,
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
pub trait InsightReports: Send + Sync + 'static {
    /// The figures for the days of `range`, ending today in the shop's time zone.
    async fn report(&self, range: jewelry::insights::Range) -> Result<jewelry::insights::Report, Failure>;
}

/// Provided as context to every page render and server function.
#[derive(Clone)]
pub struct ShopContext {
    pub shop: Arc<dyn Shop>,
    pub media: Arc<dyn Media>,
    pub insights: Arc<dyn InsightReports>,
    /// Mark cookies `Secure` (the site is served over HTTPS).
    pub secure_cookies: bool,
    /// The currency the shop sells in (a setting).
    pub currency: jewelry::Currency,
    /// The countries it ships to, ISO 3166-1 alpha-2 codes, the first its home (a
    /// setting).
    pub ships_to: Arc<[&'static str]>,
}

impl ShopContext {
    /// How the pages write amounts: in the shop's currency, as English does until
    /// the pages speak more than English.
    pub fn prices(&self) -> jewelry::PriceFormat {
        jewelry::PriceFormat { currency: self.currency, locale: jewelry::Locale::En }
    }
}
