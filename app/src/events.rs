//! `POST /events`, the clickstream's way in, declared as a server function
//! ([`ingest_events`]); the contract is `docs/events.md`.
//!
//! The browser does not call the function: the tracker posts its batches with
//! `fetch` and `navigator.sendBeacon`. The server's `/events` route takes them
//! with [`receive`] and hands them to the [`Clickstream`]
//! (which the server implements) in one call, without the server function's
//! machinery; the function names the path and encodings, and serves the same
//! answers where it is mounted as a server function.
//!
//! The body is taken as it came, through an input encoding of our own
//! ([`RawEvents`]): the events are judged one by one by the root crate's parser, so
//! one bad event does not refuse the batch, which a derived `Deserialize` would.
//! What the encoding finds wrong with the request itself (its content type, its
//! size, an unreadable body) travels on as [`Received::Refused`], so that one
//! [`answer_status`] sets every status.

use jewelry::events::{BodyError, IngestReport, MAX_BODY_BYTES, RejectCode};
use leptos::prelude::*;
use leptos::server_fn::codec::{Encoding, FromReq, IntoReq, Json, JsonEncoding};
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::request::ClientReq;
use leptos::server_fn::{Bytes, ContentType};
use serde::{Deserialize, Serialize};

/// The path events are posted to: [`ingest_events`]'s.
pub const EVENTS_PATH: &str = <IngestEvents as leptos::server_fn::ServerFn>::PATH;

/// A request's body, as received, or why the request cannot be judged.
#[derive(Clone, Debug)]
pub enum Received {
    Body(Bytes),
    Refused(EventsError),
}

/// What can go wrong with a whole request to `/events`, as `docs/events.md`
/// lists it; answered as `{"code": ..., "message": ...}` with [`EventsError::status`].
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum EventsError {
    /// The log spool is full (CloudWatch Logs unreachable for long): send again later.
    #[error("the server cannot take events right now; send them again later")]
    SpoolFull,
    /// The log could not be written (a full disk): nothing was taken, send again later.
    #[error("the server cannot write its log right now; send the events again later")]
    LogUnavailable,
    #[error("send the events as application/json (or text/plain from navigator.sendBeacon)")]
    UnsupportedMediaType,
    #[error("a request body holds at most 64 KiB")]
    PayloadTooLarge,
    /// A page on an origin that is neither this shop nor one of `cors.allowed_origins`.
    #[error("events are taken from this shop's pages and the origins it allows, and this page's origin is neither")]
    OriginNotAllowed,
    /// The body is not one of the two shapes, or holds too many events.
    #[error("{}", .0.message)]
    Body(BodyError),
    /// The server could not run the function (it is not set up to take events).
    #[error("the server cannot take events: {0}")]
    Unavailable(String),
}

impl EventsError {
    pub fn code(&self) -> &str {
        match self {
            EventsError::SpoolFull => "spool_full",
            EventsError::LogUnavailable => "log_unavailable",
            EventsError::UnsupportedMediaType => "unsupported_media_type",
            EventsError::PayloadTooLarge => "payload_too_large",
            EventsError::OriginNotAllowed => "origin_not_allowed",
            EventsError::Body(e) => e.code.as_str(),
            EventsError::Unavailable(_) => "unavailable",
        }
    }

    /// The HTTP status it is answered with.
    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            EventsError::SpoolFull | EventsError::LogUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            EventsError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            EventsError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            EventsError::OriginNotAllowed => StatusCode::FORBIDDEN,
            EventsError::Body(_) => StatusCode::BAD_REQUEST,
            EventsError::Unavailable(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// How many seconds a client should wait before sending again, if it should.
    pub fn retry_after_secs(&self) -> Option<u32> {
        match self {
            EventsError::SpoolFull => Some(30),
            EventsError::LogUnavailable => Some(10),
            _ => None,
        }
    }
}

/// The contract's error body.
#[derive(Serialize, Deserialize)]
struct ErrorBody {
    code: String,
    message: String,
}

impl Serialize for EventsError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        ErrorBody { code: self.code().to_owned(), message: self.to_string() }.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for EventsError {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let ErrorBody { code, message } = ErrorBody::deserialize(deserializer)?;
        let body = |code| Ok(EventsError::Body(BodyError { code, message: message.clone() }));
        match code.as_str() {
            "spool_full" => Ok(EventsError::SpoolFull),
            "log_unavailable" => Ok(EventsError::LogUnavailable),
            "unsupported_media_type" => Ok(EventsError::UnsupportedMediaType),
            "payload_too_large" => Ok(EventsError::PayloadTooLarge),
            "origin_not_allowed" => Ok(EventsError::OriginNotAllowed),
            "malformed_body" => body(RejectCode::MalformedBody),
            "too_many_events" => body(RejectCode::TooManyEvents),
            _ => Ok(EventsError::Unavailable(message)),
        }
    }
}

impl FromServerFnError for EventsError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        EventsError::Unavailable(value.to_string())
    }
}

/// The clickstream's work behind [`crate::events::ingest_events`]: judging a
/// request's events and logging them. The server implements it.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait Clickstream: Send + Sync + 'static {
    /// Judges one request to `/events`: its origin (this shop's pages, an origin
    /// the shop allows, or no browser page at all), whether events can be taken
    /// now (the spool is not at its limit and the log can be written), then each
    /// of `body`'s events. Logs what it accepted and refused (once each, duplicates
    /// dropped) and says what happened once the lines are written. Lines that could
    /// not be written are [`EventsError::LogUnavailable`]: then none
    /// of the events counts as taken, and sending them again is no duplicate.
    async fn ingest(
        &self,
        headers: &http::HeaderMap,
        body: Received,
        request: &crate::request::RequestContext,
    ) -> Result<jewelry::events::IngestReport, EventsError>;
}

/// The input encoding: the request's body as it is, JSON or `text/plain` (what
/// `navigator.sendBeacon` sends a string as), at most [`MAX_BODY_BYTES`].
pub struct RawEvents;

impl ContentType for RawEvents {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl Encoding for RawEvents {
    const METHOD: http::Method = http::Method::POST;
}

/// JSON, or `text/plain` as `navigator.sendBeacon` sends a string.
pub fn acceptable_content_type(value: Option<&str>) -> bool {
    let Some(value) = value else { return false };
    let essence = value.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/json") || essence.eq_ignore_ascii_case("text/plain")
}

/// On the server: the content type and the declared length are checked before the
/// body is read, and the read stops past [`MAX_BODY_BYTES`].
#[cfg(feature = "ssr")]
impl FromReq<RawEvents, leptos::server_fn::axum_export::extract::Request, EventsError> for IngestEvents {
    async fn from_req(request: leptos::server_fn::axum_export::extract::Request) -> Result<Self, EventsError> {
        let (parts, body) = request.into_parts();
        Ok(IngestEvents { body: receive(&parts.headers, body).await })
    }
}

/// A request's body as `/events` takes it: the content type and the declared
/// length checked before it is read, and the read stopped past [`MAX_BODY_BYTES`].
#[cfg(feature = "ssr")]
pub async fn receive(headers: &http::HeaderMap, body: leptos::server_fn::axum_export::body::Body) -> Received {
    use http::header::{CONTENT_LENGTH, CONTENT_TYPE};
    use leptos::server_fn::axum_export::body;
    if !acceptable_content_type(headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok())) {
        return Received::Refused(EventsError::UnsupportedMediaType);
    }
    let declared = headers.get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES) {
        return Received::Refused(EventsError::PayloadTooLarge);
    }
    match body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => Received::Body(bytes),
        Err(e) if is_length_limit(&e) => Received::Refused(EventsError::PayloadTooLarge),
        Err(_) => Received::Refused(EventsError::Body(BodyError {
            code: RejectCode::MalformedBody,
            message: "the body could not be read".into(),
        })),
    }
}

#[cfg(feature = "ssr")]
fn is_length_limit(e: &leptos::server_fn::axum_export::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if err.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = err.source();
    }
    false
}

/// In the browser build the function is never served (nor called: the tracker
/// posts with `fetch` and `sendBeacon`); server_fn requires a decoder for its
/// mock server's request all the same.
#[cfg(not(feature = "ssr"))]
impl<R> FromReq<RawEvents, R, EventsError> for IngestEvents
where
    R: leptos::server_fn::request::Req<EventsError> + Send + 'static,
{
    async fn from_req(request: R) -> Result<Self, EventsError> {
        if !acceptable_content_type(request.to_content_type().as_deref()) {
            return Ok(IngestEvents { body: Received::Refused(EventsError::UnsupportedMediaType) });
        }
        let bytes = request.try_into_bytes().await?;
        let body = match bytes.len() > MAX_BODY_BYTES {
            true => Received::Refused(EventsError::PayloadTooLarge),
            false => Received::Body(bytes),
        };
        Ok(IngestEvents { body })
    }
}

/// How a Rust client calls the function: the body as it is, as JSON (the tracker
/// sends the same bodies itself).
impl<R: ClientReq<EventsError>> IntoReq<RawEvents, R, EventsError> for IngestEvents {
    fn into_req(self, path: &str, accepts: &str) -> Result<R, EventsError> {
        match self.body {
            Received::Body(bytes) => R::try_new_post_bytes(path, RawEvents::CONTENT_TYPE, accepts, bytes),
            Received::Refused(e) => Err(e),
        }
    }
}

/// Takes a batch of clickstream events: each is judged on its own, accepted ones
/// are logged once each (duplicates by `eventId` dropped) before the answer, and
/// the answer says which were refused and why (`docs/events.md`).
#[server(prefix = "", endpoint = "events", input = RawEvents, output = Json, input_derive = (Clone,))]
pub async fn ingest_events(body: Received) -> Result<IngestReport, EventsError> {
    let outcome = judge(body).await;
    answer(&outcome);
    outcome
}

#[cfg(feature = "ssr")]
async fn judge(body: Received) -> Result<IngestReport, EventsError> {
    let clickstream = use_context::<std::sync::Arc<dyn Clickstream>>()
        .ok_or_else(|| EventsError::Unavailable("no clickstream is set up".into()))?;
    let headers = leptos::reactive::owner::with_context::<http::request::Parts, _>(|parts| parts.headers.clone())
        .unwrap_or_default();
    clickstream.ingest(&headers, body, &crate::backend::request_context()).await
}

/// The status of an answer, and its `Retry-After` in seconds if it has one.
pub fn answer_status(outcome: &Result<IngestReport, EventsError>) -> (http::StatusCode, Option<u32>) {
    match outcome {
        Ok(report) => {
            (http::StatusCode::from_u16(report.status_code()).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR), None)
        }
        Err(e) => (e.status(), e.retry_after_secs()),
    }
}

/// The answer's status and `Retry-After`, [`answer_status`]'s, when the function
/// is served as a server function (the server's `/events` route sets the same
/// from it).
#[cfg(feature = "ssr")]
fn answer(outcome: &Result<IngestReport, EventsError>) {
    let Some(response) = use_context::<leptos_axum::ResponseOptions>() else { return };
    let (status, retry_after) = answer_status(outcome);
    response.set_status(status);
    if let Some(secs) = retry_after {
        response.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from(secs));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_error() -> Vec<EventsError> {
        vec![
            EventsError::SpoolFull,
            EventsError::LogUnavailable,
            EventsError::UnsupportedMediaType,
            EventsError::PayloadTooLarge,
            EventsError::Body(BodyError { code: RejectCode::MalformedBody, message: "not JSON".into() }),
            EventsError::Body(BodyError { code: RejectCode::TooManyEvents, message: "51 events".into() }),
            EventsError::Unavailable("no clickstream".into()),
        ]
    }

    #[test]
    fn errors_serialise_to_the_contract_s_code_and_message_and_back() {
        for error in every_error() {
            let json = serde_json::to_value(&error).unwrap();
            assert_eq!(json, serde_json::json!({"code": error.code(), "message": error.to_string()}));
            assert_eq!(serde_json::from_value::<EventsError>(json).unwrap().code(), error.code());
        }
        let body = EventsError::Body(BodyError { code: RejectCode::MalformedBody, message: "not JSON".into() });
        assert_eq!(serde_json::to_value(&body).unwrap()["message"], "not JSON");
    }

    #[test]
    fn each_error_has_the_contract_s_status() {
        let statuses: Vec<(String, u16)> =
            every_error().iter().map(|e| (e.code().to_owned(), e.status().as_u16())).collect();
        let expected = [
            ("spool_full", 503),
            ("log_unavailable", 503),
            ("unsupported_media_type", 415),
            ("payload_too_large", 413),
            ("malformed_body", 400),
            ("too_many_events", 400),
            ("unavailable", 500),
        ];
        assert_eq!(statuses, expected.map(|(c, s)| (c.to_owned(), s)));
        assert_eq!(EventsError::SpoolFull.retry_after_secs(), Some(30));
        assert_eq!(EventsError::LogUnavailable.retry_after_secs(), Some(10));
        assert_eq!(EventsError::PayloadTooLarge.retry_after_secs(), None);
    }

    #[test]
    fn json_and_beacon_text_are_the_content_types_taken() {
        for ok in ["application/json", "application/json; charset=utf-8", "text/plain;charset=UTF-8", "Text/Plain"] {
            assert!(acceptable_content_type(Some(ok)), "{ok}");
        }
        for refused in [None, Some("application/xml"), Some("multipart/form-data"), Some("")] {
            assert!(!acceptable_content_type(refused), "{refused:?}");
        }
    }

    #[test]
    fn the_path_is_the_contract_s() {
        assert_eq!(EVENTS_PATH, "/events");
    }
}
