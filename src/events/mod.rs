//! The clickstream contract (`docs/events.md`): the five events, the
//! rules each field obeys, the stable rejection codes, and the `/events` response.
//!
//! [`parse_body`] turns a request body into one validated [`Event`] or one
//! [`EventRejection`] per event. The browser builds its requests from [`payload`], which
//! the tests hold to the same rules.

mod fields;
pub mod payload;
mod validate;
mod wire;

pub use fields::{Amount, ClientId, Currency, EventId, EventTimestamp, ProductId, Quantity, SessionId, UrlPath};
pub use validate::{Campaign, CartContext, CartItem, Event, OrderContext, ProductContext};

use serde::{Deserialize, Serialize};
use std::fmt;
use time::OffsetDateTime;

/// At most this many events in one request.
pub const MAX_BATCH: usize = 50;
/// Bodies above this many bytes are refused with 413 before they are read.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// At most this many items in a `checkout_start` cart.
pub const MAX_CART_ITEMS: usize = 100;
/// The longest `utm_*` value an event carries.
pub const MAX_UTM_CHARS: usize = 200;
/// How far in the past a client timestamp may be.
pub const MAX_EVENT_AGE: time::Duration = time::Duration::hours(72);
/// How far ahead of the server's clock a client timestamp may be.
pub const MAX_CLOCK_SKEW: time::Duration = time::Duration::minutes(10);

/// The five clickstream events.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventName {
    PageView,
    ProductView,
    AddToCart,
    CheckoutStart,
    CheckoutComplete,
}

impl EventName {
    pub const ALL: [EventName; 5] = [
        EventName::PageView,
        EventName::ProductView,
        EventName::AddToCart,
        EventName::CheckoutStart,
        EventName::CheckoutComplete,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            EventName::PageView => "page_view",
            EventName::ProductView => "product_view",
            EventName::AddToCart => "add_to_cart",
            EventName::CheckoutStart => "checkout_start",
            EventName::CheckoutComplete => "checkout_complete",
        }
    }

    pub fn parse(s: &str) -> Option<EventName> {
        EventName::ALL.into_iter().find(|name| name.as_str() == s)
    }

    /// Events that describe one product and must carry `product`.
    pub const fn needs_product(self) -> bool {
        matches!(self, EventName::ProductView | EventName::AddToCart)
    }
}

impl fmt::Display for EventName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why an event or a body was refused. The strings are stable: clients and
/// dashboards branch on them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectCode {
    UnknownEventName,
    UnknownField,
    MissingField,
    InvalidField,
    MissingProduct,
    TimestampOutOfRange,
    MalformedBody,
    TooManyEvents,
}

impl RejectCode {
    pub const fn as_str(self) -> &'static str {
        match self {
            RejectCode::UnknownEventName => "unknown_event_name",
            RejectCode::UnknownField => "unknown_field",
            RejectCode::MissingField => "missing_field",
            RejectCode::InvalidField => "invalid_field",
            RejectCode::MissingProduct => "missing_product",
            RejectCode::TimestampOutOfRange => "timestamp_out_of_range",
            RejectCode::MalformedBody => "malformed_body",
            RejectCode::TooManyEvents => "too_many_events",
        }
    }
}

impl fmt::Display for RejectCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One refused event, as the response and the `clickstream_rejected` line report it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventRejection {
    /// Position of the event in the batch (0 for a single event).
    pub index: usize,
    /// The event's `eventId` as sent, if it sent a string (cut to 64 characters).
    pub event_id: Option<String>,
    pub code: RejectCode,
    pub message: String,
}

/// A body that is not one of the two shapes, or holds too many events.
#[derive(Clone, Debug, PartialEq, thiserror::Error, Serialize, Deserialize)]
#[error("{code}: {message}")]
pub struct BodyError {
    pub code: RejectCode,
    pub message: String,
}

/// The body of every `/events` answer that judged events one by one.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct IngestReport {
    pub accepted: usize,
    pub duplicates: usize,
    pub rejected: Vec<EventRejection>,
}

impl IngestReport {
    /// `200` when something got in or was already in; `400` when every event was refused.
    pub fn status_code(&self) -> u16 {
        if self.accepted + self.duplicates > 0 { 200 } else { 400 }
    }
}

/// Whether a page at `path` is shop traffic, whose views the tracker reports.
/// The admin area (`/admin` and below) is the shop's own work, not shoppers': the
/// tracker sends nothing there, and the server leaves the page's early
/// `page_view` script out of it.
pub fn is_shop_page(path: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    !(path == "/admin" || path.starts_with("/admin/"))
}

/// Reads a request body into one verdict per event, in order.
///
/// `now` is the server's clock, against which `eventTimestamp` is checked.
/// A body that is not JSON, or not `{"events": [...]}` / a single event object,
/// is a [`BodyError`]; everything else is judged per event.
pub fn parse_body(body: &[u8], now: OffsetDateTime) -> Result<Vec<Result<Event, EventRejection>>, BodyError> {
    let draft: wire::BodyDraft = serde_json::from_slice(body)
        .map_err(|e| BodyError { code: RejectCode::MalformedBody, message: malformed_message(&e) })?;
    let drafts = match draft {
        wire::BodyDraft::TooMany(count) => {
            return Err(BodyError {
                code: RejectCode::TooManyEvents,
                message: format!("a request holds at most {MAX_BATCH} events; this one held {count}"),
            });
        }
        wire::BodyDraft::Single(event) => vec![*event],
        wire::BodyDraft::Batch(events) => events,
    };
    Ok(drafts.into_iter().enumerate().map(|(index, draft)| validate::validate(draft, index, now)).collect())
}

fn malformed_message(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Syntax | Category::Eof => format!("the body is not valid JSON ({e})"),
        Category::Data => {
            format!("the body is not {{\"events\": [...]}} or a single event object ({e})")
        }
        Category::Io => "the body could not be read".to_owned(),
    }
}

#[cfg(test)]
mod tests;
