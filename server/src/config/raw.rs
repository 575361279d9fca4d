//! The settings as they are written (every store's and provider's keys optional),
//! checked into the typed ones above.

use super::{AuthSettings, MailTransport, MediaSettings, RawSettings, Settings, SettingsOf, TlsSettings};
use secrecy::SecretString;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum StoreChoice {
    #[default]
    Local,
    S3,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Media {
    store: StoreChoice,
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
            (StoreChoice::Local, None) => Ok(super::MediaSettings::Local),
            (StoreChoice::Local, Some(_)) => Err(not_chosen("media.s3", "media.store", "s3")),
            (StoreChoice::S3, s3) => {
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
enum ProviderChoice {
    #[default]
    Dev,
    Cognito,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Auth {
    provider: ProviderChoice,
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
            (ProviderChoice::Dev, None) => Ok(super::AuthSettings::Dev),
            (ProviderChoice::Dev, Some(_)) => Err(not_chosen("auth.cognito", "auth.provider", "cognito")),
            (ProviderChoice::Cognito, cognito) => {
                let c = cognito.unwrap_or_default();
                let needed = |value, key| required(value, key, "auth.provider", "cognito");
                let issuer = needed(c.issuer, "auth.cognito.issuer")?.trim_end_matches('/').to_owned();
                let jwks_url =
                    c.jwks_url.filter(|u| !u.is_empty()).unwrap_or_else(|| format!("{issuer}/.well-known/jwks.json"));
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
                return Err(
                    "`tls.cert_file` and `tls.key_file` (APP_TLS__CERT_FILE, APP_TLS__KEY_FILE) go together: set both"
                        .into(),
                );
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

impl RawSettings {
    /// The settings with the store and provider checked: the chosen one's settings
    /// all there, no other's set.
    pub fn checked(self) -> Result<Settings, String> {
        let SettingsOf {
            data_dir,
            database_url,
            seed_catalog,
            currency,
            ships_to,
            locales,
            default_locale,
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
            privacy,
            auth,
            media,
            mail,
            site,
        } = self;
        if !locales.contains(&default_locale) {
            return Err(format!(
                "`default_locale` ({}) is {default_locale}, which `locales` ({}) does not offer",
                env_name("default_locale"),
                env_name("locales")
            ));
        }
        if mail.transport == MailTransport::Smtp && mail.smtp_url.is_none() {
            return Err(format!(
                "`mail.transport` is smtp, so `mail.smtp_url` ({}) must say which server",
                env_name("mail.smtp_url")
            ));
        }
        if lettre::message::Mailbox::from_str(mail.from.trim()).is_err() {
            return Err(format!(
                "`mail.from` ({}) is not an address such as `Lumen Jewelry <orders@shop.example>`",
                env_name("mail.from")
            ));
        }
        Ok(SettingsOf {
            auth: AuthSettings::try_from(auth)?,
            media: MediaSettings::try_from(media)?,
            tls: TlsSettings::try_from(tls)?,
            data_dir,
            database_url,
            seed_catalog,
            currency,
            ships_to,
            locales,
            default_locale,
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
            privacy,
            mail,
            site,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::time::Duration;

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
