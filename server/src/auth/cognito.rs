//! Cognito's hosted UI: the authorization code flow with PKCE.
//!
//! `/auth/login` sends the browser to the hosted UI with a fresh `state` and a
//! code challenge; the verifier, the state and where to return wait in a
//! short-lived HttpOnly cookie. `/auth/callback` checks the state, exchanges the
//! code (with the verifier) at the token endpoint, and verifies the id token like
//! any other before setting the shop's cookie.

use crate::config::CognitoSettings;
use anyhow::Context;
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cookie::{Cookie, SameSite};
use jewelry::catalog::encode_component;
use secrecy::ExposeSecret;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::time::Duration;

/// Holds the sign-in in progress between `/auth/login` and `/auth/callback`.
pub const FLOW_COOKIE: &str = "jw_oauth";
const FLOW_MAX_AGE_SECS: i64 = 600;

pub struct Cognito {
    settings: CognitoSettings,
    http: reqwest::Client,
    /// The user pool's admin API (deleting a shopper's account), made when first needed.
    admin: tokio::sync::OnceCell<aws_sdk_cognitoidentityprovider::Client>,
}

/// A sign-in in progress.
pub struct Flow {
    pub state: String,
    pub verifier: String,
    pub return_to: String,
}

fn random_token() -> String {
    let bytes: [u8; 32] = rand::random();
    URL_SAFE_NO_PAD.encode(bytes)
}

impl Flow {
    fn new(return_to: &str) -> Flow {
        Flow { state: random_token(), verifier: random_token(), return_to: return_to.to_owned() }
    }

    fn encode(&self) -> String {
        format!("{}.{}.{}", self.state, self.verifier, URL_SAFE_NO_PAD.encode(&self.return_to))
    }

    pub fn decode(value: &str) -> Option<Flow> {
        let mut parts = value.split('.');
        let (state, verifier, to) = (parts.next()?, parts.next()?, parts.next()?);
        let return_to = String::from_utf8(URL_SAFE_NO_PAD.decode(to).ok()?).ok()?;
        Some(Flow {
            state: state.to_owned(),
            verifier: verifier.to_owned(),
            return_to: jewelry::identity::safe_return_to(Some(&return_to)),
        })
    }

    /// Compares in constant time.
    pub fn state_matches(&self, state: &str) -> bool {
        use subtle::ConstantTimeEq;
        self.state.as_bytes().ct_eq(state.as_bytes()).into()
    }

    /// The PKCE S256 challenge for the verifier.
    pub fn challenge(&self) -> String {
        URL_SAFE_NO_PAD.encode(Sha256::digest(self.verifier.as_bytes()))
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    id_token: String,
}

impl Cognito {
    pub fn new(settings: CognitoSettings) -> anyhow::Result<Cognito> {
        let http = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().context("an HTTP client")?;
        Ok(Cognito { settings, http, admin: tokio::sync::OnceCell::new() })
    }

    /// The user pool's id, the issuer's last part (`https://cognito-idp.<region>.amazonaws.com/<pool id>`).
    fn pool_id(&self) -> Option<&str> {
        self.settings.issuer.trim_end_matches('/').rsplit('/').next().filter(|id| id.contains('_'))
    }

    /// Deletes `username` from the user pool, at the shopper's request
    /// (`AdminDeleteUser`, with the server's own AWS credentials: the task role's
    /// `cognito-idp:AdminDeleteUser` on the pool). A user already gone is no error.
    pub async fn delete_user(&self, username: &str) -> anyhow::Result<()> {
        let pool_id = self.pool_id().context("the issuer names no user pool (`.../<region>_<id>`)")?;
        // A pool's id begins with its region (`eu-west-1_AbC123`).
        let region = pool_id.split('_').next().unwrap_or_default().to_owned();
        let client = self
            .admin
            .get_or_init(|| async move {
                aws_sdk_cognitoidentityprovider::Client::new(&crate::aws::sdk_config(Some(&region)).await)
            })
            .await;
        match client.admin_delete_user().user_pool_id(pool_id).username(username).send().await {
            Ok(_) => Ok(()),
            Err(e) if e.as_service_error().is_some_and(|e| e.is_user_not_found_exception()) => Ok(()),
            Err(e) => Err(anyhow::anyhow!(
                "deleting the user from the pool failed: {}",
                aws_sdk_cognitoidentityprovider::error::DisplayErrorContext(&e)
            )),
        }
    }

    pub fn settings(&self) -> &CognitoSettings {
        &self.settings
    }

    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    fn domain(&self) -> &str {
        &self.settings.domain
    }

    /// The hosted UI's authorize URL for `flow`.
    pub fn authorize_url(&self, flow: &Flow) -> String {
        format!(
            "{}/oauth2/authorize?response_type=code&client_id={}&redirect_uri={}&scope={}&state={}&code_challenge={}&code_challenge_method=S256",
            self.domain(),
            encode_component(&self.settings.client_id),
            encode_component(&self.settings.redirect_url),
            encode_component("openid email profile"),
            flow.state,
            flow.challenge(),
        )
    }

    /// Starts a sign-in: remembers the flow in a cookie and sends the browser to the hosted UI.
    pub fn authorize_redirect(&self, return_to: &str, secure: bool) -> Response {
        let flow = Flow::new(return_to);
        let mut response = StatusCode::SEE_OTHER.into_response();
        if let Ok(location) = HeaderValue::from_str(&self.authorize_url(&flow)) {
            response.headers_mut().insert(LOCATION, location);
        }
        let cookie = Cookie::build((FLOW_COOKIE, flow.encode()))
            .path("/auth")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(secure)
            .max_age(cookie::time::Duration::seconds(FLOW_MAX_AGE_SECS))
            .build();
        if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
            response.headers_mut().append(SET_COOKIE, value);
        }
        response
    }

    pub fn clear_flow_cookie(secure: bool) -> HeaderValue {
        let cookie = Cookie::build((FLOW_COOKIE, ""))
            .path("/auth")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(secure)
            .max_age(cookie::time::Duration::ZERO)
            .build();
        HeaderValue::from_str(&cookie.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
    }

    /// Exchanges an authorization code for the id token.
    pub async fn exchange(&self, code: &str, verifier: &str) -> anyhow::Result<String> {
        let form = [
            ("grant_type", "authorization_code"),
            ("client_id", self.settings.client_id.as_str()),
            ("code", code),
            ("redirect_uri", self.settings.redirect_url.as_str()),
            ("code_verifier", verifier),
        ];
        let mut request = self.http.post(format!("{}/oauth2/token", self.domain())).form(&form);
        if let Some(secret) = &self.settings.client_secret {
            request = request.basic_auth(&self.settings.client_id, Some(secret.expose_secret()));
        }
        let response = request.send().await.context("reaching the token endpoint")?;
        let status = response.status();
        anyhow::ensure!(status.is_success(), "the token endpoint answered {status}");
        Ok(response.json::<TokenResponse>().await.context("reading the token endpoint's answer")?.id_token)
    }

    /// Cognito's sign-out, which then returns the browser to the shop.
    pub fn logout_url(&self) -> String {
        let back = self.settings.logout_url.as_deref().unwrap_or("/");
        format!(
            "{}/logout?client_id={}&logout_uri={}",
            self.domain(),
            encode_component(&self.settings.client_id),
            encode_component(back)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cognito() -> Cognito {
        Cognito::new(CognitoSettings {
            issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_POOL".into(),
            jwks_url: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_POOL/.well-known/jwks.json".into(),
            client_id: "client123".into(),
            client_secret: None,
            domain: "https://shop.auth.eu-west-1.amazoncognito.com".into(),
            redirect_url: "https://shop.example/auth/callback".into(),
            logout_url: Some("https://shop.example/".into()),
        })
        .unwrap()
    }

    #[test]
    fn the_authorize_url_carries_a_pkce_challenge_and_state() {
        let flow = Flow::new("/cart");
        let url = cognito().authorize_url(&flow);
        assert!(url.starts_with("https://shop.auth.eu-west-1.amazoncognito.com/oauth2/authorize?response_type=code"));
        assert!(url.contains("client_id=client123"));
        assert!(url.contains("redirect_uri=https%3A%2F%2Fshop.example%2Fauth%2Fcallback"));
        assert!(url.contains(&format!("state={}", flow.state)));
        assert!(url.contains("code_challenge_method=S256"));
        // RFC 7636: BASE64URL(SHA256(verifier)), 43 characters.
        assert_eq!(flow.challenge().len(), 43);
        assert!(!url.contains(&flow.verifier), "the verifier never leaves the shop");
    }

    #[test]
    fn the_flow_cookie_round_trips_and_refuses_foreign_return_paths() {
        let flow = Flow::new("/account");
        let back = Flow::decode(&flow.encode()).unwrap();
        assert_eq!((back.state.as_str(), back.return_to.as_str()), (flow.state.as_str(), "/account"));
        assert!(back.state_matches(&flow.state));
        assert!(!back.state_matches("forged"));
        let evil = Flow { return_to: "//evil.example".into(), ..Flow::new("/") };
        assert_eq!(Flow::decode(&evil.encode()).unwrap().return_to, "/");
        assert!(Flow::decode("garbage").is_none());
    }

    #[test]
    fn signing_out_goes_through_cognito_and_back() {
        assert_eq!(
            cognito().logout_url(),
            "https://shop.auth.eu-west-1.amazoncognito.com/logout?client_id=client123&logout_uri=https%3A%2F%2Fshop.example%2F"
        );
    }
}
