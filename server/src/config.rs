//! Typed settings, layered, lowest first: defaults, an optional TOML file
//! (`APP_CONFIG_FILE`), the `APP_CONFIG` secret from Secrets Manager (when
//! `APP_SECRETS__CONFIG_ID` names it), then environment variables `APP_<KEY>`,
//! nested keys joined by `__` (a `.env` file in the working directory is read into
//! the environment first). A key the settings do not have is an error naming it.
//! Secrets are `SecretString` and never printed.

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
    /// Where log lines go besides stdout, and how much the server says.
    pub logs: LogSettings,
    /// The AWS profile's secrets in Secrets Manager.
    pub secrets: SecretsSettings,
    /// Who may read `/metrics` besides loopback peers.
    pub metrics: MetricsSettings,
    /// The TOML file read as a layer (`APP_CONFIG_FILE`, from the environment only).
    pub config_file: Option<PathBuf>,
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

#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct LogSettings {
    /// Also write log lines to this file, rotated daily (`<file>.YYYY-MM-DD`).
    pub file: Option<PathBuf>,
    /// Level of the server's own diagnostics (`logType: "app"`).
    pub level: LogLevel,
    /// Shipping every line to CloudWatch Logs, through the spool.
    pub cloudwatch: CloudWatchSettings,
}

impl Default for LogSettings {
    fn default() -> Self {
        LogSettings { file: None, level: LogLevel::Info, cloudwatch: CloudWatchSettings::default() }
    }
}

/// How much the server says about itself: `error`, `warn`, `info`, `debug` or
/// `trace` (another value stops start-up, naming the setting).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogLevel {
    #[serde(alias = "ERROR")]
    Error,
    #[serde(alias = "WARN")]
    Warn,
    #[default]
    #[serde(alias = "INFO")]
    Info,
    #[serde(alias = "DEBUG")]
    Debug,
    #[serde(alias = "TRACE")]
    Trace,
}

impl LogLevel {
    /// As `tracing`'s filters spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            LogLevel::Error => "error",
            LogLevel::Warn => "warn",
            LogLevel::Info => "info",
            LogLevel::Debug => "debug",
            LogLevel::Trace => "trace",
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct CloudWatchSettings {
    /// The log group; setting it turns shipping on.
    pub group: Option<String>,
    /// The log stream; by default this instance's id, kept in the data directory.
    pub stream: Option<String>,
    /// At this many bytes waiting in the spool, `/events` answers 503 `spool_full`.
    pub spool_max_bytes: u64,
}

impl Default for CloudWatchSettings {
    fn default() -> Self {
        CloudWatchSettings { group: None, stream: None, spool_max_bytes: 1 << 30 }
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct MetricsSettings {
    /// A bearer token that lets anyone read `/metrics` (unset: loopback only).
    pub token: Option<SecretString>,
}

/// Secrets Manager ids (names or ARNs). Unset, nothing is read from Secrets Manager.
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct SecretsSettings {
    /// `APP_CONFIG`: a JSON object of settings in this file's nesting.
    pub config_id: Option<String>,
    /// `DB_PASSWORD`: the database password, plain or as RDS-style JSON.
    pub db_password_id: Option<String>,
    /// How often both secrets are read again.
    pub refresh_secs: u64,
}

impl Default for SecretsSettings {
    fn default() -> Self {
        SecretsSettings { config_id: None, db_password_id: None, refresh_secs: 300 }
    }
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
            logs: LogSettings::default(),
            secrets: SecretsSettings::default(),
            metrics: MetricsSettings::default(),
            config_file: None,
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

/// The settings and, when secrets were read, what to read again.
pub struct Loaded {
    pub settings: Settings,
    pub refresher: Option<crate::secrets::Refresher>,
}

impl Settings {
    /// Reads `.env`, `APP_CONFIG_FILE`, the secrets the settings name, and `APP_*`
    /// variables.
    pub async fn load() -> anyhow::Result<Loaded> {
        let _ = dotenvy::dotenv();
        let file = std::env::var("APP_CONFIG_FILE").ok();
        let settings = layered(file.as_deref(), None)?;
        if settings.secrets.config_id.is_none() && settings.secrets.db_password_id.is_none() {
            return Ok(Loaded { settings, refresher: None });
        }
        let sdk = crate::aws::sdk_config(None).await;
        let source = crate::secrets::SecretSource::new(&sdk);
        let (mut settings, config) = match settings.secrets.config_id.clone() {
            Some(id) => {
                let read = source.read(&id, "APP_CONFIG").await?;
                let object = crate::secrets::config_object(&id, &read.value)?;
                check_config_secret(&id, &object)?;
                let json = serde_json::Value::Object(object).to_string();
                (layered(file.as_deref(), Some(&json))?, Some((id, read.value)))
            }
            None => (settings, None),
        };
        let db = match settings.secrets.db_password_id.clone() {
            Some(id) => {
                let read = source.read(&id, "DB_PASSWORD").await?;
                let credentials = crate::secrets::DbCredentials::parse(&id, &read.value)?;
                let base = settings.database_url.take();
                settings.database_url = Some(credentials.database_url(&id, base.as_ref())?);
                Some((id, base))
            }
            None => None,
        };
        let refresher = crate::secrets::Refresher::new(crate::secrets::Watched {
            source,
            config,
            url_in_use: db.as_ref().and(settings.database_url.clone()),
            db,
            every: Duration::from_secs(settings.secrets.refresh_secs.max(1)),
        });
        Ok(Loaded { settings, refresher: Some(refresher) })
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

/// Defaults, then `file`, then `secret` (JSON), then the environment; keys the
/// settings do not have are an error that names them.
fn layered(file: Option<&str>, secret: Option<&str>) -> anyhow::Result<Settings> {
    let mut builder = config::Config::builder();
    if let Some(file) = file {
        builder = builder.add_source(config::File::with_name(file).format(config::FileFormat::Toml).required(true));
    }
    if let Some(json) = secret {
        builder = builder.add_source(config::File::from_str(json, config::FileFormat::Json));
    }
    let layers = builder
        .add_source(config::Environment::with_prefix("APP").prefix_separator("_").separator("__").try_parsing(true))
        .build()
        .context("reading the configuration")?;
    let mut unknown = Vec::new();
    let settings: Settings = serde_ignored::deserialize(layers, |path| unknown.push(path.to_string()))
        .context("the configuration has a wrong value")?;
    if !unknown.is_empty() {
        anyhow::bail!(
            "the configuration has settings this server does not know: {} (from APP_CONFIG_FILE, the APP_CONFIG secret or APP_* variables; see the README's table)",
            unknown.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
        );
    }
    Ok(settings)
}

/// `APP_CONFIG`'s settings alone: every key known and every value of its type,
/// reported by path and never by value (the secret may hold other secrets).
fn check_config_secret(
    id: &str,
    object: &serde_json::Map<String, serde_json::Value>,
) -> Result<(), crate::secrets::SecretError> {
    let malformed =
        |problem: String| crate::secrets::SecretError::Malformed { id: id.to_owned(), what: "APP_CONFIG", problem };
    if object.get("secrets").and_then(|s| s.get("config_id")).is_some() || object.contains_key("config_file") {
        return Err(malformed(
            "names where settings are read from (`secrets.config_id`, `config_file`): set those in the environment"
                .into(),
        ));
    }
    let value = serde_json::Value::Object(object.clone());
    let mut unknown = Vec::new();
    let checked: Result<Settings, _> =
        serde_path_to_error::deserialize(serde_ignored::Deserializer::new(value, &mut |path: serde_ignored::Path<
            '_,
        >| {
            unknown.push(path.to_string())
        }));
    if let Err(e) = checked {
        let message = e.inner().to_string();
        // serde ends its messages with what it expected; what it found is the value.
        let expected =
            message.rsplit_once(", expected ").map(|(_, tail)| format!(" (expected {tail})")).unwrap_or_default();
        return Err(malformed(format!("has a wrong value at `{}`{expected}", e.path())));
    }
    if !unknown.is_empty() {
        return Err(malformed(format!(
            "has settings this server does not know: {}",
            unknown.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
        )));
    }
    Ok(())
}

/// The address to listen on: `LEPTOS_SITE_ADDR` (as cargo-leptos sets it), else 127.0.0.1:3000.
pub fn site_addr() -> anyhow::Result<SocketAddr> {
    let addr = std::env::var("LEPTOS_SITE_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".into());
    addr.parse().with_context(|| format!("LEPTOS_SITE_ADDR `{addr}` is not an address like 127.0.0.1:3000"))
}
