//! The AWS profile's secrets, read from Secrets Manager: `APP_CONFIG` (settings,
//! as JSON in the config file's nesting) and `DB_PASSWORD` (the database's
//! password, plain or as an RDS-style JSON object).
//!
//! A value is held as a [`SecretString`] from the moment it arrives; errors name
//! the secret's id and what is wrong with it (a missing key, a JSON error's
//! position, a setting's path), never a value. Both are read again every
//! `APP_SECRETS__REFRESH_SECS`; a new `DB_PASSWORD` applies to new database
//! connections without a restart, and a connection refused for a wrong password
//! forces one early, rate-limited read ([`Refresher::after_refusal`]).
//!
//! AWS's own caching crate is not used: its default TLS stack is aws-lc, its
//! errors are not `Send`, and its output's `Debug` prints the secret.

use aws_sdk_secretsmanager::Client;
use aws_sdk_secretsmanager::error::{DisplayErrorContext, ProvideErrorMetadata};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::AnyPool;
use sqlx::any::AnyConnectOptions;
use std::str::FromStr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What is wrong with a secret. Its `Display` names the secret's id and never
/// holds a value.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("the secret `{id}` ({what}) could not be read: {reason}")]
    Unreadable { id: String, what: &'static str, reason: String },
    #[error("the secret `{id}` ({what}) {problem}")]
    Malformed { id: String, what: &'static str, problem: String },
}

/// Reads secrets' current versions (`AWSCURRENT`).
#[derive(Clone)]
pub struct SecretSource {
    client: Client,
}

/// One secret's value and the version it came from.
pub struct SecretValue {
    pub value: SecretString,
    pub version_id: Option<String>,
}

impl SecretSource {
    pub fn new(sdk: &aws_config::SdkConfig) -> SecretSource {
        SecretSource { client: Client::new(sdk) }
    }

    pub async fn read(&self, id: &str, what: &'static str) -> Result<SecretValue, SecretError> {
        let unreadable = |reason: String| SecretError::Unreadable { id: id.to_owned(), what, reason };
        let output = self.client.get_secret_value().secret_id(id).send().await.map_err(|e| {
            // A service error's code and message (no value: the call failed), or
            // why the call did not get through.
            let reason = match (e.code(), e.message()) {
                (Some(code), Some(message)) => format!("{code}: {message}"),
                (Some(code), None) => code.to_owned(),
                _ => DisplayErrorContext(&e).to_string(),
            };
            unreadable(reason)
        })?;
        let version_id = output.version_id().map(str::to_owned);
        let value = match (output.secret_string(), output.secret_binary()) {
            (Some(text), _) => SecretString::from(text.to_owned()),
            (None, Some(bytes)) => match std::str::from_utf8(bytes.as_ref()) {
                Ok(text) => SecretString::from(text.to_owned()),
                Err(_) => return Err(unreadable("its binary value is not UTF-8 text".into())),
            },
            (None, None) => return Err(unreadable("its current version holds no value".into())),
        };
        Ok(SecretValue { value, version_id })
    }
}

/// Where a JSON text fails to parse, without quoting any of it.
pub fn json_problem(e: &serde_json::Error) -> String {
    let kind = match e.classify() {
        serde_json::error::Category::Eof => "ends too early",
        serde_json::error::Category::Syntax => "has a syntax error",
        serde_json::error::Category::Data | serde_json::error::Category::Io => "could not be read",
    };
    format!("is not JSON: it {kind} at line {}, column {}", e.line(), e.column())
}

/// `APP_CONFIG`'s value as a JSON object.
pub fn config_object(id: &str, value: &SecretString) -> Result<serde_json::Map<String, Value>, SecretError> {
    let malformed = |problem: String| SecretError::Malformed { id: id.to_owned(), what: "APP_CONFIG", problem };
    match serde_json::from_str::<Value>(value.expose_secret()) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(malformed("is not a JSON object of settings".into())),
        Err(e) => Err(malformed(json_problem(&e))),
    }
}

/// `DB_PASSWORD`'s value: the password alone, or an object with `password` and
/// optionally `username`, `host`, `port`, `dbname` (as RDS-managed secrets hold them).
pub struct DbCredentials {
    password: SecretString,
    username: Option<String>,
    host: Option<String>,
    port: Option<u16>,
    dbname: Option<String>,
}

impl DbCredentials {
    pub fn parse(id: &str, value: &SecretString) -> Result<DbCredentials, SecretError> {
        let malformed = |problem: &str| SecretError::Malformed {
            id: id.to_owned(),
            what: "DB_PASSWORD",
            problem: problem.to_owned(),
        };
        let text = value.expose_secret();
        if !text.trim_start().starts_with('{') {
            if text.is_empty() {
                return Err(malformed("is empty"));
            }
            return Ok(DbCredentials { password: value.clone(), username: None, host: None, port: None, dbname: None });
        }
        let object = match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(map)) => map,
            Ok(_) => return Err(malformed("is not a JSON object")),
            Err(e) => return Err(malformed(&json_problem(&e))),
        };
        let text_field = |key: &str| -> Result<Option<String>, SecretError> {
            match object.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(malformed(&format!("has `{key}` that is not a string"))),
            }
        };
        let password = match object.get("password") {
            Some(Value::String(p)) if !p.is_empty() => SecretString::from(p.clone()),
            Some(Value::String(_)) => return Err(malformed("has an empty `password`")),
            Some(_) => return Err(malformed("has `password` that is not a string")),
            None => return Err(malformed("has no `password`")),
        };
        let port = match object.get("port") {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) => Some(
                n.as_u64()
                    .and_then(|n| u16::try_from(n).ok())
                    .ok_or_else(|| malformed("has a `port` that is not a port number"))?,
            ),
            Some(Value::String(s)) => {
                Some(s.parse::<u16>().map_err(|_| malformed("has a `port` that is not a port number"))?)
            }
            Some(_) => return Err(malformed("has a `port` that is not a port number")),
        };
        Ok(DbCredentials {
            password,
            username: text_field("username")?,
            host: text_field("host")?,
            port,
            dbname: text_field("dbname")?,
        })
    }

    /// The URL to connect with: `base` (the configured `database_url`, which must
    /// hold no password; errors name where it was set) with this password. The secret's user name wins over the
    /// URL's, since a password belongs to its user (alternating-users rotation
    /// changes both); its host, port and database fill in what the URL leaves out.
    pub fn database_url(&self, id: &str, base: Option<&BaseUrl>) -> Result<SecretString, SecretError> {
        let malformed = |problem: &str| SecretError::Malformed {
            id: id.to_owned(),
            what: "DB_PASSWORD",
            problem: problem.to_owned(),
        };
        let origin = base.map_or("APP_DATABASE_URL", |b| b.origin.as_str());
        let mut url = match base {
            Some(base) => {
                let text = base.url.expose_secret();
                if !(text.starts_with("postgres://") || text.starts_with("postgresql://")) {
                    return Err(malformed(&format!("is for PostgreSQL, and {origin} is not a postgres:// URL")));
                }
                // Parse errors are reported without the URL.
                url::Url::parse(text)
                    .map_err(|e| malformed(&format!("cannot be combined with {origin}, which is not a URL ({e})")))?
            }
            None => url::Url::parse("postgres://").expect("a constant URL"),
        };
        if base.is_some() && url.password().is_some() {
            return Err(malformed(&format!(
                "is set, and {origin} holds a password too: take the password out of the URL (postgres://user@host:5432/db)"
            )));
        }
        let bad = |_| malformed("holds a user name, host or database the URL cannot carry");
        if url.host_str().is_none_or(str::is_empty) {
            let Some(host) = &self.host else {
                return Err(malformed(&format!("has no `host`, and {origin} does not name one")));
            };
            url.set_host(Some(host)).map_err(|_| malformed("has a `host` that is not a host name"))?;
        }
        if url.port().is_none() {
            url.set_port(self.port).map_err(bad)?;
        }
        if let Some(dbname) = self.dbname.as_ref().filter(|_| url.path().trim_start_matches('/').is_empty()) {
            url.set_path(&format!("/{dbname}"));
        }
        if let Some(username) = &self.username {
            url.set_username(username).map_err(bad)?;
        }
        if url.username().is_empty() {
            return Err(malformed(&format!("has no `username`, and {origin} names no user")));
        }
        // The URL's userinfo encoding leaves `%` as it is, and the driver percent-decodes
        // the password it reads back: a password holding `%C3` or `%41` would arrive
        // mangled (or not at all). `%` goes in as `%25`.
        url.set_password(Some(&self.password.expose_secret().replace('%', "%25"))).map_err(bad)?;
        Ok(SecretString::from(String::from(url)))
    }
}

/// The configured `database_url` that `DB_PASSWORD` completes, and where it was
/// set, as an operator would look for it: `APP_DATABASE_URL`, `database_url` in
/// the `APP_CONFIG` secret (by its id), or in the settings file (by its path).
#[derive(Clone)]
pub struct BaseUrl {
    pub url: SecretString,
    pub origin: String,
}

/// A digest of a value, to notice a change without keeping a second copy.
fn digest(value: &SecretString) -> [u8; 32] {
    Sha256::digest(value.expose_secret().as_bytes()).into()
}

/// How soon after one forced read of `DB_PASSWORD` another may be made.
pub const FORCED_READ_GAP: Duration = Duration::from_secs(5);

/// What the refresher reads again.
pub struct Refresher {
    source: SecretSource,
    /// `APP_CONFIG`'s id and a digest of the value start-up applied.
    config: Option<(String, [u8; 32])>,
    /// `DB_PASSWORD`'s id and the configured URL it completes.
    db: Option<(String, Option<BaseUrl>)>,
    /// The URL now in use, as a digest.
    url_in_use: Mutex<Option<[u8; 32]>>,
    last_forced: tokio::sync::Mutex<Option<Instant>>,
    pub every: Duration,
}

/// What start-up read from the secrets, for the refresher to watch.
pub struct Watched {
    pub source: SecretSource,
    pub config: Option<(String, SecretString)>,
    pub db: Option<(String, Option<BaseUrl>)>,
    pub url_in_use: Option<SecretString>,
    pub every: Duration,
}

impl Refresher {
    pub fn new(watched: Watched) -> Refresher {
        Refresher {
            source: watched.source,
            config: watched.config.map(|(id, value)| (id, digest(&value))),
            db: watched.db,
            url_in_use: Mutex::new(watched.url_in_use.as_ref().map(digest)),
            last_forced: tokio::sync::Mutex::new(None),
            every: watched.every,
        }
    }

    /// Reads both secrets every [`Refresher::every`], for as long as the server runs.
    pub async fn run(&self, pool: AnyPool) {
        let mut every = tokio::time::interval(self.every);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        every.tick().await;
        loop {
            every.tick().await;
            self.refresh_config().await;
            self.refresh_db_password(&pool, "scheduled").await;
        }
    }

    /// A connection was refused for a wrong password: read `DB_PASSWORD` now,
    /// unless that was done less than [`FORCED_READ_GAP`] ago. Callers that
    /// arrive together share one read.
    pub async fn after_refusal(&self, pool: &AnyPool) {
        let mut last = self.last_forced.lock().await;
        if last.is_some_and(|at| at.elapsed() < FORCED_READ_GAP) {
            return;
        }
        self.refresh_db_password(pool, "refused").await;
        *last = Some(Instant::now());
    }

    async fn refresh_config(&self) {
        let Some((id, applied)) = &self.config else { return };
        match self.source.read(id, "APP_CONFIG").await {
            Ok(read) if digest(&read.value) != *applied => tracing::warn!(
                secret = id.as_str(),
                version = read.version_id.as_deref(),
                "APP_CONFIG has a new version; settings apply at start-up, so restart the server to use it"
            ),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "reading APP_CONFIG again failed; the settings in use stay"),
        }
    }

    async fn refresh_db_password(&self, pool: &AnyPool, reason: &'static str) {
        let Some((id, base)) = &self.db else { return };
        let read = match self.source.read(id, "DB_PASSWORD").await {
            Ok(read) => read,
            Err(e) => {
                tracing::warn!(error = %e, reason, "reading DB_PASSWORD again failed; the password in use stays");
                return;
            }
        };
        let url = match DbCredentials::parse(id, &read.value).and_then(|c| c.database_url(id, base.as_ref())) {
            Ok(url) => url,
            Err(e) => {
                tracing::warn!(error = %e, reason, "DB_PASSWORD's new version is not usable; the password in use stays");
                return;
            }
        };
        let new = digest(&url);
        if self.url_in_use.lock().map(|in_use| *in_use == Some(new)).unwrap_or(false) {
            tracing::debug!(secret = id.as_str(), reason, "DB_PASSWORD is unchanged");
            return;
        }
        match AnyConnectOptions::from_str(url.expose_secret()) {
            Ok(options) => {
                pool.set_connect_options(options);
                if let Ok(mut in_use) = self.url_in_use.lock() {
                    *in_use = Some(new);
                }
                tracing::info!(
                    secret = id.as_str(),
                    version = read.version_id.as_deref(),
                    reason,
                    "DB_PASSWORD has a new version; new database connections use it"
                );
            }
            Err(_) => {
                tracing::warn!(secret = id.as_str(), reason, "DB_PASSWORD's new version does not make a database URL")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(s: &str) -> SecretString {
        SecretString::from(s.to_owned())
    }

    fn url(credentials: &str, base: Option<&str>) -> Result<String, String> {
        let base = base.map(|b| BaseUrl { url: secret(b), origin: "APP_DATABASE_URL".into() });
        DbCredentials::parse("db", &secret(credentials))
            .and_then(|c| c.database_url("db", base.as_ref()))
            .map(|u| u.expose_secret().to_owned())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn a_plain_password_completes_the_configured_url() {
        assert_eq!(
            url("s3cr:t/@pw", Some("postgres://shop@db.internal:5432/shop")).unwrap(),
            "postgres://shop:s3cr%3At%2F%40pw@db.internal:5432/shop"
        );
    }

    /// Generated passwords hold any punctuation, `%` among it (moto's once made one
    /// whose `%` and two hex digits the driver decoded into a byte that is no UTF-8).
    #[test]
    fn a_password_with_percent_signs_reaches_the_database_as_it_is() {
        for password in ["100%C3%41 off", "%", "a%2Fb:c@d%%"] {
            let built = url(password, Some("postgres://shop@db.internal:5432/shop")).unwrap();
            let parsed = url::Url::parse(&built).unwrap();
            // As the driver reads it back.
            let read = percent_encoding::percent_decode_str(parsed.password().unwrap()).decode_utf8().unwrap();
            assert_eq!(read, password, "{built}");
        }
    }

    #[test]
    fn an_rds_secret_fills_in_what_the_url_leaves_out_and_its_user_wins() {
        let rds = r#"{"engine":"postgres","username":"shop_clone","password":"pw","host":"rds.example","port":5433,"dbname":"shop"}"#;
        assert_eq!(url(rds, None).unwrap(), "postgres://shop_clone:pw@rds.example:5433/shop");
        assert_eq!(
            url(rds, Some("postgres://shop@db.internal/other")).unwrap(),
            "postgres://shop_clone:pw@db.internal:5433/other"
        );
        assert_eq!(
            url(r#"{"password":"pw","port":"6432"}"#, Some("postgres://shop@db.internal/shop")).unwrap(),
            "postgres://shop:pw@db.internal:6432/shop"
        );
    }

    #[test]
    fn a_url_with_a_password_is_refused_without_printing_it() {
        let e = url("new-pw", Some("postgres://shop:old-pw@db.internal/shop")).unwrap_err();
        assert!(e.contains("holds a password too"), "{e}");
        assert!(!e.contains("old-pw") && !e.contains("new-pw"), "{e}");
    }

    #[test]
    fn malformed_values_are_named_without_their_contents() {
        let cases = [
            (r#"{"password": "hunter2""#, "ends too early at line 1, column 22"),
            (r#"{"passwd": "hunter2"}"#, "has no `password`"),
            (r#"{"password": 12345678}"#, "`password` that is not a string"),
            (r#"{"password": "hunter2", "port": "hunter2"}"#, "not a port number"),
        ];
        for (value, expected) in cases {
            let e = url(value, Some("postgres://shop@db/shop")).unwrap_err();
            assert!(e.contains(expected), "{value}: {e}");
            assert!(e.contains("`db` (DB_PASSWORD)"), "names the secret: {e}");
            assert!(!e.contains("hunter2") && !e.contains("12345678"), "no value in: {e}");
        }
        let e = url(r#"{"password":"pw"}"#, None).unwrap_err();
        assert!(e.contains("has no `host`"), "{e}");
        let e = url("pw", Some("sqlite://shop.db")).unwrap_err();
        assert!(e.contains("not a postgres:// URL"), "{e}");
        let e = url("pw", Some("postgres://db.internal/shop")).unwrap_err();
        assert!(e.contains("names no user"), "{e}");
    }

    #[test]
    fn app_config_must_be_a_json_object() {
        let e = config_object("cfg", &secret("[1, 2]")).unwrap_err().to_string();
        assert!(e.contains("`cfg` (APP_CONFIG) is not a JSON object"), "{e}");
        let e = config_object("cfg", &secret("{\"media\": {\"s3\": tru}}")).unwrap_err().to_string();
        assert!(e.contains("syntax error at line 1, column 21") && !e.contains("tru"), "{e}");
        assert_eq!(config_object("cfg", &secret("{\"seed_catalog\": false}")).unwrap()["seed_catalog"], false);
    }
}
