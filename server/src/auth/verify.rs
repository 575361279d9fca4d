//! Token verification: one code path for Cognito's tokens and the development
//! identity provider's, which are shaped alike.
//!
//! RS256 only; the key is chosen by `kid` from a JWKS, cached, and fetched again on
//! an unknown `kid` at most once a minute. Checks: signature, `exp`/`nbf`/`iat`
//! with a small leeway, `iss` (a setting of its own, apart from the JWKS URL),
//! `token_use` (`id` or `access`), and the audience (`aud` for id tokens,
//! `client_id` for access tokens).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jewelry::identity::{IdentitySource, User};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, errors::ErrorKind};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use time::OffsetDateTime;
use tokio::sync::RwLock;

/// Clock skew tolerated on `exp`, `nbf` and `iat`, in seconds.
pub const LEEWAY_SECS: u64 = 60;
/// An unknown `kid` refetches the JWKS at most this often.
pub const REFETCH_EVERY: Duration = Duration::from_secs(60);
/// Verified tokens remembered (by hash) until they expire, to spare the RSA work.
const VERIFIED_CACHE: usize = 10_000;

/// Why a token was refused; the `reason` of a `token_rejected` auth line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rejection {
    Expired,
    BadSignature,
    WrongIssuer,
    WrongAudience,
    WrongTokenUse,
    UnknownKid,
    AlgNotAllowed,
    Malformed,
}

impl Rejection {
    pub const fn as_str(self) -> &'static str {
        match self {
            Rejection::Expired => "expired",
            Rejection::BadSignature => "bad_signature",
            Rejection::WrongIssuer => "wrong_issuer",
            Rejection::WrongAudience => "wrong_audience",
            Rejection::WrongTokenUse => "wrong_token_use",
            Rejection::UnknownKid => "unknown_kid",
            Rejection::AlgNotAllowed => "alg_not_allowed",
            Rejection::Malformed => "malformed",
        }
    }
}

/// Where the signing keys come from.
pub enum Keys {
    /// A JWKS URL (Cognito: `https://cognito-idp.<region>.amazonaws.com/<pool>/.well-known/jwks.json`).
    Url { url: String, client: reqwest::Client },
    /// A key set held in memory (the development provider's own).
    Fixed(JwkSet),
}

impl Keys {
    async fn fetch(&self) -> anyhow::Result<JwkSet> {
        match self {
            Keys::Fixed(set) => Ok(set.clone()),
            Keys::Url { url, client } => {
                let response = client.get(url).timeout(Duration::from_secs(5)).send().await?.error_for_status()?;
                Ok(response.json::<JwkSet>().await?)
            }
        }
    }
}

struct KeyCache {
    keys: HashMap<String, DecodingKey>,
    last_fetch: Option<Instant>,
}

pub struct Verifier {
    issuer: String,
    client_ids: Vec<String>,
    source: IdentitySource,
    keys: Keys,
    cache: RwLock<KeyCache>,
    verified: Mutex<HashMap<[u8; 32], (User, i64)>>,
}

#[derive(Deserialize)]
struct Header {
    alg: Option<String>,
    kid: Option<String>,
}

#[derive(Deserialize)]
struct Claims {
    sub: String,
    exp: i64,
    iat: Option<i64>,
    token_use: Option<String>,
    #[serde(default)]
    aud: Option<serde_json::Value>,
    client_id: Option<String>,
    #[serde(rename = "cognito:groups", default)]
    groups: Vec<String>,
    #[serde(rename = "cognito:username")]
    cognito_username: Option<String>,
    username: Option<String>,
    email: Option<String>,
}

impl Verifier {
    /// `issuer` is the exact `iss` expected; `client_ids` the app clients whose
    /// tokens are accepted.
    pub fn new(issuer: String, client_ids: Vec<String>, source: IdentitySource, keys: Keys) -> Self {
        Verifier {
            issuer,
            client_ids,
            source,
            keys,
            cache: RwLock::new(KeyCache { keys: HashMap::new(), last_fetch: None }),
            verified: Mutex::new(HashMap::new()),
        }
    }

    pub fn source(&self) -> IdentitySource {
        self.source
    }

    /// The user a token proves, or why it proves nothing.
    pub async fn verify(&self, token: &str) -> Result<User, Rejection> {
        let digest: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        let now = OffsetDateTime::now_utc().unix_timestamp();
        if let Some((user, exp)) = self.verified.lock().ok().and_then(|c| c.get(&digest).cloned())
            && now <= exp + LEEWAY_SECS as i64
        {
            return Ok(user);
        }
        let (user, exp) = self.verify_uncached(token, now).await?;
        if let Ok(mut cache) = self.verified.lock() {
            if cache.len() >= VERIFIED_CACHE {
                cache.clear();
            }
            cache.insert(digest, (user.clone(), exp));
        }
        Ok(user)
    }

    async fn verify_uncached(&self, token: &str, now: i64) -> Result<(User, i64), Rejection> {
        let header = header(token)?;
        // Only RS256: `none`, HMAC (with the public key as the secret) and the rest never get in.
        if header.alg.as_deref() != Some("RS256") {
            return Err(Rejection::AlgNotAllowed);
        }
        let kid = header.kid.ok_or(Rejection::Malformed)?;
        let key = self.key(&kid).await?;

        let mut validation = Validation::new(Algorithm::RS256);
        validation.leeway = LEEWAY_SECS;
        validation.validate_nbf = true;
        validation.validate_aud = false; // checked below: id tokens use `aud`, access tokens `client_id`
        validation.set_issuer(&[&self.issuer]);
        validation.set_required_spec_claims(&["exp", "iss", "sub"]);
        let claims = decode::<Claims>(token, &key, &validation)
            .map_err(|e| match e.kind() {
                ErrorKind::ExpiredSignature => Rejection::Expired,
                ErrorKind::InvalidSignature => Rejection::BadSignature,
                ErrorKind::InvalidIssuer => Rejection::WrongIssuer,
                ErrorKind::InvalidAlgorithm => Rejection::AlgNotAllowed,
                _ => Rejection::Malformed,
            })?
            .claims;
        if claims.iat.is_some_and(|iat| iat > now + LEEWAY_SECS as i64) {
            return Err(Rejection::Malformed);
        }
        let audience_ok = match claims.token_use.as_deref() {
            Some("id") => match &claims.aud {
                Some(serde_json::Value::String(aud)) => self.client_ids.contains(aud),
                Some(serde_json::Value::Array(auds)) => {
                    auds.iter().any(|a| a.as_str().is_some_and(|a| self.client_ids.iter().any(|c| c == a)))
                }
                _ => false,
            },
            Some("access") => claims.client_id.as_ref().is_some_and(|c| self.client_ids.contains(c)),
            _ => return Err(Rejection::WrongTokenUse),
        };
        if !audience_ok {
            return Err(Rejection::WrongAudience);
        }
        let username = claims.cognito_username.or(claims.username).unwrap_or_else(|| claims.sub.clone());
        let user = User { sub: claims.sub, source: self.source, username, email: claims.email, groups: claims.groups };
        Ok((user, claims.exp))
    }

    /// The key named `kid`, fetching the key set first when it is unknown and the
    /// last fetch is more than a minute old.
    async fn key(&self, kid: &str) -> Result<DecodingKey, Rejection> {
        {
            let cache = self.cache.read().await;
            if let Some(key) = cache.keys.get(kid) {
                return Ok(key.clone());
            }
            if cache.last_fetch.is_some_and(|at| at.elapsed() < REFETCH_EVERY) {
                return Err(Rejection::UnknownKid);
            }
        }
        let mut cache = self.cache.write().await;
        // Another request may have fetched while this one waited for the lock.
        if let Some(key) = cache.keys.get(kid) {
            return Ok(key.clone());
        }
        if cache.last_fetch.is_some_and(|at| at.elapsed() < REFETCH_EVERY) {
            return Err(Rejection::UnknownKid);
        }
        cache.last_fetch = Some(Instant::now());
        match self.keys.fetch().await {
            Ok(set) => {
                cache.keys = set
                    .keys
                    .iter()
                    .filter_map(|jwk| Some((jwk.common.key_id.clone()?, DecodingKey::from_jwk(jwk).ok()?)))
                    .collect();
            }
            Err(e) => tracing::error!(error = %format!("{e:#}"), "fetching the identity provider's keys failed"),
        }
        cache.keys.get(kid).cloned().ok_or(Rejection::UnknownKid)
    }
}

fn header(token: &str) -> Result<Header, Rejection> {
    let mut parts = token.split('.');
    let (Some(header), Some(_), Some(_), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(Rejection::Malformed);
    };
    let bytes = URL_SAFE_NO_PAD.decode(header).map_err(|_| Rejection::Malformed)?;
    serde_json::from_slice(&bytes).map_err(|_| Rejection::Malformed)
}

#[cfg(test)]
#[path = "verify_tests.rs"]
mod tests;
