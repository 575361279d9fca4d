//! Order emails, sent exactly once as far as the shop can tell and at most once
//! more after a crash:
//! - [`Mailer::enqueue`] writes the whole email (recipient, subject, both bodies,
//!   its Message-ID) to the `email_outbox` table in the transaction of what it
//!   reports: an order placed, shipped, delivered or cancelled. No order without
//!   its email, no email for an order rolled back.
//! - A [`Sender`] in each instance claims due emails for a lease (on PostgreSQL
//!   with `FOR UPDATE SKIP LOCKED`, so two instances never claim one email),
//!   hands each to the transport, and marks it sent only once the transport
//!   accepted it; a failure is tried again with a growing wait.
//! - A crash after the transport accepted an email and before the mark leaves it
//!   claimed: once the lease runs out it is sent again, once, with the same
//!   Message-ID (mail clients show one message for one Message-ID; the file
//!   transport writes the same file again, so there is no duplicate at all).
//!
//! Logs name the outbox id, the kind and the transport, never an address or content.

pub mod compose;
pub mod transport;

use crate::db::Database;
use crate::logs::rfc3339_millis;
use crate::refusal::refusal;
use axum::Extension;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use compose::{EmailKind, EmailOrder};
use jewelry::{Currency, Locale, Locales, Money};
use jewelry_app::request::RequestContext;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use sqlx::{Any, FromRow, Transaction};
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;
use tokio::sync::Notify;
use transport::{Outgoing, SendFailure, Transport};

/// Where the file transport writes (`data_dir/mail`), when it is the one in use:
/// the admins' mail page links its files.
#[derive(Clone, Default)]
pub struct LocalMailbox(pub Option<Arc<std::path::PathBuf>>);

/// `GET /admin/mail/{file}`: one `.eml` file of the local mailbox, for admins
/// (401 without a sign-in, 403 without the `admin` group).
pub async fn eml_file(
    State(mailbox): State<LocalMailbox>,
    Extension(request): Extension<RequestContext>,
    Path(name): Path<String>,
) -> Response {
    use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
    use axum::http::{HeaderValue, StatusCode};
    if request.identity.user_id().is_none() {
        return refusal(StatusCode::UNAUTHORIZED, "sign_in_required", "sign in as an admin to read the shop's emails");
    }
    if !request.identity.is_admin() {
        return refusal(StatusCode::FORBIDDEN, "forbidden", "the shop's emails are for its administrators");
    }
    let not_found = || refusal(StatusCode::NOT_FOUND, "not_found", "no such email file");
    // A name the sender made: letters, digits, dashes and underscores, then `.eml`.
    let made_here = name.strip_suffix(".eml").is_some_and(|stem| {
        !stem.is_empty() && stem.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    });
    let (Some(dir), true) = (mailbox.0, made_here) else { return not_found() };
    match tokio::fs::read(dir.join(&name)).await {
        Ok(bytes) => {
            let mut response = (StatusCode::OK, bytes).into_response();
            let headers = response.headers_mut();
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("message/rfc822"));
            headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
            if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
                headers.insert(CONTENT_DISPOSITION, value);
            }
            response
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => not_found(),
        Err(e) => {
            tracing::error!(error = %e, "reading an email file failed");
            refusal(StatusCode::SERVICE_UNAVAILABLE, "unavailable", "the shop cannot read that file right now")
        }
    }
}

/// What the shop's storage needs to write emails: where the order pages are, and
/// the domain of the Message-IDs.
#[derive(Clone)]
pub struct Mailer {
    origin: Arc<str>,
    locales: Locales,
    domain: Arc<str>,
    /// Told of each email committed, so the sender goes at once.
    waiting: Arc<Notify>,
}

impl Mailer {
    /// `origin`: the shop's public address (`https://shop.example`); `from`: the
    /// sender's mailbox, whose domain the Message-IDs take.
    pub fn new(origin: &str, locales: Locales, from: &Mailbox) -> Mailer {
        Mailer {
            origin: Arc::from(origin.trim_end_matches('/')),
            locales,
            domain: Arc::from(from.email.domain()),
            waiting: Arc::new(Notify::new()),
        }
    }

    /// Writes the email of `kind` for `order_id` in `tx`, the transaction that
    /// placed or moved the order; once a kind per order. An order whose contact was
    /// erased gets none.
    pub async fn enqueue(
        &self,
        tx: &mut Transaction<'static, Any>,
        order_id: &str,
        kind: EmailKind,
    ) -> Result<(), sqlx::Error> {
        let (email, full_name, total_cents, currency, language): (String, String, i64, String, Option<String>) =
            sqlx::query_as("SELECT email, full_name, total_cents, currency, language FROM orders WHERE id = $1")
                .bind(order_id)
                .fetch_one(&mut **tx)
                .await?;
        if email.trim().is_empty() {
            return Ok(());
        }
        let lines: Vec<(String, String, i64, i64)> = sqlx::query_as(
            "SELECT name, options, quantity, line_total_cents FROM order_lines WHERE order_id = $1 ORDER BY line_no",
        )
        .bind(order_id)
        .fetch_all(&mut **tx)
        .await?;
        let shipment: Option<(String, String)> = sqlx::query_as(
            "SELECT carrier, tracking_number FROM order_status_history \
             WHERE order_id = $1 AND carrier IS NOT NULL AND tracking_number IS NOT NULL ORDER BY seq DESC LIMIT 1",
        )
        .bind(order_id)
        .fetch_optional(&mut **tx)
        .await?;
        let locale = language
            .as_deref()
            .and_then(Locale::parse)
            .filter(|l| self.locales.offered().contains(l))
            .unwrap_or(self.locales.default_locale());
        let order = EmailOrder {
            id: order_id.to_owned(),
            full_name,
            total: Money::from_minor(total_cents),
            currency: Currency::parse(&currency).unwrap_or_default(),
            lines: lines.into_iter().map(|(n, o, q, t)| (n, o, q, Money::from_minor(t))).collect(),
            shipment,
            link: format!("{}{}", self.origin, self.locales.path(locale, &format!("/orders/{order_id}"))),
        };
        let composed = compose::compose(kind, &order, locale);
        let id = uuid::Uuid::new_v4().to_string();
        let now = rfc3339_millis(OffsetDateTime::now_utc());
        sqlx::query(
            "INSERT INTO email_outbox (id, order_id, kind, recipient, subject, text_body, html_body, message_id, \
             created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
             ON CONFLICT (order_id, kind) DO NOTHING",
        )
        .bind(&id)
        .bind(order_id)
        .bind(kind.as_str())
        .bind(email.trim())
        .bind(&composed.subject)
        .bind(&composed.text)
        .bind(&composed.html)
        .bind(format!("{id}@{}", self.domain))
        .bind(&now)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// An email was committed: the sender goes now rather than at its next look.
    pub fn committed(&self) {
        self.waiting.notify_one();
    }
}

/// An email as the sender claimed it.
#[derive(FromRow)]
struct Claimed {
    id: String,
    order_id: String,
    kind: String,
    recipient: String,
    subject: String,
    text_body: String,
    html_body: String,
    message_id: String,
    created_at: String,
    attempts: i64,
}

/// How many emails one round claims.
const BATCH: i64 = 10;
/// How often the sender looks for due emails when nobody told it of one.
const LOOK_EVERY: Duration = Duration::from_secs(1);
/// The longest wait before another try.
const MAX_BACKOFF: Duration = Duration::from_secs(300);

/// Delivers the outbox's emails: one per instance.
pub struct Sender {
    db: Database,
    transport: Box<dyn Transport>,
    from: Mailbox,
    lease: Duration,
    /// This instance, as `claimed_by` names it.
    instance: String,
    waiting: Arc<Notify>,
}

impl Sender {
    pub fn new(db: Database, transport: Box<dyn Transport>, from: Mailbox, lease: Duration, mailer: &Mailer) -> Self {
        Sender {
            db,
            transport,
            from,
            lease,
            instance: uuid::Uuid::new_v4().to_string(),
            waiting: mailer.waiting.clone(),
        }
    }

    /// Sends until the process ends.
    pub async fn run(self) {
        let postgres = match self.db.acquire().await {
            Ok(conn) => conn.backend_name().eq_ignore_ascii_case("postgresql"),
            Err(_) => self.db.pool().connect_options().database_url.scheme().starts_with("postgres"),
        };
        loop {
            match self.round(postgres).await {
                Ok(claimed) if claimed > 0 => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "the email sender could not read the outbox"),
            }
            let _ = tokio::time::timeout(LOOK_EVERY, self.waiting.notified()).await;
        }
    }

    /// Claims the due emails and sends each; answers how many it claimed.
    async fn round(&self, postgres: bool) -> Result<usize, sqlx::Error> {
        let now = OffsetDateTime::now_utc();
        let until = now + self.lease;
        // On PostgreSQL another instance's claim in flight is skipped, not waited
        // for; SQLite has one writer at a time.
        let lock = if postgres { " FOR UPDATE SKIP LOCKED" } else { "" };
        let claimed: Vec<Claimed> = sqlx::query_as(&format!(
            "UPDATE email_outbox SET claimed_by = $1, claimed_until = $2, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM email_outbox WHERE sent_at IS NULL AND failed_at IS NULL \
             AND next_attempt_at <= $3 AND (claimed_until IS NULL OR claimed_until < $3) \
             ORDER BY created_at LIMIT {BATCH}{lock}) \
             RETURNING id, order_id, kind, recipient, subject, text_body, html_body, message_id, created_at, attempts"
        ))
        .bind(&self.instance)
        .bind(rfc3339_millis(until))
        .bind(rfc3339_millis(now))
        .fetch_all(self.db.pool())
        .await?;
        let count = claimed.len();
        for email in claimed {
            self.deliver(email).await?;
        }
        Ok(count)
    }

    async fn deliver(&self, email: Claimed) -> Result<(), sqlx::Error> {
        let outcome = match self.message(&email) {
            Ok(outgoing) => self.transport.send(&outgoing).await,
            Err(failure) => Err(failure),
        };
        let now = OffsetDateTime::now_utc();
        match outcome {
            Ok(provider_id) => {
                sqlx::query(
                    "UPDATE email_outbox SET sent_at = $1, provider_id = $2, claimed_by = NULL, claimed_until = NULL, \
                     last_error = NULL WHERE id = $3",
                )
                .bind(rfc3339_millis(now))
                .bind(&provider_id)
                .bind(&email.id)
                .execute(self.db.pool())
                .await?;
                metrics::counter!("jewelry_emails_sent_total", "kind" => email.kind.clone()).increment(1);
                tracing::info!(
                    outbox_id = %email.id, kind = %email.kind, transport = self.transport.name(),
                    attempt = email.attempts, "email sent"
                );
            }
            Err(SendFailure { reason, permanent: true }) => {
                sqlx::query(
                    "UPDATE email_outbox SET failed_at = $1, last_error = $2, claimed_by = NULL, claimed_until = NULL \
                     WHERE id = $3",
                )
                .bind(rfc3339_millis(now))
                .bind(&reason)
                .bind(&email.id)
                .execute(self.db.pool())
                .await?;
                metrics::counter!("jewelry_email_failures_total", "kind" => email.kind.clone()).increment(1);
                tracing::error!(
                    outbox_id = %email.id, kind = %email.kind, transport = self.transport.name(), reason = %reason,
                    "an email was refused for good and will not be tried again"
                );
            }
            Err(SendFailure { reason, permanent: false }) => {
                let wait = backoff(email.attempts);
                sqlx::query(
                    "UPDATE email_outbox SET next_attempt_at = $1, last_error = $2, claimed_by = NULL, \
                     claimed_until = NULL WHERE id = $3",
                )
                .bind(rfc3339_millis(now + wait))
                .bind(&reason)
                .bind(&email.id)
                .execute(self.db.pool())
                .await?;
                metrics::counter!("jewelry_email_failures_total", "kind" => email.kind.clone()).increment(1);
                tracing::warn!(
                    outbox_id = %email.id, kind = %email.kind, transport = self.transport.name(), reason = %reason,
                    attempt = email.attempts, retry_in_secs = wait.as_secs(), "an email was not sent; it will be tried again"
                );
            }
        }
        Ok(())
    }

    /// The MIME message: the same bytes, Date and Message-ID included, each time.
    fn message<'e>(&self, email: &'e Claimed) -> Result<Outgoing<'e>, SendFailure> {
        let refused = |what: &str| SendFailure { reason: format!("the {what} is not usable"), permanent: true };
        let to: Mailbox = email.recipient.parse().map_err(|_| refused("recipient's address"))?;
        let created = OffsetDateTime::parse(&email.created_at, &time::format_description::well_known::Rfc3339)
            .unwrap_or_else(|_| OffsetDateTime::now_utc());
        let message = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(email.subject.clone())
            .message_id(Some(format!("<{}>", email.message_id)))
            .date(created.into())
            // A boundary of its own id, so each delivery is the same bytes.
            .multipart(
                MultiPart::alternative()
                    .boundary(format!("=_{}", email.id.replace('-', "")))
                    .singlepart(SinglePart::plain(email.text_body.clone()))
                    .singlepart(SinglePart::html(email.html_body.clone())),
            )
            .map_err(|_| refused("message"))?;
        let stamp: String = email.created_at.chars().filter(char::is_ascii_digit).take(14).collect();
        Ok(Outgoing {
            id: &email.id,
            file_name: format!("{stamp}-{}-{}.eml", email.order_id, email.kind),
            envelope: message.envelope().clone(),
            raw: message.formatted(),
        })
    }
}

/// The wait before try `attempts + 1`: 2, 4, 8 ... seconds, at most [`MAX_BACKOFF`].
fn backoff(attempts: i64) -> Duration {
    let exponent = u32::try_from(attempts.clamp(1, 16)).unwrap_or(16);
    Duration::from_secs(1 << exponent).min(MAX_BACKOFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tries_again_sooner_then_later_but_never_more_than_five_minutes_apart() {
        assert_eq!(backoff(1), Duration::from_secs(2));
        assert_eq!(backoff(2), Duration::from_secs(4));
        assert_eq!(backoff(8), Duration::from_secs(256));
        assert_eq!(backoff(9), MAX_BACKOFF);
        assert_eq!(backoff(1_000), MAX_BACKOFF);
    }
}
