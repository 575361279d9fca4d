//! Reading the settings: the layers (defaults, `APP_CONFIG_FILE`, the `APP_CONFIG`
//! secret, `APP_*` variables) and cargo-leptos's `LEPTOS_SITE_*`.

use super::{RawSettings, Settings, SiteSettings};
use anyhow::Context;
use std::path::PathBuf;

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
    let mut builder = ::config::Config::builder();
    if let Some(file) = file {
        builder = builder.add_source(::config::File::with_name(file).format(::config::FileFormat::Toml).required(true));
    }
    if let Some(json) = secret {
        builder = builder.add_source(::config::File::from_str(json, ::config::FileFormat::Json));
    }
    let layers = builder
        .add_source(
            ::config::Environment::with_prefix("APP")
                .prefix_separator("_")
                .separator("__")
                .try_parsing(true)
                .list_separator(",")
                .with_list_parse_key("trusted_proxies")
                .with_list_parse_key("ships_to")
                .with_list_parse_key("locales")
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
