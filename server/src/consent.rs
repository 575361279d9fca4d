//! The shopper's consent to analytics ([`jewelry::consent`]), on the server: which
//! banner a page shows, the record of every choice, and the count of pages served
//! that needs no consent.
//!
//! - [`pages`], a layer on the page routes, outside the page cache: it puts the
//!   page's [`Banner`] on the request (none once a choice is recorded; one asking;
//!   or, for a browser sending `Sec-GPC: 1`, one saying that counts as a refusal),
//!   so a kept page is kept per banner, three at most per address. A browser's
//!   Global Privacy Control is recorded as its refusal the first time it is seen,
//!   and the cookie set, so the banner says why once. Every storefront page served
//!   to a shopper (not a bot) is counted for the insights page, naming no one.
//! - [`record`], `POST /consent`, the banner's and the privacy page's form: one
//!   `consent` log line per choice (the record the law asks for), the choice kept in
//!   the cookie, and back to the page (303), or `204` for the page's script.

use crate::ingest::is_bot;
use crate::insights::Insights;
use crate::logs::LogSink;
use crate::logs::lines::{ConsentLine, SourceIp};
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_TYPE, LOCATION, SET_COOKIE, USER_AGENT};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use cookie::{Cookie, SameSite};
use jewelry::consent::{Banner, COOKIE, Choice, GPC_HEADER, NOTICE_VERSION, REMEMBER_DAYS, Source};
use jewelry_app::request::RequestContext;
use serde::Deserialize;
use std::sync::Arc;

pub struct Consent {
    pub db: crate::db::Database,
    pub logs: LogSink,
    pub insights: Arc<Insights>,
    pub source_ip: SourceIp,
    pub secure_cookies: bool,
}

impl Consent {
    /// The cookie keeping `choice` for the current notice. Readable by the page's
    /// script, which decides from it whether to send anything.
    fn remember(&self, choice: Choice) -> HeaderValue {
        let cookie = Cookie::build((COOKIE, jewelry::consent::cookie_value(choice)))
            .path("/")
            .http_only(false)
            .same_site(SameSite::Lax)
            .secure(self.secure_cookies)
            .max_age(cookie::time::Duration::days(REMEMBER_DAYS))
            .build();
        HeaderValue::from_str(&cookie.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
    }

    /// Logs the choice and, for a signed-in shopper, keeps it for the download of
    /// their data (a failure there is said, and the log line stands as the record).
    async fn record(&self, choice: Choice, source: Source, ids: Ids, path: &str, request: &RequestContext) {
        if let Some(user) = request.identity.user_id() {
            let client_id = ids.client_id.as_deref().filter(|_| choice == Choice::Accepted);
            if let Err(e) = crate::account::record_consent(&self.db, user, choice, source, client_id).await {
                tracing::warn!(error = %e, "a signed-in shopper's consent choice is logged but not kept for their data's download");
            }
        }
        self.logs.emit(&ConsentLine {
            choice,
            notice_version: NOTICE_VERSION,
            source,
            // An id exists only once the shopper accepted.
            client_id: ids.client_id.filter(|_| choice == Choice::Accepted),
            session_id: ids.session_id.filter(|_| choice == Choice::Accepted),
            user_id: request.identity.user_id(),
            path,
            user_agent: request.user_agent.as_deref(),
            source_ip: self.source_ip.of(request),
            request_id: &request.request_id,
        });
    }
}

#[derive(Default)]
struct Ids {
    client_id: Option<String>,
    session_id: Option<String>,
}

/// The browser sends Global Privacy Control.
pub fn sends_gpc(headers: &HeaderMap) -> bool {
    headers.get(GPC_HEADER).is_some_and(|v| jewelry::consent::is_gpc(v.as_bytes()))
}

/// The consent cookie's value, found without parsing every cookie (this runs on
/// every page, kept ones included).
fn consent_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(jewelry::consent::in_cookies)
}

/// On a response that the insights counted as a storefront page served to a
/// shopper: its `request` line carries `pageServed: true`.
#[derive(Clone, Copy, Debug)]
pub struct PageServed;

/// The layer on the page routes (see the module's notes).
pub async fn pages(State(consent): State<Arc<Consent>>, mut request: Request, next: Next) -> Response {
    if request.method() != Method::GET {
        return next.run(request).await;
    }
    // Admin pages are not the shop's traffic: nothing is tracked there to ask about.
    let shop_page = jewelry::events::is_shop_page(request.uri().path());
    let banner = match shop_page {
        true => Banner::of(consent_cookie(request.headers()), sends_gpc(request.headers())),
        false => Banner::None,
    };
    request.extensions_mut().insert(banner);
    let user_agent = request.headers().get(USER_AGENT).cloned();
    // Only a browser's first page under Global Privacy Control is logged from here.
    let gpc = (banner == Banner::Gpc)
        .then(|| request.extensions().get::<RequestContext>().cloned().map(|c| (c, request.uri().path().to_owned())))
        .flatten();
    let mut response = next.run(request).await;
    let page = response.status() == StatusCode::OK
        && response.headers().get(CONTENT_TYPE).is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    if !(page && shop_page) || is_bot(user_agent.as_ref().and_then(|v| v.to_str().ok())) {
        return response;
    }
    consent.insights.count_page();
    // Its request line says so, so the pages served can be counted again from the log.
    response.extensions_mut().insert(PageServed);
    if let Some((context, path)) = gpc {
        consent.record(Choice::Refused, Source::Gpc, Ids::default(), &path, &context).await;
        response.headers_mut().append(SET_COOKIE, consent.remember(Choice::Refused));
    }
    response
}

/// The banner's and the privacy page's form.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConsentForm {
    choice: String,
    source: String,
    #[serde(rename = "return_to")]
    return_to: Option<String>,
    client_id: Option<String>,
    session_id: Option<String>,
    /// Sent by the page's script, which wants no page back: answered `204`.
    js: Option<String>,
}

fn invalid(message: String) -> Response {
    crate::refusal::refusal(StatusCode::BAD_REQUEST, "invalid_field", message)
}

/// A browser id as the tracker makes them (a UUID), or nothing; the refusal's
/// message when it is something else.
fn id(value: Option<String>, field: &str) -> Result<Option<String>, String> {
    match value.filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => match uuid::Uuid::try_parse(&v) {
            Ok(id) => Ok(Some(id.hyphenated().to_string())),
            Err(_) => Err(format!("`{field}` must be a hyphenated UUID")),
        },
    }
}

/// `POST /consent`.
pub async fn record(
    State(consent): State<Arc<Consent>>,
    Extension(request): Extension<RequestContext>,
    form: Result<Form<ConsentForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let form = match form {
        Ok(Form(form)) => form,
        Err(rejection) => return invalid(format!("the form is not a consent choice: {}", rejection.body_text())),
    };
    let Some(choice) = Choice::parse(&form.choice) else {
        return invalid("`choice` must be accepted, refused or withdrawn".into());
    };
    let source = match Source::parse(&form.source) {
        Some(Source::Gpc) if choice != Choice::Refused => {
            return invalid("Global Privacy Control (`source` gpc) is only ever a refusal".into());
        }
        Some(source) => source,
        None => return invalid("`source` must be banner, privacy_page or gpc".into()),
    };
    let ids = match (id(form.client_id, "clientId"), id(form.session_id, "sessionId")) {
        (Ok(client_id), Ok(session_id)) => Ids { client_id, session_id },
        (Err(message), _) | (_, Err(message)) => return invalid(message),
    };
    let to = jewelry::identity::safe_return_to(form.return_to.as_deref());
    let page = to.split(['?', '#']).next().unwrap_or("/");
    consent.record(choice, source, ids, page, &request).await;
    let cookie = consent.remember(choice);
    if form.js.is_some() {
        return (StatusCode::NO_CONTENT, [(SET_COOKIE, cookie)]).into_response();
    }
    let mut response = (StatusCode::SEE_OTHER, [(SET_COOKIE, cookie)]).into_response();
    if let Ok(location) = HeaderValue::from_str(&to) {
        response.headers_mut().insert(LOCATION, location);
    }
    response
}
