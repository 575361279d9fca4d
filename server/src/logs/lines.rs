//! Every log line others read, one struct each, and the one way they are written.
//! Keys are the contract's (`docs/events.md`), camelCase, flat; a key that does
//! not apply is written as `null`, never left out.
//!
//! A line struct holds what is its own; [`LogSink::emit`](super::LogSink::emit) writes it behind the
//! [`LineHeader`] all lines share (`timestamp`, `level`, `logType`), flattened into one
//! object. `logType` comes from the struct ([`LogLine::LOG_TYPE`]), the level from
//! what happened ([`LogLine::level`]), and each line's `action` is an enum, so a
//! line can only say what the contract lists.

use jewelry::events::{Event, EventRejection};
use jewelry_app::request::RequestContext;
use serde::{Serialize, Serializer};
use std::fmt::Display;
use std::net::IpAddr;

fn display<T: Display, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(value)
}

/// Milliseconds to the microsecond: enough to compare, short to read.
fn millis(ms: f64) -> f64 {
    (ms * 1000.0).round() / 1000.0
}

/// A line's `level`, as CloudWatch Logs Insights queries filter it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Level {
    Error,
    Warn,
    Info,
    Debug,
    Trace,
}

impl From<tracing::Level> for Level {
    fn from(level: tracing::Level) -> Self {
        match level {
            tracing::Level::ERROR => Level::Error,
            tracing::Level::WARN => Level::Warn,
            tracing::Level::INFO => Level::Info,
            tracing::Level::DEBUG => Level::Debug,
            tracing::Level::TRACE => Level::Trace,
        }
    }
}

/// What kind of line it is: the first thing a query filters on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LogType {
    Clickstream,
    ClickstreamRejected,
    Request,
    Business,
    Auth,
    Crud,
    Upload,
    /// A shopper's choice about analytics ([`ConsentLine`]).
    Consent,
    /// The server's own diagnostics ([`super::tracing_layer`]).
    App,
}

/// What every line begins with.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LineHeader<'a> {
    pub timestamp: &'a str,
    pub level: Level,
    pub log_type: LogType,
}

/// A line [`LogSink::emit`](super::LogSink::emit) can write.
pub trait LogLine: Serialize {
    const LOG_TYPE: LogType;

    fn level(&self) -> Level {
        Level::Info
    }
}

/// The header and the line, one flat object.
#[derive(Serialize)]
pub(super) struct Framed<'a, L: Serialize> {
    #[serde(flatten)]
    pub(super) header: LineHeader<'a>,
    #[serde(flatten)]
    pub(super) line: &'a L,
}

/// What every line about a request repeats.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestFields<'a> {
    pub request_id: &'a str,
    pub path: &'a str,
    pub method: &'a str,
    pub user_agent: Option<&'a str>,
    pub source_ip: Option<IpAddr>,
}

impl<'a> RequestFields<'a> {
    pub fn of(request: &'a RequestContext) -> Self {
        RequestFields {
            request_id: &request.request_id,
            path: &request.path,
            method: request.method.as_str(),
            user_agent: request.user_agent.as_deref(),
            source_ip: request.source_ip,
        }
    }
}

/// One accepted clickstream event.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClickstreamLine<'a> {
    #[serde(serialize_with = "display")]
    event_id: jewelry::events::EventId,
    event_name: &'static str,
    event_timestamp: &'a str,
    user_id: Option<&'a str>,
    #[serde(serialize_with = "display")]
    client_id: jewelry::events::ClientId,
    #[serde(serialize_with = "display")]
    session_id: jewelry::events::SessionId,
    user_login_state: &'static str,
    identity_source: &'static str,
    product_id: Option<&'a str>,
    /// The product's variant and its SKU.
    variant_id: Option<&'a str>,
    sku: Option<&'a str>,
    name: Option<&'a str>,
    category: Option<&'a str>,
    brand: Option<&'a str>,
    price: Option<f64>,
    discount_price: Option<f64>,
    quantity: Option<u16>,
    currency: Option<&'a str>,
    url_path: &'a str,
    referrer: Option<&'a str>,
    /// The page's language (`vi`, `en`).
    locale: Option<jewelry::Locale>,
    /// The session's first page view's campaign and referring site ([`crate::attribution`]).
    utm_source: Option<&'a str>,
    utm_medium: Option<&'a str>,
    utm_campaign: Option<&'a str>,
    utm_term: Option<&'a str>,
    utm_content: Option<&'a str>,
    referrer_host: Option<&'a str>,
    cart_value: Option<f64>,
    cart_item_count: Option<usize>,
    /// A `checkout_start`'s cart items, or a `checkout_complete`'s order items
    /// when it sent them: the one key that is not flat (a list).
    items: Option<Vec<ItemFields<'a>>>,
    order_id: Option<&'a str>,
    order_value: Option<f64>,
    path: &'a str,
    method: &'a str,
    status_code: u16,
    latency_ms: f64,
    user_agent: Option<&'a str>,
    /// The user agent is a crawler's, a bot's or a script's ([`crate::ingest::is_bot`]).
    is_bot: bool,
    /// Its network only, unless `privacy.full_source_ip` ([`SourceIp`]).
    source_ip: Option<IpAddr>,
    request_id: &'a str,
}

/// An item of a cart or an order on a clickstream line.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemFields<'a> {
    product_id: &'a str,
    variant_id: Option<&'a str>,
    sku: Option<&'a str>,
    quantity: u16,
    price: f64,
}

impl<'a> ItemFields<'a> {
    fn of(item: &'a jewelry::events::CartItem) -> Self {
        ItemFields {
            product_id: item.product_id.as_str(),
            variant_id: item.variant_id.as_deref(),
            sku: item.sku.as_deref(),
            quantity: item.quantity.get(),
            price: item.price.value(),
        }
    }
}

/// How clickstream and consent lines keep the shopper's address: cut to its
/// network ([`jewelry::consent::truncate_ip`]) unless the shop keeps it whole
/// (`privacy.full_source_ip`). Sign-in, request and security lines keep it whole.
#[derive(Clone, Copy, Debug, Default)]
pub struct SourceIp {
    pub whole: bool,
}

impl SourceIp {
    pub fn of(self, request: &RequestContext) -> Option<IpAddr> {
        request.source_ip.map(|ip| if self.whole { ip } else { jewelry::consent::truncate_ip(ip) })
    }
}

/// What a clickstream line is told besides its event and request.
pub struct LineContext<'a> {
    pub status_code: u16,
    pub latency_ms: f64,
    pub is_bot: bool,
    pub source_ip: SourceIp,
    pub attribution: &'a crate::attribution::Attribution,
}

impl<'a> ClickstreamLine<'a> {
    pub fn new(event: &'a Event, request: &'a RequestContext, context: LineContext<'a>) -> Self {
        let LineContext { status_code, latency_ms, is_bot, source_ip, attribution } = context;
        let campaign = &attribution.campaign;
        let identity = &request.identity;
        let product = event.product();
        let cart = event.cart();
        let order = event.order();
        ClickstreamLine {
            event_id: event.id(),
            event_name: event.name().as_str(),
            event_timestamp: event.timestamp().as_str(),
            user_id: identity.user_id(),
            client_id: event.client_id(),
            session_id: event.session_id(),
            user_login_state: identity.login_state(),
            identity_source: identity.source(),
            product_id: product.map(|p| p.product_id.as_str()),
            variant_id: product.and_then(|p| p.variant_id.as_deref()),
            sku: product.and_then(|p| p.sku.as_deref()),
            name: product.and_then(|p| p.name.as_deref()),
            category: product.and_then(|p| p.category.as_deref()),
            brand: product.and_then(|p| p.brand.as_deref()),
            price: product.and_then(|p| p.price).map(|a| a.value()),
            discount_price: product.and_then(|p| p.discount_price).map(|a| a.value()),
            quantity: product.and_then(|p| p.quantity).map(|q| q.get()),
            currency: order
                .map(|o| o.currency.as_str())
                .or_else(|| cart.map(|c| c.currency.as_str()))
                .or_else(|| product.and_then(|p| p.currency.as_ref()).map(|c| c.as_str())),
            url_path: event.url_path().as_str(),
            referrer: event.referrer(),
            locale: event.locale(),
            utm_source: campaign.source.as_deref(),
            utm_medium: campaign.medium.as_deref(),
            utm_campaign: campaign.campaign.as_deref(),
            utm_term: campaign.term.as_deref(),
            utm_content: campaign.content.as_deref(),
            referrer_host: attribution.referrer_host.as_deref(),
            cart_value: cart.map(|c| c.value.value()),
            cart_item_count: cart.map(|c| c.items.len()),
            items: cart
                .map(|c| c.items.as_slice())
                .or_else(|| order.and_then(|o| o.items.as_deref()))
                .map(|items| items.iter().map(ItemFields::of).collect()),
            order_id: order.map(|o| o.order_id.as_str()),
            order_value: order.map(|o| o.value.value()),
            path: &request.path,
            method: request.method.as_str(),
            status_code,
            latency_ms: millis(latency_ms),
            user_agent: request.user_agent.as_deref(),
            is_bot,
            source_ip: source_ip.of(request),
            request_id: &request.request_id,
        }
    }
}

/// A shopper's choice about analytics: the record the data-protection law asks for.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConsentLine<'a> {
    pub choice: jewelry::consent::Choice,
    pub notice_version: &'static str,
    pub source: jewelry::consent::Source,
    /// The browser's id, when the choice is an acceptance (none exists before).
    pub client_id: Option<String>,
    pub session_id: Option<String>,
    /// The signed-in shopper's id, if any.
    pub user_id: Option<&'a str>,
    /// The page the choice was made on.
    pub path: &'a str,
    pub user_agent: Option<&'a str>,
    pub source_ip: Option<IpAddr>,
    pub request_id: &'a str,
}

impl LogLine for ConsentLine<'_> {
    const LOG_TYPE: LogType = LogType::Consent;
}

impl LogLine for ClickstreamLine<'_> {
    const LOG_TYPE: LogType = LogType::Clickstream;
}

/// The events one request had refused, with their codes; never an accepted line.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RejectedLine<'a> {
    rejected_count: usize,
    /// The distinct codes, comma-separated, for filtering.
    codes: String,
    rejected: &'a [EventRejection],
    user_id: Option<&'a str>,
    user_login_state: &'static str,
    identity_source: &'static str,
    status_code: u16,
    latency_ms: f64,
    #[serde(flatten)]
    request: RequestFields<'a>,
}

impl<'a> RejectedLine<'a> {
    pub fn new(rejected: &'a [EventRejection], request: &'a RequestContext, status_code: u16, latency_ms: f64) -> Self {
        let identity = &request.identity;
        let mut codes: Vec<&str> = rejected.iter().map(|r| r.code.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        RejectedLine {
            rejected_count: rejected.len(),
            codes: codes.join(","),
            rejected,
            user_id: identity.user_id(),
            user_login_state: identity.login_state(),
            identity_source: identity.source(),
            status_code,
            latency_ms: millis(latency_ms),
            request: RequestFields::of(request),
        }
    }
}

impl LogLine for RejectedLine<'_> {
    const LOG_TYPE: LogType = LogType::ClickstreamRejected;

    fn level(&self) -> Level {
        Level::Warn
    }
}

/// One HTTP request, written when its response head is ready.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestLine<'a> {
    status_code: u16,
    latency_ms: f64,
    user_id: Option<&'a str>,
    /// A storefront page served to a shopper (not a bot), as the insights count
    /// pages served; left out otherwise.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    page_served: bool,
    #[serde(flatten)]
    request: RequestFields<'a>,
}

impl<'a> RequestLine<'a> {
    pub fn new(request: &'a RequestContext, status_code: u16, user_id: Option<&'a str>, page_served: bool) -> Self {
        RequestLine {
            status_code,
            latency_ms: millis(request.latency_ms()),
            user_id,
            page_served,
            request: RequestFields::of(request),
        }
    }
}

impl LogLine for RequestLine<'_> {
    const LOG_TYPE: LogType = LogType::Request;

    fn level(&self) -> Level {
        if self.status_code >= 500 { Level::Error } else { Level::Info }
    }
}

/// What a [`BusinessLine`] records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BusinessAction {
    OrderPlaced,
    OrderConfirmed,
    OrderShipped,
    OrderDelivered,
    OrderCancelled,
    OrderReturned,
}

impl BusinessAction {
    /// The line a move to `status` writes (`order_placed` for the placing itself).
    pub fn of(status: jewelry::fulfilment::OrderStatus) -> BusinessAction {
        use jewelry::fulfilment::OrderStatus;
        match status {
            OrderStatus::Placed => BusinessAction::OrderPlaced,
            OrderStatus::Confirmed => BusinessAction::OrderConfirmed,
            OrderStatus::Shipped => BusinessAction::OrderShipped,
            OrderStatus::Delivered => BusinessAction::OrderDelivered,
            OrderStatus::Cancelled => BusinessAction::OrderCancelled,
            OrderStatus::Returned => BusinessAction::OrderReturned,
        }
    }
}

/// What an admin's move of an order writes: [`BusinessLine::order_moved`].
pub struct OrderMoved<'a> {
    pub to: jewelry::fulfilment::OrderStatus,
    pub order_id: &'a str,
    pub order_value: f64,
    pub currency: &'a str,
    pub item_count: u32,
    pub line_count: usize,
    /// Delivered: the cash collected.
    pub cash_collected: Option<f64>,
    /// Cancelled or returned: the units put back on sale.
    pub restocked_units: Option<u32>,
    pub request: &'a RequestContext,
}

/// Something the business cares about: an order placed, ...
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BusinessLine<'a> {
    action: BusinessAction,
    order_id: &'a str,
    order_value: f64,
    currency: &'a str,
    item_count: u32,
    line_count: usize,
    /// The shopper's `sub` for an order placed; the admin's for a move.
    user_id: Option<&'a str>,
    /// `order_placed`: each variant sold, so the insights' units sold can be
    /// counted again from the log.
    #[serde(skip_serializing_if = "Option::is_none")]
    items: Option<Vec<SoldItem<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cash_collected: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    restocked_units: Option<u32>,
    #[serde(flatten)]
    request: RequestFields<'a>,
}

/// A line of an order placed, as its `business` line names it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SoldItem<'a> {
    product_id: &'a str,
    variant_id: &'a str,
    sku: &'a str,
    quantity: u32,
    /// In the shop's currency's units, as `orderValue`.
    unit_price: f64,
}

impl<'a> BusinessLine<'a> {
    /// An admin moved an order: its id, amounts and counts, the admin's `sub`, and
    /// never the shopper's name, email, phone or address.
    pub fn order_moved(moved: OrderMoved<'a>) -> Self {
        BusinessLine {
            action: BusinessAction::of(moved.to),
            order_id: moved.order_id,
            order_value: moved.order_value,
            currency: moved.currency,
            item_count: moved.item_count,
            line_count: moved.line_count,
            user_id: moved.request.identity.user_id(),
            items: None,
            cash_collected: moved.cash_collected,
            restocked_units: moved.restocked_units,
            request: RequestFields::of(moved.request),
        }
    }

    pub fn order_placed(
        order_id: &'a str,
        order_value: f64,
        currency: jewelry::Currency,
        items: &'a [jewelry::order::PlacedItem],
        request: &'a RequestContext,
    ) -> Self {
        let item_count = items.iter().map(|i| i.quantity).sum();
        let line_count = items.len();
        let currency_code = currency.code();
        let items = items
            .iter()
            .map(|i| SoldItem {
                product_id: &i.product_id,
                variant_id: &i.variant_id,
                sku: &i.sku,
                quantity: i.quantity,
                unit_price: i.unit_price.as_units(currency),
            })
            .collect();
        let currency = currency_code;
        BusinessLine {
            action: BusinessAction::OrderPlaced,
            order_id,
            order_value,
            currency,
            item_count,
            line_count,
            user_id: request.identity.user_id(),
            items: Some(items),
            cash_collected: None,
            restocked_units: None,
            request: RequestFields::of(request),
        }
    }
}

impl LogLine for BusinessLine<'_> {
    const LOG_TYPE: LogType = LogType::Business;
}

/// What an [`AuthLine`] records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthAction {
    SignIn,
    /// With the `reason`.
    SignInFailed,
    /// An attempt refused before the password was looked at, with the limit reached
    /// as the `reason`.
    SignInLimited,
    SignOut,
    /// A cookie's or bearer token refused, with the `reason`; the request goes on as a guest's.
    TokenRejected,
}

/// Sign-in, sign-out, and tokens refused. Never the password or the token.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthLine<'a> {
    action: AuthAction,
    /// Why, on `sign_in_failed` and `token_rejected`.
    reason: Option<&'a str>,
    user_id: Option<&'a str>,
    user_login_state: &'static str,
    /// The provider involved: `dev` or `cognito`.
    identity_source: &'static str,
    #[serde(flatten)]
    request: RequestFields<'a>,
}

impl<'a> AuthLine<'a> {
    pub fn new(
        action: AuthAction,
        reason: Option<&'a str>,
        user_id: Option<&'a str>,
        identity_source: &'static str,
        request: &'a RequestContext,
    ) -> Self {
        let signed_in = user_id.is_some() && action != AuthAction::SignOut;
        AuthLine {
            action,
            reason,
            user_id,
            user_login_state: if signed_in { "signed_in" } else { "guest" },
            identity_source,
            request: RequestFields::of(request),
        }
    }
}

impl LogLine for AuthLine<'_> {
    const LOG_TYPE: LogType = LogType::Auth;

    fn level(&self) -> Level {
        match self.action {
            AuthAction::SignInFailed | AuthAction::SignInLimited | AuthAction::TokenRejected => Level::Warn,
            AuthAction::SignIn | AuthAction::SignOut => Level::Info,
        }
    }
}

/// What a [`CrudLine`] changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    Product,
    ProductImage,
    /// A product's variant (its id: the product's, for a product without options).
    Variant,
    /// A shopper's own account: its data downloaded, or the account deleted.
    Account,
    /// An order an admin moved (its status).
    Order,
}

/// How a [`CrudLine`] changed it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CrudAction {
    Create,
    Update,
    Archive,
    Restore,
    Delete,
    Reorder,
    /// A shopper downloaded their data.
    Export,
}

/// A change an admin made (or a shopper, to their own account): what, to which, by whom.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CrudLine<'a> {
    entity: Entity,
    action: CrudAction,
    entity_id: &'a str,
    /// The admin's `sub`.
    actor_id: Option<&'a str>,
    /// The entity's version after the change, where it has one.
    version: Option<i64>,
    #[serde(flatten)]
    request: RequestFields<'a>,
}

impl<'a> CrudLine<'a> {
    pub fn new(
        entity: Entity,
        action: CrudAction,
        entity_id: &'a str,
        version: Option<i64>,
        request: &'a RequestContext,
    ) -> Self {
        CrudLine {
            entity,
            action,
            entity_id,
            actor_id: request.identity.user_id(),
            version,
            request: RequestFields::of(request),
        }
    }
}

impl LogLine for CrudLine<'_> {
    const LOG_TYPE: LogType = LogType::Crud;
}

/// The step of an image upload an [`UploadLine`] records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UploadAction {
    PresignIssued,
    UploadCompleted,
    /// With the refusal's code as the `reason`.
    UploadRejected,
}

/// A step of an image upload. Holds the key, never the URL or its signature.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadLine<'a> {
    action: UploadAction,
    product_id: &'a str,
    /// The object's key; `null` when the upload was refused before one was made.
    key: Option<&'a str>,
    content_type: Option<&'a str>,
    size_bytes: Option<u64>,
    /// `upload_rejected`: the refusal's code.
    reason: Option<&'static str>,
    /// `local` or `s3`.
    store: &'static str,
    /// The admin's `sub`.
    actor_id: Option<&'a str>,
    #[serde(flatten)]
    request: RequestFields<'a>,
}

/// The object an [`UploadLine`] is about.
pub struct UploadFacts<'a> {
    pub product_id: &'a str,
    pub key: Option<&'a str>,
    pub content_type: Option<&'a str>,
    pub size_bytes: Option<u64>,
    pub store: &'static str,
}

impl<'a> UploadLine<'a> {
    pub fn new(
        action: UploadAction,
        facts: UploadFacts<'a>,
        reason: Option<&'static str>,
        request: &'a RequestContext,
    ) -> Self {
        UploadLine {
            action,
            product_id: facts.product_id,
            key: facts.key,
            content_type: facts.content_type,
            size_bytes: facts.size_bytes,
            reason,
            store: facts.store,
            actor_id: request.identity.user_id(),
            request: RequestFields::of(request),
        }
    }
}

impl LogLine for UploadLine<'_> {
    const LOG_TYPE: LogType = LogType::Upload;

    fn level(&self) -> Level {
        if self.action == UploadAction::UploadRejected { Level::Warn } else { Level::Info }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jewelry::identity::Identity;
    use std::time::Instant;

    fn request() -> RequestContext {
        RequestContext {
            request_id: "r-1".into(),
            identity: Identity::guest(),
            source_ip: None,
            user_agent: None,
            method: axum::http::Method::POST,
            path: "/auth/dev/login".into(),
            started: Instant::now(),
            locale: jewelry::Locale::default(),
        }
    }

    fn written<L: LogLine>(line: &L) -> String {
        let header = LineHeader { timestamp: "2026-12-01T10:00:00.000Z", level: line.level(), log_type: L::LOG_TYPE };
        serde_json::to_string(&Framed { header, line }).unwrap()
    }

    #[test]
    fn a_line_is_the_header_then_its_own_keys_in_one_flat_object() {
        let request = request();
        let text = written(&AuthLine::new(AuthAction::SignInFailed, Some("bad_password"), None, "dev", &request));
        assert!(
            text.starts_with(
                r#"{"timestamp":"2026-12-01T10:00:00.000Z","level":"WARN","logType":"auth","action":"sign_in_failed","reason":"bad_password","userId":null,"userLoginState":"guest","identitySource":"dev","requestId":"r-1","path":"/auth/dev/login","method":"POST""#
            ),
            "{text}"
        );
    }

    #[test]
    fn the_level_follows_what_happened() {
        let request = request();
        let signed_out = AuthLine::new(AuthAction::SignOut, None, Some("u-1"), "dev", &request);
        assert_eq!((signed_out.level(), AuthLine::LOG_TYPE), (Level::Info, LogType::Auth));
        assert_eq!(RequestLine::new(&request, 503, None, false).level(), Level::Error);
        assert_eq!(RequestLine::new(&request, 404, None, false).level(), Level::Info);
        let facts = || UploadFacts { product_id: "p", key: None, content_type: None, size_bytes: None, store: "local" };
        assert_eq!(
            UploadLine::new(UploadAction::UploadRejected, facts(), Some("too_large"), &request).level(),
            Level::Warn
        );
        assert_eq!(UploadLine::new(UploadAction::PresignIssued, facts(), None, &request).level(), Level::Info);
        assert!(
            written(&RequestLine::new(&request, 503, None, false)).contains(r#""level":"ERROR","logType":"request""#)
        );
    }
}
