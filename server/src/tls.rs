//! HTTPS served by the binary itself: rustls (with ring, as the rest of the tree)
//! through axum-server, whose configuration can be swapped while connections are
//! open. The certificate is the operator's PEM files, read again when they change
//! (a renewal needs no restart), or a development certificate for `localhost` and
//! `127.0.0.1` made on first start and kept in the data directory.

use crate::config::{Certificate, TlsOn};
use anyhow::Context;
use axum_server::tls_rustls::RustlsConfig;
use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// How often the certificate files are looked at for a change.
pub const RELOAD_CHECK_EVERY: Duration = Duration::from_secs(10);

/// The development certificate's files, under the data directory.
const SELF_SIGNED_DIR: &str = "tls";

/// The TLS configuration being served and the files it came from.
pub struct Tls {
    pub config: RustlsConfig,
    cert_file: PathBuf,
    key_file: PathBuf,
}

impl Tls {
    /// Reads (or, for the development certificate, makes) the certificate.
    pub async fn load(settings: &TlsOn, data_dir: &Path) -> anyhow::Result<Tls> {
        let (cert_file, key_file) = match &settings.certificate {
            Certificate::Files { cert_file, key_file } => (cert_file.clone(), key_file.clone()),
            Certificate::SelfSigned => {
                let dir = data_dir.join(SELF_SIGNED_DIR);
                tokio::task::spawn_blocking(move || self_signed_in(&dir)).await.context("a blocking task failed")??
            }
        };
        let config = server_config(&cert_file, &key_file)?;
        Ok(Tls { config: RustlsConfig::from_config(Arc::new(config)), cert_file, key_file })
    }

    /// Serves the files' new contents once they change, for as long as the server
    /// runs. A pair that does not load (a renewal half written) leaves the one in
    /// use, with a warning, and is tried again at the next change.
    pub async fn reload_on_change(self) {
        let mut seen = modified(&self.cert_file, &self.key_file);
        let mut every = tokio::time::interval(RELOAD_CHECK_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            let now = modified(&self.cert_file, &self.key_file);
            if now == seen {
                continue;
            }
            seen = now;
            match server_config(&self.cert_file, &self.key_file) {
                Ok(config) => {
                    self.config.reload_from_config(Arc::new(config));
                    tracing::info!(cert_file = %self.cert_file.display(), "serving the renewed TLS certificate");
                }
                Err(e) => tracing::warn!(
                    error = format!("{e:#}"),
                    "the changed TLS certificate files do not load; still serving the previous certificate"
                ),
            }
        }
    }
}

fn modified(cert: &Path, key: &Path) -> (Option<SystemTime>, Option<SystemTime>) {
    let at = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    (at(cert), at(key))
}

/// A rustls server configuration from PEM files: the certificate chain, and the
/// private key (PKCS #8, PKCS #1 or SEC1). Offers HTTP/2 and HTTP/1.1.
fn server_config(cert_file: &Path, key_file: &Path) -> anyhow::Result<ServerConfig> {
    let chain = CertificateDer::pem_file_iter(cert_file)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .with_context(|| format!("reading the certificate chain in {}", cert_file.display()))?;
    anyhow::ensure!(!chain.is_empty(), "{} holds no certificate", cert_file.display());
    // The key's error names the file only: a PEM parser's message could quote it.
    let key = PrivateKeyDer::from_pem_file(key_file)
        .map_err(|_| anyhow::anyhow!("{} holds no private key in PEM", key_file.display()))?;
    let mut config = ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .context("TLS protocol versions")?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .context("the certificate and the private key do not make a TLS configuration")?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// The development certificate in `dir`, made there the first time; answers its
/// certificate and key files.
fn self_signed_in(dir: &Path) -> anyhow::Result<(PathBuf, PathBuf)> {
    let (cert_file, key_file) = (dir.join("self-signed-cert.pem"), dir.join("self-signed-key.pem"));
    if cert_file.exists() && key_file.exists() {
        return Ok((cert_file, key_file));
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let made = rcgen::generate_simple_self_signed(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
        .context("making a development certificate")?;
    // A pair half made by an interrupted start is replaced whole.
    for file in [&cert_file, &key_file] {
        let _ = std::fs::remove_file(file);
    }
    crate::private_file::write_private(&key_file, made.signing_key.serialize_pem().as_bytes())
        .with_context(|| format!("writing {}", key_file.display()))?;
    std::fs::write(&cert_file, made.cert.pem()).with_context(|| format!("writing {}", cert_file.display()))?;
    tracing::info!(cert_file = %cert_file.display(), "made a development TLS certificate for localhost and 127.0.0.1");
    Ok((cert_file, key_file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_development_certificate_is_made_once_and_then_reused() {
        let dir = tempfile::tempdir().unwrap();
        let (cert, key) = self_signed_in(dir.path()).unwrap();
        let first = std::fs::read(&cert).unwrap();
        assert!(server_config(&cert, &key).is_ok(), "it makes a TLS configuration");
        let (again, _) = self_signed_in(dir.path()).unwrap();
        assert_eq!(std::fs::read(again).unwrap(), first, "the second start keeps the first certificate");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }

    #[test]
    fn a_key_file_without_a_key_is_named_and_not_quoted() {
        let dir = tempfile::tempdir().unwrap();
        let (cert, _) = self_signed_in(dir.path()).unwrap();
        let wrong = dir.path().join("wrong.pem");
        std::fs::write(&wrong, "not-a-key-secret-text").unwrap();
        let error = format!("{:#}", server_config(&cert, &wrong).unwrap_err());
        assert!(error.contains("wrong.pem") && !error.contains("secret-text"), "{error}");
    }
}
