//! The server functions as HTTP sees them, with two rules a function's own body
//! cannot keep, because it runs only once its arguments are decoded:
//! - an admin's function (`/api/admin/...`) refuses a guest with 401 and a shopper
//!   with 403, whatever the body holds, before anything reads it;
//! - an error is answered with the status its [`ShopError`] names. server_fn
//!   answers every error with 500, arguments it could not decode included; a
//!   status the function set itself, and a plain form's redirect, are kept.

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use jewelry_app::api::ShopError;
use jewelry_app::services::RequestContext;
use leptos::server_fn::ContentType;
use leptos::server_fn::error::{FromServerFnError, SERVER_FN_ERROR_HEADER};

const ADMIN_FUNCTIONS: &str = "/api/admin/";
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
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BODY).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(error) = serde_json::from_slice::<ShopError>(&bytes) {
        parts.status = error.status();
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// An error answered as server_fn answers one, so the app's client decodes it.
fn error_response(path: &str, error: &ShopError) -> Response {
    let body = serde_json::to_vec(error).unwrap_or_default();
    let mut response = (error.status(), body).into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(<ShopError as FromServerFnError>::Encoder::CONTENT_TYPE));
    if let Ok(path) = HeaderValue::from_str(path) {
        headers.insert(SERVER_FN_ERROR_HEADER, path);
    }
    response
}
