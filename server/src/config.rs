//! Typed settings, layered: defaults, then an optional TOML file
//! (`APP_CONFIG_FILE`), then environment variables `APP_<KEY>` (a `.env` file in
//! the working directory is read into the environment first). Secrets are
//! `SecretString` and never printed.

use anyhow::Context;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Where the embedded profile keeps its data (the SQLite file, ...).
    pub data_dir: PathBuf,
    /// `sqlite://...` or `postgres://...`; SQLite in `data_dir` when unset.
    pub database_url: Option<SecretString>,
    /// Add the seeded demo catalog when the database has no categories yet.
    pub seed_catalog: bool,
    /// Also write log lines to this file, rotated daily (`<file>.YYYY-MM-DD`).
    pub log_file: Option<PathBuf>,
    /// Level of the server's own diagnostics (`logType: "app"`): error, warn, info, debug.
    pub log_level: String,
    /// Take the client's address from this header (set by a trusted proxy or load
    /// balancer) instead of the socket. `X-Forwarded-For` uses its last address.
    pub trusted_proxy_header: Option<String>,
    /// Mark cookies `Secure`: set when the site is served over HTTPS.
    pub secure_cookies: bool,
    /// How long an accepted `eventId` is remembered to drop its duplicates.
    pub dedup_window_secs: u64,
    /// How many `eventId`s are remembered at most.
    pub dedup_capacity: usize,
    /// Connections in the database pool.
    pub database_max_connections: u32,
    /// Sign-in: the development identity provider, or a Cognito user pool.
    pub auth: AuthSettings,
    /// Where uploaded product images are stored and read from.
    pub media: MediaSettings,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaStoreKind {
    /// Files in `data_dir/media`, uploaded to and served by this server (embedded profile).
    #[default]
    Local,
    /// A private S3 bucket, uploaded to with presigned URLs, read through a CDN.
    S3,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct MediaSettings {
    pub store: MediaStoreKind,
    pub s3: S3Settings,
}

/// The S3 bucket for images. Credentials and region come from the AWS SDK's
/// usual chain (environment, profile, instance or task role); `AWS_ENDPOINT_URL_S3`
/// points it at an emulator.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct S3Settings {
    pub bucket: String,
    /// Where images are read: the CloudFront distribution in front of the bucket,
    /// like `https://d1234.cloudfront.net`; an image's URL is `<cdn_base_url>/<key>`.
    pub cdn_base_url: String,
    /// Overrides the SDK's region.
    pub region: Option<String>,
    /// Path-style bucket addressing (`<endpoint>/<bucket>/<key>`), for emulators.
    pub force_path_style: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthProvider {
    /// The built-in development identity provider (embedded profile).
    #[default]
    Dev,
    /// An Amazon Cognito user pool and its hosted UI.
    Cognito,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct AuthSettings {
    pub provider: AuthProvider,
    pub cognito: CognitoSettings,
}

/// A Cognito user pool and app client, with the hosted UI's addresses.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct CognitoSettings {
    /// The tokens' `iss`: `https://cognito-idp.<region>.amazonaws.com/<pool id>`.
    pub issuer: String,
    /// Where the signing keys are; `<issuer>/.well-known/jwks.json` when unset.
    /// (Emulators serve them locally while signing with AWS's issuer.)
    pub jwks_url: Option<String>,
    /// The app client: the `aud` of id tokens and `client_id` of access tokens.
    pub client_id: String,
    /// The app client's secret, when it has one.
    pub client_secret: Option<SecretString>,
    /// The hosted UI: `https://<prefix>.auth.<region>.amazoncognito.com`.
    pub domain: String,
    /// This shop's `/auth/callback`, as registered on the app client.
    pub redirect_url: String,
    /// Where Cognito sends the browser after signing out (registered too).
    pub logout_url: String,
}

impl CognitoSettings {
    pub fn jwks_url(&self) -> String {
        self.jwks_url.clone().unwrap_or_else(|| format!("{}/.well-known/jwks.json", self.issuer.trim_end_matches('/')))
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            data_dir: PathBuf::from("data"),
            database_url: None,
            seed_catalog: true,
            log_file: None,
            log_level: "info".into(),
            trusted_proxy_header: None,
            secure_cookies: false,
            dedup_window_secs: 15 * 60,
            dedup_capacity: 1_000_000,
            database_max_connections: 8,
            auth: AuthSettings::default(),
            media: MediaSettings::default(),
        }
    }
}

impl Settings {
    /// Reads `.env`, `APP_CONFIG_FILE` and `APP_*` variables.
    pub fn load() -> anyhow::Result<Settings> {
        let _ = dotenvy::dotenv();
        let mut builder = config::Config::builder();
        if let Ok(file) = std::env::var("APP_CONFIG_FILE") {
            builder =
                builder.add_source(config::File::with_name(&file).format(config::FileFormat::Toml).required(true));
        }
        let settings = builder
            .add_source(config::Environment::with_prefix("APP").prefix_separator("_").separator("__").try_parsing(true))
            .build()
            .context("reading the configuration")?;
        settings.try_deserialize().context("the configuration has a wrong value")
    }

    /// The database to use: the configured URL, or SQLite in the data directory.
    pub fn database_url(&self) -> SecretString {
        match &self.database_url {
            Some(url) => url.clone(),
            None => SecretString::from(format!("sqlite://{}?mode=rwc", self.data_dir.join("shop.db").display())),
        }
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url().expose_secret().starts_with("sqlite:")
    }

    pub fn dedup_window(&self) -> Duration {
        Duration::from_secs(self.dedup_window_secs)
    }
}

/// The address to listen on: `LEPTOS_SITE_ADDR` (as cargo-leptos sets it), else 127.0.0.1:3000.
pub fn site_addr() -> anyhow::Result<SocketAddr> {
    let addr = std::env::var("LEPTOS_SITE_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".into());
    addr.parse().with_context(|| format!("LEPTOS_SITE_ADDR `{addr}` is not an address like 127.0.0.1:3000"))
}
