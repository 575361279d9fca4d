//! Sign-in and identity: token verification shared by both providers, the
//! development identity provider, and Cognito's hosted UI (authorization code
//! with PKCE).
//!
//! The token travels in an HttpOnly, SameSite=Lax cookie (Secure when the site is
//! served over HTTPS) set after sign-in, or as `Authorization: Bearer` from API
//! clients. Either way the same [`verify::Verifier`] decides who the request is.

pub mod cognito;
pub mod dev_idp;
pub mod limits;
pub mod verify;

use crate::config::{AuthSettings, Settings};
use crate::db::Database;
use crate::logs::LogSink;
use crate::logs::lines::{AuthAction, AuthLine};
use crate::shop::SqlShop;
use axum::extract::{Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use axum_extra::extract::CookieJar;
use axum_extra::headers::HeaderMapExt;
use axum_extra::headers::authorization::{Authorization, Bearer};
use cookie::{Cookie, SameSite};
use dev_idp::DevIdp;
use jewelry::identity::{Identity, User, safe_return_to};
use jewelry_app::backend::CART_COOKIE;
use jewelry_app::i18n::PageLanguage;
use jewelry_app::request::{CartId, RequestContext};
use serde::Deserialize;
use std::sync::Arc;
use verify::{Keys, Rejection, Verifier};

/// The cookie holding the signed-in user's id token.
pub const ID_COOKIE: &str = "jw_id";

pub enum Provider {
    Dev(DevIdp),
    Cognito(cognito::Cognito),
}

/// The site's stylesheet's address (its name carries a content hash), for the
/// pages answered here rather than by the app.
#[derive(Clone)]
pub struct Stylesheet(pub Arc<str>);

pub struct Auth {
    verifier: Verifier,
    provider: Provider,
    /// How often the development provider's form may be tried.
    limits: Arc<limits::SignInLimits>,
    secure_cookies: bool,
    logs: LogSink,
    shop: Arc<SqlShop>,
}

/// What the request layer learned from the request's credentials.
pub struct Identified {
    pub identity: Identity,
    /// The token was refused, and why.
    pub rejected: Option<Rejection>,
    /// The refused token came from the cookie, which should then be cleared.
    pub clear_cookie: bool,
}

impl Auth {
    pub async fn build(settings: &Settings, pool: Database, logs: LogSink, shop: Arc<SqlShop>) -> anyhow::Result<Auth> {
        let (verifier, provider) = match &settings.auth {
            AuthSettings::Dev => {
                let idp = DevIdp::open(&settings.data_dir, pool).await?;
                (idp.verifier(), Provider::Dev(idp))
            }
            AuthSettings::Cognito(cognito) => {
                let cognito = cognito::Cognito::new(cognito.clone())?;
                let verifier = Verifier::new(
                    cognito.settings().issuer.clone(),
                    vec![cognito.settings().client_id.clone()],
                    jewelry::identity::IdentitySource::Cognito,
                    Keys::Url { url: cognito.settings().jwks_url.clone(), client: cognito.http().clone() },
                );
                (verifier, Provider::Cognito(cognito))
            }
        };
        let limits = Arc::new(limits::SignInLimits::default());
        if matches!(provider, Provider::Dev(_)) {
            tokio::spawn(forget_recovered_limits(limits.clone()));
        }
        Ok(Auth { verifier, provider, limits, secure_cookies: settings.cookies_secure(), logs, shop })
    }

    pub fn provider(&self) -> &Provider {
        &self.provider
    }

    fn source(&self) -> &'static str {
        self.verifier.source().as_str()
    }

    /// Who the request is: a user proven by a valid token (cookie or bearer), else a guest.
    pub async fn identify(&self, headers: &HeaderMap) -> Identified {
        let bearer = headers.typed_get::<Authorization<Bearer>>();
        let (token, from_cookie) = match bearer {
            Some(bearer) => (Some(bearer.token().trim().to_owned()), false),
            None => (cookie_value(headers, ID_COOKIE), true),
        };
        let Some(token) = token else {
            return Identified { identity: Identity::guest(), rejected: None, clear_cookie: false };
        };
        match self.verifier.verify(&token).await {
            Ok(user) => Identified { identity: Identity::signed_in(user), rejected: None, clear_cookie: false },
            Err(reason) => {
                Identified { identity: Identity::guest(), rejected: Some(reason), clear_cookie: from_cookie }
            }
        }
    }

    /// Logs a refused token: the event or page still goes ahead, as a guest's.
    pub fn log_rejected(&self, reason: Rejection, request: &RequestContext) {
        self.logs.emit(&AuthLine::new(AuthAction::TokenRejected, Some(reason.as_str()), None, self.source(), request));
    }

    /// A cookie that holds `value`, or (with `None`) removes the id cookie.
    pub fn id_cookie(&self, value: Option<&str>, max_age_secs: i64) -> HeaderValue {
        let cookie = Cookie::build((ID_COOKIE, value.unwrap_or_default().to_owned()))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(self.secure_cookies)
            .max_age(cookie::time::Duration::seconds(if value.is_some() { max_age_secs } else { 0 }))
            .build();
        HeaderValue::from_str(&cookie.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
    }

    /// After a successful sign-in: the guest cart joins the user's, the line is
    /// logged, and the browser goes back where it was with the token's cookie.
    async fn signed_in(
        &self,
        user: &User,
        token: &str,
        headers: &HeaderMap,
        request: &RequestContext,
        to: &str,
    ) -> Response {
        if let Some(guest) = cookie_value(headers, CART_COOKIE).as_deref().and_then(CartId::parse)
            && let Err(e) = self.shop.merge_guest_cart(&guest, &user.sub).await
        {
            tracing::error!(error = %format!("{e:#}"), "merging the guest cart failed");
        }
        self.logs.emit(&AuthLine::new(AuthAction::SignIn, None, Some(&user.sub), self.source(), request));
        let mut response = redirect(to);
        response.headers_mut().append(SET_COOKIE, self.id_cookie(Some(token), dev_idp::TOKEN_TTL_SECS));
        response
    }
}

/// A cookie's value from the request's `Cookie` headers.
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    CookieJar::from_headers(headers).get(name).map(|c| c.value().to_owned())
}

fn redirect(to: &str) -> Response {
    axum::response::Redirect::to(to).into_response()
}

#[derive(Deserialize)]
pub(crate) struct ReturnTo {
    return_to: Option<String>,
}

/// `/auth/login`: the development provider's sign-in page, or Cognito's hosted UI.
pub(crate) async fn login(
    State(auth): State<Arc<Auth>>,
    Extension(language): Extension<PageLanguage>,
    Query(query): Query<ReturnTo>,
) -> Response {
    let to = safe_return_to(query.return_to.as_deref());
    match &auth.provider {
        Provider::Dev(_) => redirect(&sign_in_page(language, &to, "")),
        Provider::Cognito(cognito) => cognito.authorize_redirect(&to, auth.secure_cookies),
    }
}

#[derive(Deserialize)]
pub(crate) struct DevLoginForm {
    username: String,
    password: String,
    return_to: Option<String>,
}

/// The development provider's form posts here.
pub(crate) async fn dev_login(
    State(auth): State<Arc<Auth>>,
    Extension(request): Extension<RequestContext>,
    Extension(stylesheet): Extension<Stylesheet>,
    Extension(language): Extension<PageLanguage>,
    headers: HeaderMap,
    Form(form): Form<DevLoginForm>,
) -> Response {
    let Provider::Dev(idp) = &auth.provider else { return StatusCode::NOT_FOUND.into_response() };
    let to = safe_return_to(form.return_to.as_deref());
    if let Err(limited) = auth.limits.attempt(request.source_ip, &form.username) {
        let line = AuthLine::new(AuthAction::SignInLimited, Some(limited.reason), None, auth.source(), &request);
        auth.logs.emit(&line);
        return too_many_attempts(limited, &to, &stylesheet, language);
    }
    match idp.sign_in(&form.username, &form.password).await {
        Ok((token, user)) => auth.signed_in(&user, &token, &headers, &request, &to).await,
        Err(failure) => {
            let line = AuthLine::new(AuthAction::SignInFailed, Some(failure.as_str()), None, auth.source(), &request);
            auth.logs.emit(&line);
            let error = if failure == dev_idp::SignInFailure::Unavailable { "unavailable" } else { "invalid" };
            redirect(&sign_in_page(language, &to, &format!("error={error}&")))
        }
    }
}

/// The sign-in page's address, in the language of the page to return to (whose
/// address says it): `query` first, then `return_to`.
fn sign_in_page(language: PageLanguage, return_to: &str, query: &str) -> String {
    let locales = language.locales;
    let page = format!("/signin?{query}return_to={}", jewelry::catalog::encode_component(return_to));
    locales.path(locales.split(return_to).0, &page)
}

/// Forgets, every [`limits::FORGET_EVERY`], the limiters' keys that have their
/// whole allowance back.
async fn forget_recovered_limits(limits: Arc<limits::SignInLimits>) {
    let mut every = tokio::time::interval(limits::FORGET_EVERY);
    loop {
        every.tick().await;
        limits.forget_recovered();
    }
}

/// `429` with `Retry-After` (whole seconds, rounded up), and a page that says
/// when to try again and leads back to the form.
/// In the language of the page to return to, as the sign-in page is.
fn too_many_attempts(
    limited: limits::Limited,
    return_to: &str,
    stylesheet: &Stylesheet,
    language: PageLanguage,
) -> Response {
    let secs = limited.retry_after.as_secs() + u64::from(limited.retry_after.subsec_nanos() > 0);
    let minutes = secs.div_ceil(60).max(1);
    let back = sign_in_page(language, return_to, "");
    let locale = language.locales.split(return_to).0;
    let w = jewelry::text::order::words(locale);
    let wait = match minutes {
        1 => w.signin_wait_one.to_owned(),
        n => jewelry::text::fill(w.signin_wait_many, &[("n", &n)]),
    };
    let page = format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title>\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <link rel=\"stylesheet\" href=\"{}\"></head><body><main class=\"signin-page\">\
         <h1>{}</h1><p class=\"notice notice-error\" role=\"alert\">{}</p>\
         <p><a class=\"button\" href=\"{}\">{}</a></p></main></body></html>",
        locale.code(),
        w.signin_too_many,
        html_escape::encode_double_quoted_attribute(&stylesheet.0),
        w.signin_too_many,
        jewelry::text::fill(w.signin_too_often, &[("wait", &wait)]),
        html_escape::encode_double_quoted_attribute(&back),
        w.signin_back,
    );
    let mut response = (StatusCode::TOO_MANY_REQUESTS, axum::response::Html(page)).into_response();
    response.headers_mut().insert(axum::http::header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
    response
}

/// `/auth/logout`: forgets the token here, and at Cognito when it is the provider.
pub(crate) async fn logout(State(auth): State<Arc<Auth>>, Extension(request): Extension<RequestContext>) -> Response {
    auth.logs.emit(&AuthLine::new(AuthAction::SignOut, None, request.identity.user_id(), auth.source(), &request));
    let mut response = match &auth.provider {
        Provider::Dev(_) => redirect("/"),
        Provider::Cognito(cognito) => redirect(&cognito.logout_url()),
    };
    response.headers_mut().append(SET_COOKIE, auth.id_cookie(None, 0));
    response
}

pub(crate) async fn dev_jwks(State(auth): State<Arc<Auth>>) -> Response {
    match &auth.provider {
        Provider::Dev(idp) => axum::Json(idp.jwks().clone()).into_response(),
        Provider::Cognito(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

#[derive(Deserialize)]
pub(crate) struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// Cognito's hosted UI sends the browser back here with a code to exchange.
pub(crate) async fn cognito_callback(
    State(auth): State<Arc<Auth>>,
    Extension(request): Extension<RequestContext>,
    headers: HeaderMap,
    Query(callback): Query<Callback>,
) -> Response {
    let Provider::Cognito(cognito) = &auth.provider else { return StatusCode::NOT_FOUND.into_response() };
    let failed = |reason: &str| {
        auth.logs.emit(&AuthLine::new(AuthAction::SignInFailed, Some(reason), None, auth.source(), &request));
        let mut response = redirect("/signin?error=cognito");
        response.headers_mut().append(SET_COOKIE, cognito::Cognito::clear_flow_cookie(auth.secure_cookies));
        response
    };
    if callback.error.is_some() {
        return failed("provider_error");
    }
    let Some(flow) = cookie_value(&headers, cognito::FLOW_COOKIE).and_then(|v| cognito::Flow::decode(&v)) else {
        return failed("no_sign_in_in_progress");
    };
    let (Some(code), Some(state)) = (callback.code, callback.state) else { return failed("missing_code") };
    if !flow.state_matches(&state) {
        return failed("state_mismatch");
    }
    let token = match cognito.exchange(&code, &flow.verifier).await {
        Ok(token) => token,
        Err(e) => {
            tracing::warn!(error = %format!("{e:#}"), "the Cognito token exchange failed");
            return failed("token_exchange_failed");
        }
    };
    match auth.verifier.verify(&token).await {
        Ok(user) => {
            let mut response = auth.signed_in(&user, &token, &headers, &request, &flow.return_to).await;
            response.headers_mut().append(SET_COOKIE, cognito::Cognito::clear_flow_cookie(auth.secure_cookies));
            response
        }
        Err(reason) => failed(reason.as_str()),
    }
}
