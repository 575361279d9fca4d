//! Every log line others read, one struct each. Keys are the contract's
//! (`docs/events.md`), camelCase, flat; a key that does not apply is
//! written as `null`, never left out.

use super::{LogSink, rfc3339_millis};
use jewelry::events::{Event, Rejection};
use jewelry::identity::Identity;
use jewelry_app::services::RequestContext;
use serde::{Serialize, Serializer};
use std::fmt::Display;
use std::net::IpAddr;
use time::OffsetDateTime;

fn display<T: Display, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(value)
}

/// Milliseconds to the microsecond: enough to compare, short to read.
fn millis(ms: f64) -> f64 {
    (ms * 1000.0).round() / 1000.0
}

fn emit(sink: &LogSink, line: &impl Serialize) {
    match serde_json::to_vec(line) {
        Ok(bytes) => sink.write_line(bytes),
        // Only non-string map keys or failing Serialize impls can fail, and no
        // line has either; say so loudly rather than lose the line silently.
        Err(e) => tracing::error!(error = %e, "a log line could not be serialized"),
    }
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
    timestamp: &'a str,
    level: &'static str,
    log_type: &'static str,
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
    name: Option<&'a str>,
    category: Option<&'a str>,
    brand: Option<&'a str>,
    price: Option<f64>,
    discount_price: Option<f64>,
    quantity: Option<u16>,
    currency: Option<&'a str>,
    url_path: &'a str,
    referrer: Option<&'a str>,
    cart_value: Option<f64>,
    cart_item_count: Option<usize>,
    order_id: Option<&'a str>,
    order_value: Option<f64>,
    path: &'a str,
    method: &'a str,
    status_code: u16,
    latency_ms: f64,
    user_agent: Option<&'a str>,
    source_ip: Option<IpAddr>,
    request_id: &'a str,
}

impl<'a> ClickstreamLine<'a> {
    pub fn new(
        timestamp: &'a str,
        event: &'a Event,
        identity: &'a Identity,
        request: &'a RequestContext,
        status_code: u16,
        latency_ms: f64,
    ) -> Self {
        let product = event.product();
        let cart = event.cart();
        let order = event.order();
        ClickstreamLine {
            timestamp,
            level: "INFO",
            log_type: "clickstream",
            event_id: event.id(),
            event_name: event.name().as_str(),
            event_timestamp: event.timestamp().as_str(),
            user_id: identity.user_id(),
            client_id: event.client_id(),
            session_id: event.session_id(),
            user_login_state: identity.login_state(),
            identity_source: identity.source(),
            product_id: product.map(|p| p.product_id.as_str()),
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
            cart_value: cart.map(|c| c.value.value()),
            cart_item_count: cart.map(|c| c.items.len()),
            order_id: order.map(|o| o.order_id.as_str()),
            order_value: order.map(|o| o.value.value()),
            path: &request.path,
            method: request.method.as_str(),
            status_code,
            latency_ms: millis(latency_ms),
            user_agent: request.user_agent.as_deref(),
            source_ip: request.source_ip,
            request_id: &request.request_id,
        }
    }

    pub fn emit(&self, sink: &LogSink) {
        emit(sink, self);
    }
}

/// The events one request had refused, with their codes; never an accepted line.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RejectedLine<'a> {
    timestamp: String,
    level: &'static str,
    log_type: &'static str,
    rejected_count: usize,
    /// The distinct codes, comma-separated, for filtering.
    codes: String,
    rejected: &'a [Rejection],
    user_id: Option<&'a str>,
    user_login_state: &'static str,
    identity_source: &'static str,
    status_code: u16,
    latency_ms: f64,
    #[serde(flatten)]
    request: RequestFields<'a>,
}

impl<'a> RejectedLine<'a> {
    pub fn new(
        rejected: &'a [Rejection],
        identity: &'a Identity,
        request: &'a RequestContext,
        status_code: u16,
        latency_ms: f64,
    ) -> Self {
        let mut codes: Vec<&str> = rejected.iter().map(|r| r.code.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        RejectedLine {
            timestamp: rfc3339_millis(OffsetDateTime::now_utc()),
            level: "WARN",
            log_type: "clickstream_rejected",
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

    pub fn emit(&self, sink: &LogSink) {
        emit(sink, self);
    }
}

/// One HTTP request, written when its response head is ready.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestLine<'a> {
    timestamp: String,
    level: &'static str,
    log_type: &'static str,
    status_code: u16,
    latency_ms: f64,
    user_id: Option<&'a str>,
    #[serde(flatten)]
    request: RequestFields<'a>,
}

impl<'a> RequestLine<'a> {
    pub fn new(request: &'a RequestContext, status_code: u16, user_id: Option<&'a str>) -> Self {
        RequestLine {
            timestamp: rfc3339_millis(OffsetDateTime::now_utc()),
            level: if status_code >= 500 { "ERROR" } else { "INFO" },
            log_type: "request",
            status_code,
            latency_ms: millis(request.latency_ms()),
            user_id,
            request: RequestFields::of(request),
        }
    }

    pub fn emit(&self, sink: &LogSink) {
        emit(sink, self);
    }
}

/// Something the business cares about: an order placed, ...
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BusinessLine<'a> {
    timestamp: String,
    level: &'static str,
    log_type: &'static str,
    action: &'static str,
    order_id: &'a str,
    order_value: f64,
    currency: &'a str,
    item_count: u32,
    line_count: usize,
    user_id: Option<&'a str>,
    #[serde(flatten)]
    request: RequestFields<'a>,
}

impl<'a> BusinessLine<'a> {
    pub fn order_placed(
        order_id: &'a str,
        order_value: f64,
        currency: &'a str,
        item_count: u32,
        line_count: usize,
        request: &'a RequestContext,
    ) -> Self {
        BusinessLine {
            timestamp: rfc3339_millis(OffsetDateTime::now_utc()),
            level: "INFO",
            log_type: "business",
            action: "order_placed",
            order_id,
            order_value,
            currency,
            item_count,
            line_count,
            user_id: request.identity.user_id(),
            request: RequestFields::of(request),
        }
    }

    pub fn emit(&self, sink: &LogSink) {
        emit(sink, self);
    }
}

/// Sign-in, sign-out, and tokens refused. Never the password or the token.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthLine<'a> {
    timestamp: String,
    level: &'static str,
    log_type: &'static str,
    /// `sign_in`, `sign_in_failed`, `sign_out` or `token_rejected`.
    action: &'static str,
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
        action: &'static str,
        reason: Option<&'a str>,
        user_id: Option<&'a str>,
        identity_source: &'static str,
        request: &'a RequestContext,
    ) -> Self {
        let failed = matches!(action, "sign_in_failed" | "token_rejected");
        AuthLine {
            timestamp: rfc3339_millis(OffsetDateTime::now_utc()),
            level: if failed { "WARN" } else { "INFO" },
            log_type: "auth",
            action,
            reason,
            user_id,
            user_login_state: if user_id.is_some() && action != "sign_out" { "signed_in" } else { "guest" },
            identity_source,
            request: RequestFields::of(request),
        }
    }

    pub fn emit(&self, sink: &LogSink) {
        emit(sink, self);
    }
}

/// A change an admin made: what, to which, by whom.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CrudLine<'a> {
    timestamp: String,
    level: &'static str,
    log_type: &'static str,
    /// `product`, `product_image`.
    entity: &'static str,
    /// `create`, `update`, `archive`, `restore`, `delete`, `reorder`.
    action: &'static str,
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
        entity: &'static str,
        action: &'static str,
        entity_id: &'a str,
        version: Option<i64>,
        request: &'a RequestContext,
    ) -> Self {
        CrudLine {
            timestamp: rfc3339_millis(OffsetDateTime::now_utc()),
            level: "INFO",
            log_type: "crud",
            entity,
            action,
            entity_id,
            actor_id: request.identity.user_id(),
            version,
            request: RequestFields::of(request),
        }
    }

    pub fn emit(&self, sink: &LogSink) {
        emit(sink, self);
    }
}

/// A step of an image upload. Holds the key, never the URL or its signature.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadLine<'a> {
    timestamp: String,
    level: &'static str,
    log_type: &'static str,
    /// `presign_issued`, `upload_completed`, `upload_rejected`.
    action: &'static str,
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
        action: &'static str,
        facts: UploadFacts<'a>,
        reason: Option<&'static str>,
        request: &'a RequestContext,
    ) -> Self {
        UploadLine {
            timestamp: rfc3339_millis(OffsetDateTime::now_utc()),
            level: if reason.is_some() { "WARN" } else { "INFO" },
            log_type: "upload",
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

    pub fn emit(&self, sink: &LogSink) {
        emit(sink, self);
    }
}
