//! The development identity provider: the embedded profile's stand-in for Cognito.
//!
//! It keeps seeded accounts (passwords hashed with argon2), signs RS256 id tokens
//! shaped like Cognito's (same claims) with a key generated on first start and kept
//! in the data directory, and serves its JWKS. Its tokens are checked by exactly
//! the [`Verifier`] that checks Cognito's. It never runs with Cognito configured.

use super::verify::{Keys, Verifier};
use crate::db::Database;
use anyhow::Context;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jewelry::identity::{IdentitySource, User};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rsa::RsaPrivateKey;
use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey, LineEnding};
use rsa::traits::PublicKeyParts;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::Path;
use time::OffsetDateTime;

/// The `iss` of the development provider's tokens.
pub const DEV_ISSUER: &str = "https://dev-idp.lumen-jewelry.invalid";
/// The `aud` of its id tokens: the shop's app client.
pub const DEV_CLIENT_ID: &str = "lumen-shop-dev";
/// How long a token lasts, as Cognito's default id token.
pub const TOKEN_TTL_SECS: i64 = 3600;

/// An RS256 signing key and its public half as a JWKS.
pub struct SigningKey {
    kid: String,
    encoding: EncodingKey,
    jwks: JwkSet,
}

impl SigningKey {
    pub fn generate() -> anyhow::Result<SigningKey> {
        let key = RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048).context("generating an RSA key")?;
        Self::from_key(&key)
    }

    fn from_key(key: &RsaPrivateKey) -> anyhow::Result<SigningKey> {
        let pem = key.to_pkcs1_pem(LineEnding::LF).context("encoding the key")?;
        let encoding = EncodingKey::from_rsa_pem(pem.as_bytes()).context("loading the key for signing")?;
        let n = key.n().to_bytes_be();
        let e = key.e().to_bytes_be();
        let kid = hex::encode(&Sha256::digest(&n)[..8]);
        let jwks = serde_json::from_value(serde_json::json!({"keys": [{
            "kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid,
            "n": URL_SAFE_NO_PAD.encode(&n), "e": URL_SAFE_NO_PAD.encode(&e),
        }]}))
        .context("building the JWKS")?;
        Ok(SigningKey { kid, encoding, jwks })
    }

    /// The key in `path`, or a new one written there (readable by its owner only).
    pub fn load_or_create(path: &Path) -> anyhow::Result<SigningKey> {
        if let Ok(pem) = std::fs::read_to_string(path) {
            let key = RsaPrivateKey::from_pkcs1_pem(&pem).with_context(|| format!("reading {}", path.display()))?;
            return Self::from_key(&key);
        }
        let key = RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048).context("generating an RSA key")?;
        let pem = key.to_pkcs1_pem(LineEnding::LF).context("encoding the key")?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        crate::private_file::write_private(path, pem.as_bytes())
            .with_context(|| format!("writing {}", path.display()))?;
        Self::from_key(&key)
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    pub fn jwks(&self) -> &JwkSet {
        &self.jwks
    }

    /// Signs `claims` as an RS256 JWT naming this key.
    pub fn sign(&self, claims: &impl Serialize) -> anyhow::Result<String> {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, claims, &self.encoding).context("signing a token")
    }
}

/// An id token's claims, as Cognito writes them.
#[derive(Serialize)]
pub struct IdTokenClaims<'a> {
    pub sub: &'a str,
    pub iss: &'a str,
    pub aud: &'a str,
    pub token_use: &'static str,
    pub auth_time: i64,
    pub iat: i64,
    pub exp: i64,
    pub jti: String,
    #[serde(rename = "cognito:username")]
    pub username: &'a str,
    #[serde(rename = "cognito:groups")]
    pub groups: &'a [String],
    pub email: &'a str,
    pub email_verified: bool,
}

/// Why a sign-in failed (logged; the shopper only hears that it failed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignInFailure {
    UnknownUser,
    WrongPassword,
    Unavailable,
}

impl SignInFailure {
    pub const fn as_str(self) -> &'static str {
        match self {
            SignInFailure::UnknownUser => "unknown_user",
            SignInFailure::WrongPassword => "wrong_password",
            SignInFailure::Unavailable => "unavailable",
        }
    }
}

#[derive(Deserialize)]
struct SeedAccounts {
    accounts: Vec<SeedAccount>,
}

#[derive(Deserialize)]
struct SeedAccount {
    username: String,
    email: String,
    password: String,
    groups: Vec<String>,
}

const SEED_ACCOUNTS: &str = include_str!("../../seed/dev-accounts.json");

#[derive(sqlx::FromRow)]
struct AccountRow {
    sub: String,
    username: String,
    email: String,
    password_hash: String,
    groups: String,
}

pub struct DevIdp {
    key: SigningKey,
    pool: Database,
    /// Checked when the username is unknown, so that answering takes as long
    /// either way and timing does not tell which accounts exist.
    decoy_hash: String,
}

/// Runs CPU-heavy work (argon2, RSA key generation) on a blocking thread: on an
/// async worker it would hold up every request scheduled behind it.
async fn off_the_runtime<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> anyhow::Result<T> {
    tokio::task::spawn_blocking(work).await.context("a blocking task failed")
}

fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
}

impl DevIdp {
    /// Loads (or creates) the signing key in `data_dir` and adds the seeded
    /// accounts when there are none.
    pub async fn open(data_dir: &Path, pool: Database) -> anyhow::Result<DevIdp> {
        let key_path = data_dir.join("dev-idp").join("signing-key.pem");
        let key = off_the_runtime(move || SigningKey::load_or_create(&key_path)).await??;
        let (accounts,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM dev_users").fetch_one(&pool).await?;
        if accounts == 0 {
            let seed: SeedAccounts = serde_json::from_str(SEED_ACCOUNTS).context("reading seed/dev-accounts.json")?;
            let now = crate::logs::rfc3339_millis(OffsetDateTime::now_utc());
            for account in seed.accounts {
                let password = account.password.clone();
                let password_hash = off_the_runtime(move || hash_password(&password)).await??;
                sqlx::query(
                    "INSERT INTO dev_users (sub, username, email, password_hash, groups, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(uuid::Uuid::new_v4().to_string())
                .bind(&account.username)
                .bind(&account.email)
                .bind(password_hash)
                .bind(account.groups.join(","))
                .bind(&now)
                .execute(&pool)
                .await
                .with_context(|| format!("adding the development account {}", account.username))?;
            }
        }
        let decoy_hash = off_the_runtime(|| hash_password(&uuid::Uuid::new_v4().to_string())).await??;
        Ok(DevIdp { key, pool, decoy_hash })
    }

    /// The verifier for this provider's tokens: the same code that checks Cognito's.
    pub fn verifier(&self) -> Verifier {
        Verifier::new(
            DEV_ISSUER.to_owned(),
            vec![DEV_CLIENT_ID.to_owned()],
            IdentitySource::Dev,
            Keys::Fixed(self.key.jwks().clone()),
        )
    }

    pub fn jwks(&self) -> &JwkSet {
        self.key.jwks()
    }

    /// Checks the password (by email or username) and answers a signed id token.
    pub async fn sign_in(&self, login: &str, password: &str) -> Result<(String, User), SignInFailure> {
        let row: Option<AccountRow> = sqlx::query_as(
            "SELECT sub, username, email, password_hash, groups FROM dev_users \
             WHERE LOWER(username) = LOWER($1) OR LOWER(email) = LOWER($1)",
        )
        .bind(login.trim())
        .fetch_optional(&self.pool)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "looking up a development account failed");
            SignInFailure::Unavailable
        })?;
        let hash = row.as_ref().map_or(&self.decoy_hash, |r| &r.password_hash).clone();
        let password = password.to_owned();
        let matches = off_the_runtime(move || {
            PasswordHash::new(&hash)
                .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
                .unwrap_or(false)
        })
        .await
        .map_err(|e| {
            tracing::error!(error = %format!("{e:#}"), "checking a development password failed");
            SignInFailure::Unavailable
        })?;
        let row = row.ok_or(SignInFailure::UnknownUser)?;
        if !matches {
            return Err(SignInFailure::WrongPassword);
        }
        let user = User {
            sub: row.sub,
            source: IdentitySource::Dev,
            username: row.username,
            email: Some(row.email),
            groups: row.groups.split(',').filter(|g| !g.is_empty()).map(str::to_owned).collect(),
        };
        let token = self.mint(&user).map_err(|e| {
            tracing::error!(error = %format!("{e:#}"), "signing a development token failed");
            SignInFailure::Unavailable
        })?;
        Ok((token, user))
    }

    /// An id token for `user`, as Cognito would issue it.
    pub fn mint(&self, user: &User) -> anyhow::Result<String> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        self.key.sign(&IdTokenClaims {
            sub: &user.sub,
            iss: DEV_ISSUER,
            aud: DEV_CLIENT_ID,
            token_use: "id",
            auth_time: now,
            iat: now,
            exp: now + TOKEN_TTL_SECS,
            jti: uuid::Uuid::new_v4().to_string(),
            username: &user.username,
            groups: &user.groups,
            email: user.email.as_deref().unwrap_or_default(),
            email_verified: true,
        })
    }
}
