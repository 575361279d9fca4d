//! The server functions the pages call. Their bodies run on the server only; each
//! asks the shop's services ([`crate::services`]) for the work, so no SQL lives here.

use jewelry::admin::{AdminImage, AdminProduct, AdminProductRow, ProductInput, SaveOutcome};
use jewelry::cart::{AddedToCart, CartView};
use jewelry::catalog::{CatalogPage, CatalogQuery, Category, HomePage, ProductDetail};
use jewelry::checkout::CheckoutInput;
use jewelry::fulfilment::{AdminOrder, MoveInput, MoveOutcome, OrderList, OrderQuery, OutboxEmail};
use jewelry::media::PresignedUpload;
use jewelry::order::{AccountView, AdminOverview, CheckoutOutcome, OrderView};
use jewelry::variant_admin::{AdminVariants, BulkInput, OptionsInput, VariantsInput};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::error::Failure;
pub use crate::error::ShopError;

/// How the sign-in page behaves: provided as context by the server.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignInOptions {
    /// The development identity provider's form on `/signin`.
    #[default]
    DevForm,
    /// Cognito's hosted UI, reached through `/auth/login`.
    HostedUi,
}

#[server(prefix = "/api", endpoint = "home")]
pub async fn load_home() -> Result<HomePage, ShopError> {
    crate::backend::shop()?.home().await.map_err(Failure::logged)
}

/// The categories, for the site's navigation.
#[server(prefix = "/api", endpoint = "categories")]
pub async fn load_categories() -> Result<Vec<Category>, ShopError> {
    crate::backend::shop()?.categories().await.map_err(Failure::logged)
}

#[server(prefix = "/api", endpoint = "catalog")]
pub async fn load_catalog(query: CatalogQuery) -> Result<CatalogPage, ShopError> {
    crate::backend::shop()?.catalog(&query.bounded()).await.map_err(Failure::logged)
}

#[server(prefix = "/api", endpoint = "product")]
pub async fn load_product(id: String) -> Result<ProductDetail, ShopError> {
    // An archived product is `Err(Gone)`, an unknown one `Err(NotFound)`: its page's
    // notice (`GoneNotice`, `NotFoundNotice`) and a direct call (the server-function
    // layer) answer 410 or 404 from the error itself.
    crate::backend::shop()?.product(&id).await.map_err(Failure::logged)?.ok_or(ShopError::NotFound)
}

/// Where shoppers reach the shop (`APP_PUBLIC_URL`): canonical links, structured
/// data and link previews name it.
#[server(prefix = "/api", endpoint = "site")]
pub async fn load_site_url() -> Result<String, ShopError> {
    use_context::<PublicUrl>().map(|url| url.0).ok_or(ShopError::Unavailable)
}

/// The shop's public origin, provided as context by the server.
#[derive(Clone, Debug)]
pub struct PublicUrl(pub String);

#[server(prefix = "/api", endpoint = "cart")]
pub async fn load_cart() -> Result<CartView, ShopError> {
    match crate::backend::cart_owner() {
        Some(owner) => crate::backend::shop()?.cart(&owner).await.map_err(Failure::logged),
        None => Ok(CartView::default()),
    }
}

/// How many pieces the cart holds, for the header's badge (which so needs no
/// more of the cart than a number).
#[server(prefix = "/api", endpoint = "cart/count")]
pub async fn load_cart_count() -> Result<u32, ShopError> {
    match crate::backend::cart_owner() {
        Some(owner) => crate::backend::shop()?.cart_count(&owner).await.map_err(Failure::logged),
        None => Ok(0),
    }
}

/// Adds to the cart: the product's variant `variant_id`, or, for a product
/// without options, its only one (`variant_id` left out or empty).
#[server(prefix = "/api", endpoint = "cart/add")]
pub async fn add_to_cart(
    product_id: String,
    variant_id: Option<String>,
    quantity: u32,
) -> Result<AddedToCart, ShopError> {
    let owner = crate::backend::cart_owner_or_new()?;
    let variant = variant_id.as_deref().map(str::trim).filter(|v| !v.is_empty());
    crate::backend::shop()?.add_to_cart(&owner, &product_id, variant, quantity).await.map_err(Failure::logged)
}

/// Sets the quantity of a line, named by its variant; zero removes it.
#[server(prefix = "/api", endpoint = "cart/update")]
pub async fn update_cart_line(variant_id: String, quantity: u32) -> Result<CartView, ShopError> {
    let Some(owner) = crate::backend::cart_owner() else {
        return Ok(CartView::default());
    };
    crate::backend::shop()?.set_quantity(&owner, &variant_id, quantity).await.map_err(Failure::logged)
}

#[server(prefix = "/api", endpoint = "cart/remove")]
pub async fn remove_cart_line(variant_id: String) -> Result<CartView, ShopError> {
    let Some(owner) = crate::backend::cart_owner() else {
        return Ok(CartView::default());
    };
    crate::backend::shop()?.set_quantity(&owner, &variant_id, 0).await.map_err(Failure::logged)
}

/// Places the order for the cart: totals from the catalog's prices, stock taken,
/// the cart emptied. A plain form post (no JavaScript yet) is redirected to the
/// confirmation; the app navigates there itself after reporting `checkout_complete`.
#[server(prefix = "/api", endpoint = "checkout")]
pub async fn place_order(input: CheckoutInput) -> Result<CheckoutOutcome, ShopError> {
    let Some(owner) = crate::backend::cart_owner() else {
        return Ok(CheckoutOutcome::EmptyCart);
    };
    let words = jewelry::text::order::words(crate::backend::locale());
    let details = match jewelry::checkout::validate(&input, &crate::backend::ships_to()?, words) {
        Ok(details) => details,
        Err(errors) => return Ok(CheckoutOutcome::Invalid(errors)),
    };
    let request = crate::backend::request_context();
    let outcome = crate::backend::shop()?.place_order(&owner, &details, &request).await.map_err(Failure::logged)?;
    if let CheckoutOutcome::Placed { order_id, .. } = &outcome {
        let language = crate::backend::page_language();
        crate::backend::redirect_plain_form(&language.locales.path(language.locale, &format!("/orders/{order_id}")));
    }
    Ok(outcome)
}

/// An order, for the user who placed it or the browser whose cart did.
#[server(prefix = "/api", endpoint = "order")]
pub async fn load_order(id: String) -> Result<OrderView, ShopError> {
    let viewer = crate::backend::order_viewer();
    let order = match (&viewer.user_id, &viewer.cart) {
        (None, None) => None,
        _ => crate::backend::shop()?.order(&id, &viewer, crate::backend::locale()).await.map_err(Failure::logged)?,
    };
    order.ok_or(ShopError::NotFound)
}

/// The signed-in shopper's account: who they are and their orders (401 for guests).
#[server(prefix = "/api", endpoint = "account")]
pub async fn load_account() -> Result<AccountView, ShopError> {
    let user_id = crate::backend::require_user()?;
    let orders = crate::backend::shop()?.orders_of(&user_id).await.map_err(Failure::logged)?;
    let identity = crate::backend::identity();
    let user = identity.user().ok_or(ShopError::SignInRequired)?;
    Ok(AccountView { user: jewelry::order::UserSummary::from(user), orders })
}

/// The admin area's overview (401 for guests, 403 without the `admin` group).
#[server(prefix = "/api", endpoint = "admin/overview")]
pub async fn load_admin_overview() -> Result<AdminOverview, ShopError> {
    crate::backend::require_admin()?;
    crate::backend::shop()?.admin_overview().await.map_err(Failure::logged)
}

/// The order desk's list: a page of the orders `query` matches, newest first (admins only).
#[server(prefix = "/api", endpoint = "admin/orders")]
pub async fn admin_list_orders(query: OrderQuery) -> Result<OrderList, ShopError> {
    crate::backend::require_admin()?;
    crate::backend::shop()?.admin_orders(&query.bounded()).await.map_err(Failure::logged)
}

/// An order on the desk: lines, customer, address, history and the moves it may make.
#[server(prefix = "/api", endpoint = "admin/order")]
pub async fn admin_load_order(id: String) -> Result<AdminOrder, ShopError> {
    crate::backend::require_admin()?;
    crate::backend::shop()?
        .admin_order(id.trim(), crate::backend::locale())
        .await
        .map_err(Failure::logged)?
        .ok_or(ShopError::NotFound)
}

/// Moves an order (confirm, ship, deliver, cancel, return) from the version the
/// desk loaded. A move its status does not allow, or an order moved since, is
/// refused with 409 (`order_move_not_allowed`, `order_changed`). A plain form post
/// is sent back to the order's page.
#[server(prefix = "/api", endpoint = "admin/order/move")]
pub async fn admin_move_order(input: MoveInput) -> Result<MoveOutcome, ShopError> {
    crate::backend::require_admin()?;
    let words = jewelry::text::admin::words(crate::backend::locale());
    let order_move = match jewelry::fulfilment::validate_move(&input, crate::backend::currency()?, words) {
        Ok(order_move) => order_move,
        Err(errors) => return Ok(MoveOutcome::Invalid(errors)),
    };
    let outcome = crate::backend::shop()?
        .move_order(&order_move, &crate::backend::request_context())
        .await
        .map_err(Failure::logged)?;
    let language = crate::backend::page_language();
    let page = format!("/admin/orders/{}", jewelry::catalog::encode_component(&order_move.order_id));
    crate::backend::redirect_plain_form(&language.locales.path(language.locale, &page));
    Ok(outcome)
}

/// The latest order emails and where each is (admins only).
#[server(prefix = "/api", endpoint = "admin/mail")]
pub async fn admin_outbox() -> Result<Vec<OutboxEmail>, ShopError> {
    crate::backend::require_admin()?;
    crate::backend::shop()?.outbox().await.map_err(Failure::logged)
}

/// The insights page's figures for `range` (`today`, `7d` or `30d`; admins only).
#[server(prefix = "/api", endpoint = "admin/insights")]
pub async fn load_insights(range: String) -> Result<jewelry::insights::Report, ShopError> {
    crate::backend::require_admin()?;
    crate::backend::insights()?.report(jewelry::insights::Range::parse(&range)).await.map_err(Failure::logged)
}

/// How signing in works here: the development provider's own form, or Cognito.
#[server(prefix = "/api", endpoint = "sign-in-options")]
pub async fn load_sign_in_options() -> Result<SignInOptions, ShopError> {
    Ok(leptos::prelude::use_context::<SignInOptions>().unwrap_or_default())
}

/// The categories a product may belong to, for the admin's product form.
#[server(prefix = "/api", endpoint = "admin/categories")]
pub async fn admin_categories() -> Result<Vec<Category>, ShopError> {
    crate::backend::require_admin()?;
    crate::backend::shop()?.categories().await.map_err(Failure::logged)
}

/// Every product for the admin list, archived ones too.
#[server(prefix = "/api", endpoint = "admin/products")]
pub async fn admin_list_products(search: String) -> Result<Vec<AdminProductRow>, ShopError> {
    crate::backend::require_admin()?;
    crate::backend::shop()?.admin_products(&search).await.map_err(Failure::logged)
}

#[server(prefix = "/api", endpoint = "admin/product")]
pub async fn admin_load_product(id: String) -> Result<AdminProduct, ShopError> {
    crate::backend::require_admin()?;
    crate::backend::shop()?.admin_product(&id).await.map_err(Failure::logged)?.ok_or(ShopError::NotFound)
}

/// Creates a product (no version) or updates one (the version it was loaded at).
#[server(prefix = "/api", endpoint = "admin/product/save")]
pub async fn admin_save_product(input: ProductInput) -> Result<SaveOutcome, ShopError> {
    crate::backend::require_admin()?;
    let shop = crate::backend::shop()?;
    let categories: Vec<String> = shop.categories().await.map_err(Failure::logged)?.into_iter().map(|c| c.id).collect();
    let locale = crate::backend::locale();
    let words = jewelry::text::admin::words(locale);
    let product =
        match jewelry::admin::validate_product(&input, &categories, crate::backend::currency()?, words, locale) {
            Ok(product) => product,
            Err(errors) => return Ok(SaveOutcome::Invalid(errors)),
        };
    if product.version.is_some() && product.id.is_empty() {
        return Err(ShopError::NotFound);
    }
    shop.save_product(&product, &crate::backend::request_context()).await.map_err(Failure::logged)
}

/// Takes a product out of the catalog, or puts it back.
#[server(prefix = "/api", endpoint = "admin/product/archive")]
pub async fn admin_archive_product(id: String, version: i64, archived: bool) -> Result<SaveOutcome, ShopError> {
    crate::backend::require_admin()?;
    crate::backend::shop()?
        .set_archived(&id, version, archived, &crate::backend::request_context())
        .await
        .map_err(Failure::logged)
}

/// Gives an image to one of the product's variants (`variant_id` empty: back to
/// the product's own, shown for any variant without images of its own).
#[server(prefix = "/api", endpoint = "admin/images/variant")]
pub async fn admin_set_image_variant(
    product_id: String,
    image_id: i64,
    variant_id: String,
) -> Result<Vec<AdminImage>, ShopError> {
    crate::backend::require_admin()?;
    let variant = Some(variant_id.trim()).filter(|v| !v.is_empty());
    crate::backend::media()?
        .set_image_variant(&product_id, image_id, variant, &crate::backend::request_context())
        .await
        .map_err(Failure::logged)
}

/// A product's options and variants, archived ones too.
#[server(prefix = "/api", endpoint = "admin/product/variants")]
pub async fn admin_load_variants(id: String) -> Result<AdminVariants, ShopError> {
    crate::backend::require_admin()?;
    crate::backend::shop()?.admin_variants(&id).await.map_err(Failure::logged)?.ok_or(ShopError::NotFound)
}

/// Sets a product's options (the version it was loaded at) and makes its variants
/// follow them.
#[server(prefix = "/api", endpoint = "admin/product/options/save")]
pub async fn admin_save_options(input: OptionsInput) -> Result<SaveOutcome, ShopError> {
    crate::backend::require_admin()?;
    let locale = crate::backend::locale();
    let options = match jewelry::variant_admin::validate_options(&input, jewelry::text::admin::words(locale), locale) {
        Ok(options) => options,
        Err(errors) => return Ok(SaveOutcome::Invalid(errors)),
    };
    crate::backend::shop()?.save_options(&options, &crate::backend::request_context()).await.map_err(Failure::logged)
}

/// Saves a product's variants: SKUs, own prices, stock and archiving.
#[server(prefix = "/api", endpoint = "admin/product/variants/save")]
pub async fn admin_save_variants(input: VariantsInput) -> Result<SaveOutcome, ShopError> {
    crate::backend::require_admin()?;
    let locale = crate::backend::locale();
    let words = jewelry::text::admin::words(locale);
    let currency = crate::backend::currency()?;
    let (version, rows) = match jewelry::variant_admin::validate_variants(&input, currency, words, locale) {
        Ok(valid) => valid,
        Err(errors) => return Ok(SaveOutcome::Invalid(errors)),
    };
    crate::backend::shop()?
        .save_variants(input.product_id.trim(), version, &rows, &crate::backend::request_context())
        .await
        .map_err(Failure::logged)
}

/// What a change to many variants did: its outcome, and how many it changed.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BulkOutcome {
    pub outcome: SaveOutcome,
    pub changed: u32,
}

/// Changes many of a product's variants at once: an own price, the product's
/// price again, or stock added or taken away.
#[server(prefix = "/api", endpoint = "admin/product/variants/bulk")]
pub async fn admin_bulk_variants(input: BulkInput) -> Result<BulkOutcome, ShopError> {
    crate::backend::require_admin()?;
    let locale = crate::backend::locale();
    let words = jewelry::text::admin::words(locale);
    let currency = crate::backend::currency()?;
    let bulk = match jewelry::variant_admin::validate_bulk(&input, currency, words, locale) {
        Ok(bulk) => bulk,
        Err(errors) => return Ok(BulkOutcome { outcome: SaveOutcome::Invalid(errors), changed: 0 }),
    };
    let (outcome, changed) = crate::backend::shop()?
        .bulk_variants(input.product_id.trim(), &bulk, &crate::backend::request_context())
        .await
        .map_err(Failure::logged)?;
    Ok(BulkOutcome { outcome, changed })
}

/// A URL to upload one image of the product to (admins only): the file's type must
/// be JPEG, PNG, WebP or AVIF and its size at most 5 MiB; the server chooses the key.
#[server(prefix = "/api", endpoint = "admin/images/presign")]
pub async fn presign(product_id: String, content_type: String, size: u64) -> Result<PresignedUpload, ShopError> {
    crate::backend::require_admin()?;
    crate::backend::media()?
        .presign(&product_id, &content_type, size, &crate::backend::request_context())
        .await
        .map_err(Failure::logged)
}

/// Adds an uploaded image to the product once the stored object proves to be what
/// was signed; otherwise the object is deleted and the reason answered.
#[server(prefix = "/api", endpoint = "admin/images/attach")]
pub async fn attach(product_id: String, key: String, alt: String) -> Result<AdminImage, ShopError> {
    crate::backend::require_admin()?;
    crate::backend::media()?
        .attach(&product_id, &key, &alt, &crate::backend::request_context())
        .await
        .map_err(Failure::logged)
}

/// Moves an image one place earlier (`up`) or later among the product's images.
#[server(prefix = "/api", endpoint = "admin/images/move")]
pub async fn admin_move_image(product_id: String, image_id: i64, up: bool) -> Result<Vec<AdminImage>, ShopError> {
    crate::backend::require_admin()?;
    crate::backend::media()?
        .move_image(&product_id, image_id, up, &crate::backend::request_context())
        .await
        .map_err(Failure::logged)
}

/// Changes the alt text of one of the product's images.
#[server(prefix = "/api", endpoint = "admin/images/alt")]
pub async fn admin_set_image_alt(product_id: String, image_id: i64, alt: String) -> Result<Vec<AdminImage>, ShopError> {
    crate::backend::require_admin()?;
    crate::backend::media()?
        .set_image_alt(&product_id, image_id, &alt, &crate::backend::request_context())
        .await
        .map_err(Failure::logged)
}

#[server(prefix = "/api", endpoint = "admin/images/remove")]
pub async fn admin_remove_image(product_id: String, image_id: i64) -> Result<Vec<AdminImage>, ShopError> {
    crate::backend::require_admin()?;
    crate::backend::media()?
        .remove_image(&product_id, image_id, &crate::backend::request_context())
        .await
        .map_err(Failure::logged)
}
