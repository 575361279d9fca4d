//! The typed settings: every section, its defaults, and what the rest of the
//! server asks of them.

use super::fields;
use super::insights::InsightsSettings;
use super::raw;
use jewelry::{Currency, Locale, Locales};
use secrecy::SecretString;
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
    /// The currency the shop sells in (ISO 4217: `VND`, the default, or `USD`). The
    /// database records the currency its prices are in, and the shop will not
    /// start on one that holds another's.
    #[serde(deserialize_with = "fields::currency")]
    pub currency: Currency,
    /// The countries the shop ships to (`ships_to`, ISO 3166-1 alpha-2 codes,
    /// comma-separated in a variable): Vietnam by default. The first is the one the
    /// checkout form starts with.
    #[serde(deserialize_with = "fields::countries")]
    pub ships_to: Vec<&'static str>,
    /// The languages the shop offers (`locales`, codes comma-separated in a
    /// variable: `vi,en`, the default), in the order its language switcher shows them.
    #[serde(deserialize_with = "fields::locales")]
    pub locales: Vec<Locale>,
    /// The language of the shop's plain addresses (`/catalog`), one of `locales`:
    /// Vietnamese by default. Every other language's addresses start with its code
    /// (`/en/catalog`).
    #[serde(deserialize_with = "fields::locale")]
    pub default_locale: Locale,
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
    #[serde(deserialize_with = "fields::networks")]
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Mark cookies `Secure` though this server speaks plain HTTP: behind a proxy
    /// that terminates TLS. (Served with TLS, they always are.)
    pub secure_cookies: bool,
    /// HTTPS served by this binary.
    pub tls: Tls,
    /// Where shoppers reach the shop (`https://shop.example`): the canonical links,
    /// structured data, sitemap and link previews name it. By default this
    /// server's own address.
    #[serde(deserialize_with = "fields::optional_origin")]
    pub public_url: Option<String>,
    /// Cross-origin requests to `/events`.
    pub cors: CorsSettings,
    /// How long an accepted `eventId` is remembered to drop its duplicates
    /// (`dedup_window_secs`).
    #[serde(rename = "dedup_window_secs", deserialize_with = "fields::seconds")]
    pub dedup_window: Duration,
    /// How many `eventId`s are remembered at most.
    pub dedup_capacity: usize,
    /// How long the catalog's pages may be read from memory (`catalog_cache_secs`):
    /// a change made here shows at once; one made by another instance on the same
    /// database, within this long. Zero reads the database every time.
    #[serde(rename = "catalog_cache_secs", deserialize_with = "fields::seconds")]
    pub catalog_cache: Duration,
    /// Connections in the database pool.
    pub database_max_connections: u32,
    /// A connection (HTTP/1.1 or HTTP/2) that has had no request in flight for
    /// this long is closed (`idle_timeout_secs`). Behind a load balancer, keep it
    /// above the balancer's own idle timeout (60 s on AWS's).
    #[serde(rename = "idle_timeout_secs", deserialize_with = "fields::positive_seconds")]
    pub idle_timeout: Duration,
    /// The admins' insights page: its days' time zone and how long its counts are kept.
    pub insights: InsightsSettings,
    /// What the clickstream keeps of a shopper, and what the privacy page says of it.
    pub privacy: PrivacySettings,
    /// Sign-in: the development identity provider, or a Cognito user pool.
    pub auth: Auth,
    /// Where uploaded product images are stored and read from.
    pub media: Media,
    /// How the order emails leave the shop.
    pub mail: MailSettings,
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
pub struct PrivacySettings {
    /// Keep the shopper's whole address in clickstream and consent lines
    /// (`sourceIp`); by default it is cut to its network (IPv4 /24, IPv6 /48).
    pub full_source_ip: bool,
    /// How long the shop's log lines are kept, in days: the privacy page says so.
    /// The log file (`logs.file`) keeps this many daily files; the AWS template sets
    /// it to its log group's retention.
    #[serde(deserialize_with = "fields::positive_days")]
    pub log_retention_days: u32,
}

impl Default for PrivacySettings {
    fn default() -> Self {
        PrivacySettings { full_source_ip: false, log_retention_days: 90 }
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct MetricsSettings {
    /// A bearer token that lets anyone read `/metrics` (unset: loopback only).
    pub token: Option<SecretString>,
}

/// How the order emails leave the shop (`mail.transport`): every email is first
/// written to the database's outbox with what it reports, then delivered by a
/// sender in each instance.
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct MailSettings {
    pub transport: MailTransport,
    /// The sender, `Name <address>`: on SES a verified identity (its address or domain).
    pub from: String,
    /// `smtp` only: `smtps://user:password@mail.example.com` (TLS), or
    /// `smtp://user:password@mail.example.com:587?tls=required` (STARTTLS). A secret:
    /// on AWS it belongs in `APP_CONFIG`.
    pub smtp_url: Option<SecretString>,
    /// How long an instance holds an email it is sending before another instance may
    /// take it again (`lease_secs`): longer than a send takes.
    #[serde(rename = "lease_secs", deserialize_with = "fields::positive_seconds")]
    pub lease: Duration,
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            transport: MailTransport::File,
            from: "Lumen Jewelry <orders@lumen.example>".to_owned(),
            smtp_url: None,
            lease: Duration::from_secs(60),
        }
    }
}

/// Where emails go.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MailTransport {
    /// `.eml` files under `data_dir/mail`, one per email, listed for admins on
    /// `/admin/mail` (the embedded default: nothing leaves the machine).
    #[default]
    File,
    /// Amazon SES v2 (`SendEmail`), with the SDK's credentials and region.
    Ses,
    /// An SMTP server (`mail.smtp_url`).
    Smtp,
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
    #[serde(rename = "refresh_secs", deserialize_with = "fields::positive_seconds")]
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
    #[serde(deserialize_with = "fields::origins")]
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

    /// The languages offered and the default (checked together when the settings
    /// were read: the default is among those offered).
    pub fn languages(&self) -> Locales {
        Locales::new(self.default_locale, &self.locales).unwrap_or_default()
    }

    /// The address to listen on.
    pub fn listen_addr(&self) -> SocketAddr {
        let port = if self.tls.is_on() { 3443 } else { 3000 };
        self.site.addr.unwrap_or(SocketAddr::from(([127, 0, 0, 1], port)))
    }
}

impl<Auth: Default, Media: Default, Tls: Default> Default for SettingsOf<Auth, Media, Tls> {
    fn default() -> Self {
        SettingsOf {
            data_dir: PathBuf::from("data"),
            database_url: None,
            seed_catalog: true,
            currency: Currency::Vnd,
            ships_to: vec![jewelry::checkout::VIETNAM],
            locales: Locale::ALL.to_vec(),
            default_locale: Locale::Vi,
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
            privacy: PrivacySettings::default(),
            auth: Auth::default(),
            media: Media::default(),
            mail: MailSettings::default(),
            site: SiteSettings::default(),
        }
    }
}
