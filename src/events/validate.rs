//! From a draft read off the wire to a validated [`Event`], or the first rule it breaks.

use super::fields::{
    Amount, ClientId, Currency, EventId, EventTimestamp, ProductId, Quantity, SessionId, UrlPath, within_chars,
};
use super::wire::{CartDraft, EventDraft, ItemDraft, Loose, OrderDraft, ProductDraft};
use super::{EventName, EventRejection, MAX_CART_ITEMS, MAX_CLOCK_SKEW, MAX_EVENT_AGE, RejectCode};
use crate::Locale;
use crate::truncate_chars as truncate;
use std::borrow::Cow;
use time::OffsetDateTime;

/// One clickstream event that obeys every rule of the contract.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    id: EventId,
    name: EventName,
    timestamp: EventTimestamp,
    client_id: ClientId,
    session_id: SessionId,
    url_path: UrlPath,
    referrer: Option<String>,
    /// The page's language.
    locale: Option<Locale>,
    /// The landing page's `utm_*` parameters (a `page_view`'s only).
    campaign: Campaign,
    product: Option<ProductContext>,
    cart: Option<CartContext>,
    order: Option<OrderContext>,
}

impl Event {
    pub fn id(&self) -> EventId {
        self.id
    }
    pub fn name(&self) -> EventName {
        self.name
    }
    pub fn timestamp(&self) -> &EventTimestamp {
        &self.timestamp
    }
    pub fn client_id(&self) -> ClientId {
        self.client_id
    }
    pub fn session_id(&self) -> SessionId {
        self.session_id
    }
    pub fn url_path(&self) -> &UrlPath {
        &self.url_path
    }
    pub fn referrer(&self) -> Option<&str> {
        self.referrer.as_deref()
    }
    /// The language of the page the event happened on.
    pub fn locale(&self) -> Option<Locale> {
        self.locale
    }
    /// The `utm_*` parameters the event carried (only a `page_view` may).
    pub fn campaign(&self) -> &Campaign {
        &self.campaign
    }
    /// Present on every `product_view` and `add_to_cart` (with a quantity on the latter).
    pub fn product(&self) -> Option<&ProductContext> {
        self.product.as_ref()
    }
    /// Present on every `checkout_start`.
    pub fn cart(&self) -> Option<&CartContext> {
        self.cart.as_ref()
    }
    /// Present on every `checkout_complete`.
    pub fn order(&self) -> Option<&OrderContext> {
        self.order.as_ref()
    }
}

/// `utmSource` ... `utmContent`, each 1 to 200 characters.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Campaign {
    pub source: Option<String>,
    pub medium: Option<String>,
    pub campaign: Option<String>,
    pub term: Option<String>,
    pub content: Option<String>,
}

impl Campaign {
    pub fn is_empty(&self) -> bool {
        [&self.source, &self.medium, &self.campaign, &self.term, &self.content].iter().all(|v| v.is_none())
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ProductContext {
    pub product_id: ProductId,
    /// The variant viewed or added, and its SKU (1 to 64 characters each).
    pub variant_id: Option<String>,
    pub sku: Option<String>,
    pub name: Option<String>,
    pub category: Option<String>,
    pub brand: Option<String>,
    pub price: Option<Amount>,
    pub discount_price: Option<Amount>,
    pub currency: Option<Currency>,
    pub quantity: Option<Quantity>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CartContext {
    pub items: Vec<CartItem>,
    pub value: Amount,
    pub currency: Currency,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CartItem {
    pub product_id: ProductId,
    pub variant_id: Option<String>,
    pub sku: Option<String>,
    pub quantity: Quantity,
    pub price: Amount,
}

#[derive(Clone, Debug, PartialEq)]
pub struct OrderContext {
    pub order_id: String,
    /// What was ordered, when the event says (the same shape as a cart's items).
    pub items: Option<Vec<CartItem>>,
    pub value: Amount,
    pub currency: Currency,
}

/// A broken rule: the code and a message naming the field.
struct Broken(RejectCode, String);

type Check<T> = Result<T, Broken>;

fn missing(field: &str) -> Broken {
    Broken(RejectCode::MissingField, format!("`{field}` is required"))
}

fn invalid(field: &str, rule: &str) -> Broken {
    Broken(RejectCode::InvalidField, format!("`{field}` {rule}"))
}

/// A required field through `parse`, or why not.
fn required<T, V>(slot: Loose<V>, field: &str, rule: &str, parse: impl FnOnce(V) -> Option<T>) -> Check<T> {
    match slot {
        Loose::Absent | Loose::Null => Err(missing(field)),
        Loose::WrongType => Err(invalid(field, rule)),
        Loose::Value(v) => parse(v).ok_or_else(|| invalid(field, rule)),
    }
}

/// An optional field through `parse`: absent or `null` is `None`.
fn optional<T, V>(slot: Loose<V>, field: &str, rule: &str, parse: impl FnOnce(V) -> Option<T>) -> Check<Option<T>> {
    match slot {
        Loose::Absent | Loose::Null => Ok(None),
        Loose::WrongType => Err(invalid(field, rule)),
        Loose::Value(v) => parse(v).map(Some).ok_or_else(|| invalid(field, rule)),
    }
}

fn text(max: usize) -> impl FnOnce(Cow<'_, str>) -> Option<String> {
    move |s| within_chars(&s, max).then(|| s.into_owned())
}

const UUID_RULE: &str = "must be a hyphenated UUID string";
const CURRENCY_RULE: &str = "must be an ISO 4217 code of three capital letters";
const AMOUNT_RULE: &str = "must be a number, zero or more";
const QUANTITY_RULE: &str = "must be a whole number from 1 to 999";

pub(super) fn validate(draft: EventDraft<'_>, index: usize, now: OffsetDateTime) -> Result<Event, EventRejection> {
    let event_id = match &draft.event_id {
        Loose::Value(id) => Some(truncate(id, 64).to_owned()),
        _ => None,
    };
    build(draft, now).map_err(|Broken(code, message)| EventRejection { index, event_id, code, message })
}

fn build(draft: EventDraft<'_>, now: OffsetDateTime) -> Check<Event> {
    if let Some(problem) = draft.problem {
        return Err(Broken(problem.code, problem.message));
    }
    let name = match draft.event_name {
        Loose::Absent | Loose::Null => return Err(missing("eventName")),
        Loose::WrongType => return Err(invalid("eventName", "must be a string")),
        Loose::Value(s) => EventName::parse(&s).ok_or_else(|| {
            Broken(
                RejectCode::UnknownEventName,
                format!(
                    "unknown eventName `{}`; expected one of page_view, product_view, add_to_cart, checkout_start, checkout_complete",
                    truncate(&s, 64)
                ),
            )
        })?,
    };
    let id = required(draft.event_id, "eventId", UUID_RULE, |s| EventId::parse(&s))?;
    let timestamp =
        required(draft.event_timestamp, "eventTimestamp", "must be an RFC 3339 date-time with an offset", |s| {
            EventTimestamp::parse(&s)
        })?;
    let client_id = required(draft.client_id, "clientId", UUID_RULE, |s| ClientId::parse(&s))?;
    let session_id = required(draft.session_id, "sessionId", UUID_RULE, |s| SessionId::parse(&s))?;
    let url_path = required(draft.url_path, "urlPath", "must start with `/` and hold at most 2048 characters", |s| {
        UrlPath::parse(&s)
    })?;
    let referrer = optional(draft.referrer, "referrer", "must be a string of at most 2048 characters", text(2048))?;
    let locale = optional(draft.locale, "locale", "must be a language the shop speaks: vi or en", |s| {
        Locale::ALL.into_iter().find(|l| l.code() == s)
    })?;

    const UTM_RULE: &str = "must be a string of 1 to 200 characters";
    let utm = |slot, field| {
        optional(slot, field, UTM_RULE, |s: Cow<'_, str>| {
            (!s.is_empty() && within_chars(&s, super::MAX_UTM_CHARS)).then(|| s.into_owned())
        })
    };
    let campaign = Campaign {
        source: utm(draft.utm_source, "utmSource")?,
        medium: utm(draft.utm_medium, "utmMedium")?,
        campaign: utm(draft.utm_campaign, "utmCampaign")?,
        term: utm(draft.utm_term, "utmTerm")?,
        content: utm(draft.utm_content, "utmContent")?,
    };
    if !campaign.is_empty() && name != EventName::PageView {
        return Err(Broken(
            RejectCode::InvalidField,
            format!(
                "`utmSource`, `utmMedium`, `utmCampaign`, `utmTerm` and `utmContent` come on a page_view only, not on {name}"
            ),
        ));
    }

    let product = match draft.product {
        Loose::Absent | Loose::Null if name.needs_product() => {
            return Err(Broken(RejectCode::MissingProduct, format!("`product` is required for {name}")));
        }
        Loose::Absent | Loose::Null => None,
        Loose::WrongType => return Err(invalid("product", "must be an object")),
        Loose::Value(p) => Some(product(p)?),
    };
    if name == EventName::AddToCart && product.as_ref().is_some_and(|p| p.quantity.is_none()) {
        return Err(Broken(RejectCode::MissingField, "`product.quantity` is required for add_to_cart".into()));
    }
    let cart = match draft.cart {
        Loose::Absent | Loose::Null if name == EventName::CheckoutStart => {
            return Err(Broken(RejectCode::MissingField, "`cart` is required for checkout_start".into()));
        }
        Loose::Absent | Loose::Null => None,
        Loose::WrongType => return Err(invalid("cart", "must be an object")),
        Loose::Value(c) => Some(cart(c)?),
    };
    let order = match draft.order {
        Loose::Absent | Loose::Null if name == EventName::CheckoutComplete => {
            return Err(Broken(RejectCode::MissingField, "`order` is required for checkout_complete".into()));
        }
        Loose::Absent | Loose::Null => None,
        Loose::WrongType => return Err(invalid("order", "must be an object")),
        Loose::Value(o) => Some(order(o)?),
    };

    let at = timestamp.at();
    if at < now - MAX_EVENT_AGE || at > now + MAX_CLOCK_SKEW {
        return Err(Broken(
            RejectCode::TimestampOutOfRange,
            format!(
                "`eventTimestamp` {} is more than 72 hours before or 10 minutes after the server's clock",
                truncate(timestamp.as_str(), 40)
            ),
        ));
    }

    Ok(Event { id, name, timestamp, client_id, session_id, url_path, referrer, locale, campaign, product, cart, order })
}

fn product(p: ProductDraft<'_>) -> Check<ProductContext> {
    let product_id = required(p.product_id, "product.productId", "must be a string of 1 to 64 characters", |s| {
        ProductId::parse(&s)
    })?;
    let variant_id = optional(p.variant_id, "product.variantId", ID_RULE, id64)?;
    let sku = optional(p.sku, "product.sku", ID_RULE, id64)?;
    let name = optional(p.name, "product.name", "must be a string of at most 200 characters", text(200))?;
    let category = optional(p.category, "product.category", "must be a string of at most 100 characters", text(100))?;
    let brand = optional(p.brand, "product.brand", "must be a string of at most 100 characters", text(100))?;
    let price = optional(p.price, "product.price", AMOUNT_RULE, Amount::parse)?;
    let discount_price = optional(p.discount_price, "product.discountPrice", AMOUNT_RULE, Amount::parse)?;
    if let (Some(price), Some(discount)) = (price, discount_price)
        && discount > price
    {
        return Err(invalid("product.discountPrice", "must not be more than `product.price`"));
    }
    let currency = optional(p.currency, "product.currency", CURRENCY_RULE, |s| Currency::parse(&s))?;
    let quantity = optional(p.quantity, "product.quantity", QUANTITY_RULE, Quantity::parse)?;
    Ok(ProductContext { product_id, variant_id, sku, name, category, brand, price, discount_price, currency, quantity })
}

fn cart(c: CartDraft<'_>) -> Check<CartContext> {
    let items = match c.items {
        Loose::Absent | Loose::Null => return Err(missing("cart.items")),
        Loose::WrongType => return Err(invalid("cart.items", "must be an array")),
        Loose::Value(items) if items.count == 0 || items.count > MAX_CART_ITEMS => {
            return Err(invalid("cart.items", "must hold 1 to 100 items"));
        }
        Loose::Value(items) => items.items.into_iter().map(|i| item(i, "cart.items[]")).collect::<Check<Vec<_>>>()?,
    };
    let value = required(c.value, "cart.value", AMOUNT_RULE, Amount::parse)?;
    let currency = required(c.currency, "cart.currency", CURRENCY_RULE, |s| Currency::parse(&s))?;
    Ok(CartContext { items, value, currency })
}

/// A cart's or an order's item; `at` names where (`cart.items[]`).
fn item<const ORDER: bool>(item: Loose<ItemDraft<'_, ORDER>>, at: &str) -> Check<CartItem> {
    let item = match item {
        Loose::Value(item) => item,
        _ => return Err(invalid(at, "must be an object")),
    };
    let field = |name: &str| format!("{at}.{name}");
    Ok(CartItem {
        product_id: required(item.product_id, &field("productId"), "must be a string of 1 to 64 characters", |s| {
            ProductId::parse(&s)
        })?,
        variant_id: optional(item.variant_id, &field("variantId"), ID_RULE, id64)?,
        sku: optional(item.sku, &field("sku"), ID_RULE, id64)?,
        quantity: required(item.quantity, &field("quantity"), QUANTITY_RULE, Quantity::parse)?,
        price: required(item.price, &field("price"), AMOUNT_RULE, Amount::parse)?,
    })
}

fn order(o: OrderDraft<'_>) -> Check<OrderContext> {
    let order_id = required(o.order_id, "order.orderId", ID_RULE, id64)?;
    let items = match o.items {
        Loose::Absent | Loose::Null => None,
        Loose::WrongType => return Err(invalid("order.items", "must be an array")),
        Loose::Value(items) if items.count == 0 || items.count > MAX_CART_ITEMS => {
            return Err(invalid("order.items", "must hold 1 to 100 items"));
        }
        Loose::Value(items) => {
            Some(items.items.into_iter().map(|i| item(i, "order.items[]")).collect::<Check<Vec<_>>>()?)
        }
    };
    Ok(OrderContext {
        order_id,
        items,
        value: required(o.value, "order.value", AMOUNT_RULE, Amount::parse)?,
        currency: required(o.currency, "order.currency", CURRENCY_RULE, |s| Currency::parse(&s))?,
    })
}

const ID_RULE: &str = "must be a string of 1 to 64 characters";

/// An id (an order's, a variant's, a SKU): 1 to 64 characters.
fn id64(s: Cow<'_, str>) -> Option<String> {
    (!s.is_empty()).then_some(()).and_then(|()| text(64)(s))
}
