//! A signed-in shopper's own data, as the data-protection law gives them the right
//! to: `GET /account/data` downloads it as JSON (the account, every order with its
//! delivery details, the consent choices made while signed in), and
//! `POST /account/delete` deletes the account.
//!
//! Deleting keeps the orders, which the books need, with the name, email, phone and
//! address erased and the link to the account cut; it deletes the cart, the consent
//! records and the account itself (the development provider's row, or the user in
//! the Cognito pool), then signs the shopper out. The insights keep their counts and
//! totals, which name no one. Both are logged as `crud` lines of the `account`
//! entity, with the account's `sub` and nothing personal. The log's earlier lines
//! (which carry the `sub`, never a name or an address) go with the log's retention.

use crate::auth::{Auth, Provider};
use crate::db::Database;
use crate::logs::lines::{CrudAction, CrudLine, Entity};
use crate::logs::{LogSink, rfc3339_millis};
use crate::refusal::refusal as refuse;
use crate::shop::{ORDER_COLUMNS, OrderRow, order_lines};
use crate::state::AppState;
use axum::extract::rejection::FormRejection;
use axum::extract::{FromRef, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, LOCATION, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use jewelry::Currency;
use jewelry::identity::User;
use jewelry_app::i18n::PageLanguage;
use jewelry_app::request::RequestContext;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use time::OffsetDateTime;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Export {
    exported_at: String,
    shop: &'static str,
    account: Account,
    orders: Vec<Order>,
    consent_records: Vec<ConsentRecord>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Account {
    user_id: String,
    username: String,
    email: Option<String>,
    groups: Vec<String>,
    identity_provider: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Order {
    order_id: String,
    placed_at: String,
    status: String,
    email: String,
    full_name: String,
    phone: String,
    address_line1: String,
    address_line2: Option<String>,
    city: String,
    region: Option<String>,
    postal_code: String,
    country: String,
    payment_method: String,
    /// Amounts in the currency's units (đồng, dollars).
    currency: String,
    subtotal: f64,
    shipping: f64,
    total: f64,
    lines: Vec<OrderLine>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OrderLine {
    product_id: String,
    variant_id: Option<String>,
    sku: Option<String>,
    /// As the order's page said them; empty without options.
    options: String,
    name: String,
    brand: String,
    quantity: i64,
    unit_price: f64,
    line_total: f64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ConsentRecord {
    at: String,
    choice: String,
    source: String,
    notice_version: String,
    client_id: Option<String>,
}

fn unavailable() -> Response {
    refuse(StatusCode::SERVICE_UNAVAILABLE, "unavailable", "the shop cannot do this right now; try again in a moment")
}

fn sign_in_required() -> Response {
    refuse(StatusCode::UNAUTHORIZED, "sign_in_required", "sign in to see or delete your data")
}

/// An amount stored in minor units, in `currency`'s units.
fn units(minor: i64, currency: &str) -> f64 {
    let currency = Currency::parse(currency).unwrap_or(Currency::Vnd);
    jewelry::Money::from_minor(minor).as_units(currency)
}

/// `GET /account/data`: everything the shop keeps of the signed-in shopper, as a
/// JSON file to save.
pub async fn download(State(state): State<AppState>, Extension(request): Extension<RequestContext>) -> Response {
    let Some(user) = request.identity.user() else { return sign_in_required() };
    let db = Database::from_ref(&state);
    let export = match gather(&db, user).await {
        Ok(export) => export,
        Err(e) => {
            tracing::error!(error = %e, "reading a shopper's data for its download failed");
            return unavailable();
        }
    };
    let Ok(json) = serde_json::to_vec_pretty(&export) else { return unavailable() };
    LogSink::from_ref(&state).emit(&CrudLine::new(Entity::Account, CrudAction::Export, &user.sub, None, &request));
    let day = export.exported_at.get(..10).unwrap_or("data");
    let disposition = format!("attachment; filename=\"lumen-jewelry-my-data-{day}.json\"");
    let mut response = (StatusCode::OK, json).into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(CONTENT_DISPOSITION, value);
    }
    response
}

async fn gather(db: &Database, user: &User) -> Result<Export, sqlx::Error> {
    let rows: Vec<OrderRow> =
        sqlx::query_as(&format!("SELECT {ORDER_COLUMNS} FROM orders WHERE user_id = $1 ORDER BY created_at"))
            .bind(&user.sub)
            .fetch_all(db)
            .await?;
    let mut orders = Vec::with_capacity(rows.len());
    for row in rows {
        let lines = order_lines(db, &row.id).await?;
        let currency = row.currency;
        orders.push(Order {
            lines: lines
                .into_iter()
                .map(|l| OrderLine {
                    product_id: l.product_id,
                    variant_id: l.variant_id,
                    sku: l.sku,
                    options: l.options,
                    name: l.name,
                    brand: l.brand,
                    quantity: l.quantity,
                    unit_price: units(l.unit_price_cents, &currency),
                    line_total: units(l.line_total_cents, &currency),
                })
                .collect(),
            order_id: row.id,
            placed_at: row.created_at,
            status: row.status,
            email: row.email,
            full_name: row.full_name,
            phone: row.phone,
            address_line1: row.address_line1,
            address_line2: row.address_line2,
            city: row.city,
            region: row.region,
            postal_code: row.postal_code,
            country: row.country,
            payment_method: row.payment_method,
            subtotal: units(row.subtotal_cents, &currency),
            shipping: units(row.shipping_cents, &currency),
            total: units(row.total_cents, &currency),
            currency,
        });
    }
    let consent_records = sqlx::query_as::<_, (String, String, String, String, Option<String>)>(
        "SELECT at, choice, source, notice_version, client_id FROM consent_records WHERE user_id = $1 ORDER BY at",
    )
    .bind(&user.sub)
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|(at, choice, source, notice_version, client_id)| ConsentRecord {
        at,
        choice,
        source,
        notice_version,
        client_id,
    })
    .collect();
    Ok(Export {
        exported_at: rfc3339_millis(OffsetDateTime::now_utc()),
        shop: jewelry_app::SHOP_NAME,
        account: Account {
            user_id: user.sub.clone(),
            username: user.username.clone(),
            email: user.email.clone(),
            groups: user.groups.clone(),
            identity_provider: user.source.as_str(),
        },
        orders,
        consent_records,
    })
}

/// The account page's deletion form: the shopper ticked that they understand.
#[derive(Deserialize)]
pub struct DeleteForm {
    confirm: Option<String>,
}

/// `POST /account/delete`.
pub async fn delete(
    State(state): State<AppState>,
    Extension(request): Extension<RequestContext>,
    Extension(language): Extension<PageLanguage>,
    form: Result<Form<DeleteForm>, FormRejection>,
) -> Response {
    let Some(user) = request.identity.user() else { return sign_in_required() };
    if !matches!(form, Ok(Form(DeleteForm { confirm: Some(ref c) })) if c == "yes") {
        return refuse(
            StatusCode::BAD_REQUEST,
            "invalid_field",
            "`confirm` must be `yes`: tick that you understand the account is deleted for good",
        );
    }
    let auth = Arc::<Auth>::from_ref(&state);
    let db = Database::from_ref(&state);
    // The shop's records first: if the identity provider then fails, the shopper
    // can still sign in to an emptied account and try again.
    if let Err(e) = erase(&db, user, matches!(auth.provider(), Provider::Dev(_))).await {
        tracing::error!(error = %e, "deleting a shopper's account failed");
        return unavailable();
    }
    if let Provider::Cognito(cognito) = auth.provider()
        && let Err(e) = cognito.delete_user(&user.username).await
    {
        tracing::error!(
            error = format!("{e:#}"),
            "the shop's records of an account are erased, its Cognito user is not"
        );
        return unavailable();
    }
    LogSink::from_ref(&state).emit(&CrudLine::new(Entity::Account, CrudAction::Delete, &user.sub, None, &request));
    // Signed out, then home (through the provider's sign-out for Cognito).
    let to = match auth.provider() {
        Provider::Dev(_) => language.locales.path(language.locale, "/?account=deleted"),
        Provider::Cognito(cognito) => cognito.logout_url(),
    };
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(location) = HeaderValue::from_str(&to) {
        response.headers_mut().insert(LOCATION, location);
    }
    response.headers_mut().append(SET_COOKIE, auth.id_cookie(None, 0));
    response
}

/// Erases `user`'s personal details from their orders (kept for the books) and
/// their orders' emails, deletes their cart and consent records and, for the development provider, the
/// account: one transaction.
async fn erase(db: &Database, user: &User, dev_account: bool) -> Result<(), sqlx::Error> {
    let now = rfc3339_millis(OffsetDateTime::now_utc());
    let mut tx = db.begin().await?;
    // Their emails, sent or waiting, hold the address and the order's details.
    sqlx::query("DELETE FROM email_outbox WHERE order_id IN (SELECT id FROM orders WHERE user_id = $1)")
        .bind(&user.sub)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "UPDATE orders SET email = '', full_name = '', phone = '', address_line1 = '', address_line2 = NULL, \
         city = '', region = NULL, postal_code = '', user_id = NULL, personal_data_erased_at = $2 \
         WHERE user_id = $1",
    )
    .bind(&user.sub)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM cart_items WHERE cart_id IN (SELECT id FROM carts WHERE user_id = $1)")
        .bind(&user.sub)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM carts WHERE user_id = $1").bind(&user.sub).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM consent_records WHERE user_id = $1").bind(&user.sub).execute(&mut *tx).await?;
    if dev_account {
        sqlx::query("DELETE FROM dev_users WHERE sub = $1").bind(&user.sub).execute(&mut *tx).await?;
    }
    tx.commit().await
}

/// Records a signed-in shopper's consent choice for their data's download.
pub async fn record_consent(
    db: &Database,
    user_id: &str,
    choice: jewelry::consent::Choice,
    source: jewelry::consent::Source,
    client_id: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO consent_records (user_id, at, choice, source, notice_version, client_id) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(user_id)
    .bind(rfc3339_millis(OffsetDateTime::now_utc()))
    .bind(choice.as_str())
    .bind(source.as_str())
    .bind(jewelry::consent::NOTICE_VERSION)
    .bind(client_id)
    .execute(db)
    .await
    .map(|_| ())
}
