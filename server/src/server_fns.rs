//! The server functions as HTTP sees them, with two rules a function's own body
//! cannot keep, because it runs only once its arguments are decoded:
//! - an admin's function (`/api/admin/...`) refuses a guest with 401 and a shopper
//!   with 403, whatever the body holds, before anything reads it;
//! - arguments are text of a bounded length: a body that is not UTF-8, or a
//!   value longer than [`MAX_ARGUMENT_CHARS`], is refused with 400
//!   `malformed_arguments` before the function decodes it (server_fn would call
//!   the first a transport failure, a 500, and would hand the second to SQL);
//! - an error is answered with the status its [`ShopError`] names. server_fn
//!   answers every error with 500, arguments it could not decode included; a
//!   status the function set itself, and a plain form's redirect, are kept.

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use jewelry_app::api::ShopError;
use jewelry_app::request::RequestContext;
use leptos::server_fn::ContentType;
use leptos::server_fn::error::{FromServerFnError, SERVER_FN_ERROR_HEADER};

const SERVER_FUNCTIONS: &str = "/api/";
const ADMIN_FUNCTIONS: &str = "/api/admin/";
/// The longest value any function takes is a product's description (4,000
/// characters); each function checks its own fields' limits within this one.
pub const MAX_ARGUMENT_CHARS: usize = 8_000;
/// An error's body is a serialised [`ShopError`]: a few hundred bytes.
const MAX_ERROR_BODY: usize = 64 * 1024;

pub async fn guard(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if path.starts_with(ADMIN_FUNCTIONS) {
        let identity = request.extensions().get::<RequestContext>().map(|c| &c.identity);
        let refusal = match identity {
            Some(identity) if identity.is_admin() => None,
            Some(identity) if identity.user_id().is_some() => Some(ShopError::Forbidden),
            _ => Some(ShopError::SignInRequired),
        };
        if let Some(error) = refusal {
            return error_response(path, &error);
        }
    }
    let request = if path.starts_with(SERVER_FUNCTIONS) && request.method() == Method::POST {
        match readable_arguments(request).await {
            Ok(request) => request,
            Err(refusal) => return refusal,
        }
    } else {
        request
    };
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BODY).await else {
        return error_response(&path, &ShopError::Unavailable);
    };
    if let Ok(error) = serde_json::from_slice::<ShopError>(&bytes) {
        parts.status = error.status();
        if let Some(secs) = error.retry_after_secs() {
            parts.headers.insert(RETRY_AFTER, HeaderValue::from(secs));
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

fn malformed(detail: impl Into<String>) -> ShopError {
    ShopError::BadRequest { code: "malformed_arguments".into(), detail: detail.into() }
}

/// The request with its body read, if the body is UTF-8 and no URL-encoded value
/// in it is longer than [`MAX_ARGUMENT_CHARS`]; else the answer.
async fn readable_arguments(request: Request) -> Result<Request, Response> {
    let (parts, body) = request.into_parts();
    // The body's length is bounded by the layer outside: a longer body fails here.
    let bytes =
        axum::body::to_bytes(body, usize::MAX).await.map_err(|_| StatusCode::PAYLOAD_TOO_LARGE.into_response())?;
    let refused = |detail: String| error_response(parts.uri.path(), &malformed(detail));
    if std::str::from_utf8(&bytes).is_err() {
        return Err(refused("the arguments are not UTF-8 text".into()));
    }
    let form = parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if form
        && let Some((name, _)) =
            url::form_urlencoded::parse(&bytes).find(|(_, value)| value.chars().nth(MAX_ARGUMENT_CHARS).is_some())
    {
        let name: String = name.chars().take(40).collect();
        return Err(refused(format!("{name} is longer than {MAX_ARGUMENT_CHARS} characters")));
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// An error answered as server_fn answers one, so the app's client decodes it.
fn error_response(path: &str, error: &ShopError) -> Response {
    let body = serde_json::to_vec(error).unwrap_or_default();
    let mut response = (error.status(), body).into_response();
    let headers = response.headers_mut();
    if let Some(secs) = error.retry_after_secs() {
        headers.insert(RETRY_AFTER, HeaderValue::from(secs));
    }
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(<ShopError as FromServerFnError>::Encoder::CONTENT_TYPE));
    if let Ok(path) = HeaderValue::from_str(path) {
        headers.insert(SERVER_FN_ERROR_HEADER, path);
    }
    response
}
