//! `GET /health`: whether this instance can serve, for load balancers and
//! orchestrators.

use crate::db::Database;
use crate::logs::LogSink;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use std::time::Duration;

/// Ready to serve: the database answers and every log output takes lines
/// (`{"status": "ok"}`); otherwise 503 saying what is wrong, the log's failing
/// outputs by name.
pub async fn health(State(pool): State<Database>, State(logs): State<LogSink>) -> impl IntoResponse {
    let database = tokio::time::timeout(Duration::from_secs(2), sqlx::query("SELECT 1").execute(&pool)).await;
    let failing = logs.failing_outputs();
    match (database, failing.is_empty()) {
        (Ok(Ok(_)), true) => (StatusCode::OK, axum::Json(serde_json::json!({"status": "ok"}))),
        (Ok(Ok(_)), false) => (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(serde_json::json!({"status": "log unavailable", "failingLogOutputs": failing})),
        ),
        _ => (StatusCode::SERVICE_UNAVAILABLE, axum::Json(serde_json::json!({"status": "database unavailable"}))),
    }
}
