//! The answer to a refused request outside the server functions and `/events`
//! (which have their own): its status and `{"code": ..., "message": ...}`, a stable
//! snake_case code for programs and a sentence for people.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

pub fn refusal(status: StatusCode, code: &'static str, message: impl Into<String>) -> Response {
    let message: String = message.into();
    (status, axum::Json(serde_json::json!({ "code": code, "message": message }))).into_response()
}
