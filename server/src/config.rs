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

/// The server's settings. The store's and sign-in's are checked enums
/// ([`MediaSettings`], [`AuthSettings`]); they are read first as written
/// ([`RawSettings`], every section's keys optional), so every unknown key is
/// found before any choice is judged.
pub type Settings = SettingsOf<AuthSettings, MediaSettings, TlsSettings>;

/// The settings as they are written, before the store and provider are checked.
pub type RawSettings = SettingsOf<raw::Auth, raw::Media, raw::Tls>;

#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct SettingsOf<Auth, Media, Tls> {
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
    /// The networks of the proxies in front of the shop (CloudFront, a load
    /// balancer): only a peer in one of them is believed about the client's address
    /// (`X-Forwarded-For`) and scheme (`X-Forwarded-Proto`).
    #[serde(deserialize_with = "networks")]
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Mark cookies `Secure` though this server speaks plain HTTP: behind a proxy
    /// that terminates TLS. (Served with TLS, they always are.)
    pub secure_cookies: bool,
    /// HTTPS served by this binary.
    pub tls: Tls,
    /// Where shoppers reach the shop (`https://shop.example`): the canonical links,
    /// structured data, sitemap and link previews name it. By default this
    /// server's own address.
    #[serde(deserialize_with = "optional_origin")]
    pub public_url: Option<String>,
    /// Cross-origin requests to `/events`.
    pub cors: CorsSettings,
    /// How long an accepted `eventId` is remembered to drop its duplicates
    /// (`dedup_window_secs`).
    #[serde(rename = "dedup_window_secs", deserialize_with = "seconds")]
    pub dedup_window: Duration,
    /// How many `eventId`s are remembered at most.
    pub dedup_capacity: usize,
    /// How long the catalog's pages may be read from memory (`catalog_cache_secs`):
    /// a change made here shows at once; one made by another instance on the same
    /// database, within this long. Zero reads the database every time.
    #[serde(rename = "catalog_cache_secs", deserialize_with = "seconds")]
    pub catalog_cache: Duration,
    /// Connections in the database pool.
    pub database_max_connections: u32,
    /// A connection (HTTP/1.1 or HTTP/2) that has had no request in flight for
    /// this long is closed (`idle_timeout_secs`). Behind a load balancer, keep it
    /// above the balancer's own idle timeout (60 s on AWS's).
    #[serde(rename = "idle_timeout_secs", deserialize_with = "positive_seconds")]
    pub idle_timeout: Duration,
    /// The admins' insights page: its days' time zone and how long its counts are kept.
    pub insights: InsightsSettings,
    /// Sign-in: the development identity provider, or a Cognito user pool.
    pub auth: Auth,
    /// Where uploaded product images are stored and read from.
    pub media: Media,
    /// Where the shop listens and where its built site is (`LEPTOS_SITE_*`).
    #[serde(skip)]
    pub site: SiteSettings,
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

#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct InsightsSettings {
    /// The shop's time zone, an IANA name (`Europe/Paris`): where its days begin.
    pub time_zone: String,
    /// Counts older than this many days are deleted.
    pub retention_days: u32,
}

impl Default for InsightsSettings {
    fn default() -> Self {
        InsightsSettings { time_zone: "UTC".to_owned(), retention_days: crate::insights::DEFAULT_RETENTION_DAYS }
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
    /// How often both secrets are read again (`refresh_secs`, at least 1).
    #[serde(rename = "refresh_secs", deserialize_with = "positive_seconds")]
    pub refresh: Duration,
}

impl Default for SecretsSettings {
    fn default() -> Self {
        SecretsSettings { config_id: None, db_password_id: None, refresh: Duration::from_secs(300) }
    }
}

/// Where uploaded product images are stored and read from (`media.store`, then
/// that store's own settings).
#[derive(Clone, Debug, Default)]
pub enum MediaSettings {
    /// Files in `data_dir/media`, uploaded to and served by this server (embedded profile).
    #[default]
    Local,
    /// A private S3 bucket, uploaded to with presigned URLs, read through a CDN.
    S3(S3Settings),
}

/// The S3 bucket for images. Credentials and region come from the AWS SDK's
/// usual chain (environment, profile, instance or task role); `AWS_ENDPOINT_URL_S3`
/// points it at an emulator.
#[derive(Clone, Debug)]
pub struct S3Settings {
    pub bucket: String,
    /// Where images are read: the CloudFront distribution in front of the bucket,
    /// like `https://d1234.cloudfront.net` (no trailing `/`); an image's URL is
    /// `<cdn_base_url>/<key>`.
    pub cdn_base_url: String,
    /// Overrides the SDK's region.
    pub region: Option<String>,
    /// Path-style bucket addressing (`<endpoint>/<bucket>/<key>`), for emulators.
    pub force_path_style: bool,
}

/// Sign-in (`auth.provider`, then that provider's own settings).
#[derive(Clone, Debug, Default)]
pub enum AuthSettings {
    /// The built-in development identity provider (embedded profile).
    #[default]
    Dev,
    /// An Amazon Cognito user pool and its hosted UI.
    Cognito(CognitoSettings),
}

/// A Cognito user pool and app client, with the hosted UI's addresses.
#[derive(Clone, Debug)]
pub struct CognitoSettings {
    /// The tokens' `iss`: `https://cognito-idp.<region>.amazonaws.com/<pool id>`.
    pub issuer: String,
    /// Where the signing keys are: `<issuer>/.well-known/jwks.json` unless set.
    /// (Emulators serve them locally while signing with AWS's issuer.)
    pub jwks_url: String,
    /// The app client: the `aud` of id tokens and `client_id` of access tokens.
    pub client_id: String,
    /// The app client's secret, when it has one.
    pub client_secret: Option<SecretString>,
    /// The hosted UI: `https://<prefix>.auth.<region>.amazoncognito.com` (no trailing `/`).
    pub domain: String,
    /// This shop's `/auth/callback`, as registered on the app client.
    pub redirect_url: String,
    /// Where Cognito sends the browser after signing out (registered too); the
    /// shop's home page unless set.
    pub logout_url: Option<String>,
}

/// HTTPS served by this binary (`tls.*`), or none.
#[derive(Clone, Debug, Default)]
pub enum TlsSettings {
    /// Plain HTTP: on a laptop, or behind a proxy that terminates TLS.
    #[default]
    Off,
    On(TlsOn),
}

#[derive(Clone, Debug)]
pub struct TlsOn {
    pub certificate: Certificate,
    /// Also listen here for plain HTTP, answering every request with a redirect
    /// to the same path over HTTPS.
    pub redirect_addr: Option<SocketAddr>,
}

/// The certificate TLS is served with.
#[derive(Clone, Debug)]
pub enum Certificate {
    /// PEM files (the chain, then the private key), read again when they change.
    Files { cert_file: PathBuf, key_file: PathBuf },
    /// A development certificate for `localhost` and `127.0.0.1`, made on first
    /// start and kept in the data directory.
    SelfSigned,
}

impl TlsSettings {
    pub fn is_on(&self) -> bool {
        matches!(self, TlsSettings::On(_))
    }
}

/// Who may send events from another origin.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct CorsSettings {
    /// Origins (`https://other.example`, scheme, host and port only) whose pages
    /// may `POST /events` cross-origin, preflight included.
    #[serde(deserialize_with = "origins")]
    pub allowed_origins: Vec<String>,
}

/// Where the shop listens and where its built site is. From cargo-leptos's
/// variables, as `cargo leptos serve` sets them, not from `APP_*`.
#[derive(Clone, Debug)]
pub struct SiteSettings {
    /// `LEPTOS_SITE_ADDR`; port 0 picks a free one. Unset: 127.0.0.1:3000, or
    /// 127.0.0.1:3443 with TLS.
    pub addr: Option<SocketAddr>,
    /// `LEPTOS_SITE_ROOT`: the built site (`pkg/` and static files).
    pub root: PathBuf,
}

impl Default for SiteSettings {
    fn default() -> Self {
        SiteSettings { addr: None, root: PathBuf::from("target/site") }
    }
}

impl SiteSettings {
    /// `LEPTOS_SITE_ADDR` and `LEPTOS_SITE_ROOT`, each its default when unset.
    pub fn from_env() -> anyhow::Result<SiteSettings> {
        let mut site = SiteSettings::default();
        if let Ok(addr) = std::env::var("LEPTOS_SITE_ADDR") {
            site.addr = Some(
                addr.parse()
                    .with_context(|| format!("LEPTOS_SITE_ADDR `{addr}` is not an address like 127.0.0.1:3000"))?,
            );
        }
        if let Some(root) = std::env::var_os("LEPTOS_SITE_ROOT") {
            site.root = PathBuf::from(root);
        }
        Ok(site)
    }
}

impl Settings {
    /// Cookies are `Secure` when this server speaks TLS, or when told so (behind a
    /// proxy that terminates it).
    pub fn cookies_secure(&self) -> bool {
        self.secure_cookies || self.tls.is_on()
    }

    /// Where shoppers reach the shop: `public_url`, else this server at `bound`.
    pub fn public_origin(&self, bound: SocketAddr) -> String {
        match &self.public_url {
            Some(url) => url.clone(),
            None => format!("{}://{bound}", if self.tls.is_on() { "https" } else { "http" }),
        }
    }

    /// The address to listen on.
    pub fn listen_addr(&self) -> SocketAddr {
        let port = if self.tls.is_on() { 3443 } else { 3000 };
        self.site.addr.unwrap_or(SocketAddr::from(([127, 0, 0, 1], port)))
    }
}

/// The settings as they are written (every store's and provider's keys optional),
/// checked into the typed ones above.
pub mod raw {
    use secrecy::SecretString;
    use serde::Deserialize;
    use std::net::SocketAddr;
    use std::path::PathBuf;

    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Store {
        #[default]
        Local,
        S3,
    }

    #[derive(Clone, Debug, Default, Deserialize)]
    #[serde(default)]
    pub struct Media {
        store: Store,
        s3: Option<S3>,
    }

    #[derive(Clone, Debug, Default, Deserialize)]
    #[serde(default)]
    struct S3 {
        bucket: Option<String>,
        cdn_base_url: Option<String>,
        region: Option<String>,
        force_path_style: bool,
    }

    impl TryFrom<Media> for super::MediaSettings {
        type Error = String;

        fn try_from(raw: Media) -> Result<Self, String> {
            match (raw.store, raw.s3) {
                (Store::Local, None) => Ok(super::MediaSettings::Local),
                (Store::Local, Some(_)) => Err(not_chosen("media.s3", "media.store", "s3")),
                (Store::S3, s3) => {
                    let s3 = s3.unwrap_or_default();
                    let bucket = required(s3.bucket, "media.s3.bucket", "media.store", "s3")?;
                    let cdn_base_url = required(s3.cdn_base_url, "media.s3.cdn_base_url", "media.store", "s3")?;
                    if !(cdn_base_url.starts_with("https://") || cdn_base_url.starts_with("http://")) {
                        return Err(format!(
                            "`media.s3.cdn_base_url` ({}) is not the CDN's address (https://...)",
                            env_name("media.s3.cdn_base_url")
                        ));
                    }
                    Ok(super::MediaSettings::S3(super::S3Settings {
                        bucket,
                        cdn_base_url: cdn_base_url.trim_end_matches('/').to_owned(),
                        region: s3.region.filter(|r| !r.is_empty()),
                        force_path_style: s3.force_path_style,
                    }))
                }
            }
        }
    }

    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Provider {
        #[default]
        Dev,
        Cognito,
    }

    #[derive(Clone, Debug, Default, Deserialize)]
    #[serde(default)]
    pub struct Auth {
        provider: Provider,
        cognito: Option<Cognito>,
    }

    #[derive(Clone, Debug, Default, Deserialize)]
    #[serde(default)]
    struct Cognito {
        issuer: Option<String>,
        jwks_url: Option<String>,
        client_id: Option<String>,
        client_secret: Option<SecretString>,
        domain: Option<String>,
        redirect_url: Option<String>,
        logout_url: Option<String>,
    }

    impl TryFrom<Auth> for super::AuthSettings {
        type Error = String;

        fn try_from(raw: Auth) -> Result<Self, String> {
            match (raw.provider, raw.cognito) {
                (Provider::Dev, None) => Ok(super::AuthSettings::Dev),
                (Provider::Dev, Some(_)) => Err(not_chosen("auth.cognito", "auth.provider", "cognito")),
                (Provider::Cognito, cognito) => {
                    let c = cognito.unwrap_or_default();
                    let needed = |value, key| required(value, key, "auth.provider", "cognito");
                    let issuer = needed(c.issuer, "auth.cognito.issuer")?.trim_end_matches('/').to_owned();
                    let jwks_url = c
                        .jwks_url
                        .filter(|u| !u.is_empty())
                        .unwrap_or_else(|| format!("{issuer}/.well-known/jwks.json"));
                    Ok(super::AuthSettings::Cognito(super::CognitoSettings {
                        jwks_url,
                        issuer,
                        client_id: needed(c.client_id, "auth.cognito.client_id")?,
                        client_secret: c.client_secret,
                        domain: needed(c.domain, "auth.cognito.domain")?.trim_end_matches('/').to_owned(),
                        redirect_url: needed(c.redirect_url, "auth.cognito.redirect_url")?,
                        logout_url: c.logout_url.filter(|u| !u.is_empty()),
                    }))
                }
            }
        }
    }

    #[derive(Clone, Debug, Default, Deserialize)]
    #[serde(default)]
    pub struct Tls {
        cert_file: Option<PathBuf>,
        key_file: Option<PathBuf>,
        self_signed: bool,
        redirect_addr: Option<SocketAddr>,
    }

    impl TryFrom<Tls> for super::TlsSettings {
        type Error = String;

        fn try_from(raw: Tls) -> Result<Self, String> {
            use super::{Certificate, TlsOn, TlsSettings};
            let certificate = match (raw.self_signed, raw.cert_file, raw.key_file) {
                (false, None, None) => {
                    return match raw.redirect_addr {
                        None => Ok(TlsSettings::Off),
                        Some(_) => Err("`tls.redirect_addr` (APP_TLS__REDIRECT_ADDR) redirects to HTTPS, which is off: set `tls.cert_file` and `tls.key_file`, or `tls.self_signed`".into()),
                    };
                }
                (true, None, None) => Certificate::SelfSigned,
                (false, Some(cert_file), Some(key_file)) => Certificate::Files { cert_file, key_file },
                (true, _, _) => {
                    return Err("`tls.self_signed` (APP_TLS__SELF_SIGNED) makes its own certificate: leave out `tls.cert_file` and `tls.key_file`, or set it to false".into());
                }
                (false, _, _) => {
                    return Err("`tls.cert_file` and `tls.key_file` (APP_TLS__CERT_FILE, APP_TLS__KEY_FILE) go together: set both".into());
                }
            };
            Ok(TlsSettings::On(TlsOn { certificate, redirect_addr: raw.redirect_addr }))
        }
    }

    /// `media.s3.bucket` is `APP_MEDIA__S3__BUCKET` in the environment.
    fn env_name(key: &str) -> String {
        format!("APP_{}", key.replace('.', "__").to_ascii_uppercase())
    }

    fn required(value: Option<String>, key: &str, chooser: &str, choice: &str) -> Result<String, String> {
        value
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| format!("`{key}` ({}) must be set when `{chooser}` is {choice}", env_name(key)))
    }

    /// Settings of a store or provider that is not the one chosen: a mistake to
    /// say, not to ignore.
    fn not_chosen(section: &str, chooser: &str, choice: &str) -> String {
        format!(
            "`{section}` is set but `{chooser}` is not {choice}: set {} to {choice}, or remove the `{section}` settings",
            env_name(chooser)
        )
    }
}

/// A list of `T`, each entry read from its text by `parse` (a list in the
/// settings file, comma-separated in a variable; blank entries are skipped), an
/// entry it refuses named with what was `expected`.
fn entries<'de, D, T>(
    deserializer: D,
    expected: &'static str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let entries = Vec::<String>::deserialize(deserializer)?;
    entries
        .iter()
        .map(|e| e.trim())
        .filter(|e| !e.is_empty())
        .map(|entry| {
            parse(entry).ok_or_else(|| serde::de::Error::invalid_value(serde::de::Unexpected::Str(entry), &expected))
        })
        .collect()
}

/// Networks as CIDRs (`10.0.0.0/8`) or single addresses (`10.0.0.5`).
fn networks<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<ipnet::IpNet>, D::Error> {
    entries(deserializer, "a network like 10.0.0.0/8 or an address", |entry| {
        entry.parse::<ipnet::IpNet>().or_else(|_| entry.parse::<std::net::IpAddr>().map(ipnet::IpNet::from)).ok()
    })
}

/// `entry` as a web origin (scheme, host, optional port), or `None`.
fn origin(entry: &str) -> Option<String> {
    let url = url::Url::parse(entry).ok()?;
    let plain = url.path() == "/" && url.query().is_none() && url.fragment().is_none();
    (matches!(url.scheme(), "http" | "https") && url.host_str().is_some() && plain)
        .then(|| url.origin().ascii_serialization())
}

/// Web origins: scheme, host and port, as browsers send them in `Origin` (a
/// trailing `/` is dropped; a path is refused).
fn origins<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    entries(deserializer, "an origin like https://shop.example (scheme, host and optional port)", origin)
}

/// One web origin, as [`origins`] reads them.
fn optional_origin<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    match Option::<String>::deserialize(deserializer)? {
        None => Ok(None),
        Some(entry) if entry.trim().is_empty() => Ok(None),
        Some(entry) => origin(entry.trim()).map(Some).ok_or_else(|| {
            serde::de::Error::invalid_value(
                serde::de::Unexpected::Str(&entry),
                &"an origin like https://shop.example (scheme, host and optional port)",
            )
        }),
    }
}

/// Whole seconds, as the settings write durations.
fn seconds<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
    u64::deserialize(deserializer).map(Duration::from_secs)
}

/// Whole seconds, at least one.
fn positive_seconds<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
    match u64::deserialize(deserializer)? {
        0 => Err(serde::de::Error::invalid_value(serde::de::Unexpected::Unsigned(0), &"at least 1 second")),
        secs => Ok(Duration::from_secs(secs)),
    }
}

impl<Auth: Default, Media: Default, Tls: Default> Default for SettingsOf<Auth, Media, Tls> {
    fn default() -> Self {
        SettingsOf {
            data_dir: PathBuf::from("data"),
            database_url: None,
            seed_catalog: true,
            logs: LogSettings::default(),
            secrets: SecretsSettings::default(),
            metrics: MetricsSettings::default(),
            config_file: None,
            trusted_proxies: Vec::new(),
            secure_cookies: false,
            tls: Tls::default(),
            public_url: None,
            cors: CorsSettings::default(),
            dedup_window: Duration::from_secs(15 * 60),
            dedup_capacity: 1_000_000,
            catalog_cache: Duration::from_secs(2),
            database_max_connections: 8,
            idle_timeout: Duration::from_secs(75),
            insights: InsightsSettings::default(),
            auth: Auth::default(),
            media: Media::default(),
            site: SiteSettings::default(),
        }
    }
}

impl RawSettings {
    /// The settings with the store and provider checked: the chosen one's settings
    /// all there, no other's set.
    pub fn checked(self) -> Result<Settings, String> {
        let SettingsOf {
            data_dir,
            database_url,
            seed_catalog,
            logs,
            secrets,
            metrics,
            config_file,
            trusted_proxies,
            secure_cookies,
            tls,
            public_url,
            cors,
            dedup_window,
            dedup_capacity,
            catalog_cache,
            database_max_connections,
            idle_timeout,
            insights,
            auth,
            media,
            site,
        } = self;
        Ok(SettingsOf {
            auth: AuthSettings::try_from(auth)?,
            media: MediaSettings::try_from(media)?,
            tls: TlsSettings::try_from(tls)?,
            data_dir,
            database_url,
            seed_catalog,
            logs,
            secrets,
            metrics,
            config_file,
            trusted_proxies,
            secure_cookies,
            public_url,
            cors,
            dedup_window,
            dedup_capacity,
            catalog_cache,
            database_max_connections,
            idle_timeout,
            insights,
            site,
        })
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
        let site = SiteSettings::from_env()?;
        // Without the secret's layer only the secrets' ids are read: the choices
        // (store, provider, TLS) are judged once every layer is in.
        let first = layered_raw(file.as_deref(), None)?;
        if first.secrets.config_id.is_none() && first.secrets.db_password_id.is_none() {
            return Ok(Loaded { settings: Settings { site, ..checked(first)? }, refresher: None });
        }
        let sdk = crate::aws::sdk_config(None).await;
        let source = crate::secrets::SecretSource::new(&sdk);
        // Where `database_url` was set, highest layer first, to name it in errors.
        let mut url_origin = std::env::var_os("APP_DATABASE_URL").map(|_| "APP_DATABASE_URL".to_owned());
        let (mut settings, config) = match first.secrets.config_id.clone() {
            Some(id) => {
                let read = source.read(&id, "APP_CONFIG").await?;
                let object = crate::secrets::config_object(&id, &read.value)?;
                check_config_secret(&id, &object)?;
                if object.contains_key("database_url") {
                    url_origin.get_or_insert_with(|| format!("`database_url` in the APP_CONFIG secret `{id}`"));
                }
                let json = serde_json::Value::Object(object).to_string();
                (Settings { site, ..layered(file.as_deref(), Some(&json))? }, Some((id, read.value)))
            }
            None => (Settings { site, ..checked(first)? }, None),
        };
        let url_origin = url_origin.unwrap_or_else(|| match &file {
            Some(file) => format!("`database_url` in {file} (APP_CONFIG_FILE)"),
            None => "APP_DATABASE_URL".to_owned(),
        });
        let db = match settings.secrets.db_password_id.clone() {
            Some(id) => {
                let read = source.read(&id, "DB_PASSWORD").await?;
                let credentials = crate::secrets::DbCredentials::parse(&id, &read.value)?;
                let base =
                    settings.database_url.take().map(|url| crate::secrets::BaseUrl { url, origin: url_origin.clone() });
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
            every: settings.secrets.refresh,
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
}

/// Defaults, then `file`, then `secret` (JSON), then the environment; keys the
/// settings do not have are an error that names them.
fn layered(file: Option<&str>, secret: Option<&str>) -> anyhow::Result<Settings> {
    checked(layered_raw(file, secret)?)
}

/// The store, provider and TLS choices judged.
fn checked(raw: RawSettings) -> anyhow::Result<Settings> {
    raw.checked().map_err(|problem| anyhow::anyhow!("the configuration has a wrong value: {problem}"))
}

/// [`layered`] before the choices are judged.
fn layered_raw(file: Option<&str>, secret: Option<&str>) -> anyhow::Result<RawSettings> {
    let mut builder = config::Config::builder();
    if let Some(file) = file {
        builder = builder.add_source(config::File::with_name(file).format(config::FileFormat::Toml).required(true));
    }
    if let Some(json) = secret {
        builder = builder.add_source(config::File::from_str(json, config::FileFormat::Json));
    }
    let layers = builder
        .add_source(
            config::Environment::with_prefix("APP")
                .prefix_separator("_")
                .separator("__")
                .try_parsing(true)
                .list_separator(",")
                .with_list_parse_key("trusted_proxies")
                .with_list_parse_key("cors.allowed_origins"),
        )
        .build()
        .context("reading the configuration")?;
    let mut unknown = Vec::new();
    let settings: RawSettings = serde_ignored::deserialize(layers, |path| unknown.push(key_of(&path)))
        .context("the configuration has a wrong value")?;
    // Unknown keys before the choices: a typo is the likelier cause of a missing setting.
    if !unknown.is_empty() {
        anyhow::bail!(
            "the configuration has settings this server does not know: {} (from APP_CONFIG_FILE, the APP_CONFIG secret or APP_* variables; see the README's table)",
            unknown.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
        );
    }
    Ok(settings)
}

/// A setting's key as the README writes it: serde_ignored marks the inside of an
/// `Option` (the raw store and provider sections) with a `?` of its own.
fn key_of(path: &serde_ignored::Path<'_>) -> String {
    path.to_string().replace(".?", "")
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
    let checked: Result<RawSettings, _> =
        serde_path_to_error::deserialize(serde_ignored::Deserializer::new(value, &mut |path: serde_ignored::Path<
            '_,
        >| {
            unknown.push(key_of(&path))
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
    // The store and provider are judged with every layer together, in `layered`:
    // the secret may hold a choice's settings while the environment makes it.
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn settings(value: serde_json::Value) -> Result<Settings, String> {
        serde_json::from_value::<RawSettings>(value).map_err(|e| e.to_string())?.checked()
    }

    fn cognito() -> serde_json::Value {
        json!({"issuer": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_POOL/", "client_id": "client123",
               "domain": "https://shop.auth.eu-west-1.amazoncognito.com/",
               "redirect_url": "https://shop.example/auth/callback"})
    }

    #[test]
    fn cognito_settings_exist_only_when_cognito_is_the_provider() {
        let chosen = settings(json!({"auth": {"provider": "cognito", "cognito": cognito()}})).unwrap();
        let AuthSettings::Cognito(c) = chosen.auth else { panic!("cognito was chosen") };
        assert_eq!(c.issuer, "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_POOL");
        assert_eq!(c.jwks_url, "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_POOL/.well-known/jwks.json");
        assert_eq!(c.domain, "https://shop.auth.eu-west-1.amazoncognito.com");
        assert_eq!(c.logout_url, None);
        assert!(matches!(settings(json!({})).unwrap().auth, AuthSettings::Dev));
        let stray = settings(json!({"auth": {"cognito": cognito()}})).unwrap_err();
        assert!(stray.contains("`auth.cognito` is set but `auth.provider` is not cognito"), "{stray}");
        assert!(stray.contains("APP_AUTH__PROVIDER"), "{stray}");
    }

    #[test]
    fn a_missing_or_empty_cognito_setting_is_named_with_its_variable() {
        let error = settings(json!({"auth": {"provider": "cognito"}})).unwrap_err();
        assert!(error.contains("`auth.cognito.issuer` (APP_AUTH__COGNITO__ISSUER) must be set"), "{error}");
        let mut blank = cognito();
        blank["redirect_url"] = json!(" ");
        let error = settings(json!({"auth": {"provider": "cognito", "cognito": blank}})).unwrap_err();
        assert!(error.contains("APP_AUTH__COGNITO__REDIRECT_URL"), "{error}");
    }

    #[test]
    fn s3_settings_need_a_bucket_and_the_cdn_address() {
        let s3 = |cdn: &str| json!({"media": {"store": "s3", "s3": {"bucket": "images", "cdn_base_url": cdn}}});
        let MediaSettings::S3(chosen) = settings(s3("https://d1.cloudfront.net/")).unwrap().media else {
            panic!("s3 was chosen")
        };
        assert_eq!((chosen.bucket.as_str(), chosen.cdn_base_url.as_str()), ("images", "https://d1.cloudfront.net"));
        let error = settings(s3("d1.cloudfront.net")).unwrap_err();
        assert!(error.contains("APP_MEDIA__S3__CDN_BASE_URL") && error.contains("https://"), "{error}");
        let error = settings(json!({"media": {"store": "s3"}})).unwrap_err();
        assert!(error.contains("APP_MEDIA__S3__BUCKET"), "{error}");
        let stray = settings(json!({"media": {"s3": {"bucket": "images"}}})).unwrap_err();
        assert!(stray.contains("`media.s3` is set but `media.store` is not s3"), "{stray}");
    }

    #[test]
    fn networks_and_origins_are_read_entry_by_entry_and_a_bad_one_is_named() {
        let read = settings(json!({"trusted_proxies": ["10.0.0.0/8", " 192.0.2.7 ", ""],
                                   "cors": {"allowed_origins": ["https://journal.example/", "http://a.example:8080"]}}))
        .unwrap();
        assert_eq!(
            read.trusted_proxies,
            ["10.0.0.0/8".parse::<ipnet::IpNet>().unwrap(), "192.0.2.7/32".parse().unwrap()]
        );
        assert_eq!(read.cors.allowed_origins, ["https://journal.example", "http://a.example:8080"]);
        let error = settings(json!({"trusted_proxies": ["10.0.0.0/33"]})).unwrap_err();
        assert!(error.contains("a network like 10.0.0.0/8"), "{error}");
        let error = settings(json!({"cors": {"allowed_origins": ["https://journal.example/path"]}})).unwrap_err();
        assert!(error.contains("an origin like https://shop.example"), "{error}");
    }

    #[test]
    fn durations_are_read_in_seconds_and_a_zero_refresh_is_refused() {
        let read = settings(json!({"dedup_window_secs": 90, "secrets": {"refresh_secs": 60}})).unwrap();
        assert_eq!((read.dedup_window, read.secrets.refresh), (Duration::from_secs(90), Duration::from_secs(60)));
        let error = settings(json!({"secrets": {"refresh_secs": 0}})).unwrap_err();
        assert!(error.contains("at least 1 second"), "{error}");
    }
}
