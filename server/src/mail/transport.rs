//! Where an email goes once composed: `.eml` files in the data directory (the
//! embedded default), Amazon SES v2, or an SMTP server. Each answers the
//! provider's id for an email it accepted, or why not, said without the address or
//! the content (the reason is logged).

use crate::config::{MailSettings, MailTransport};
use async_trait::async_trait;
use lettre::address::Envelope;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use secrecy::ExposeSecret;
use std::path::PathBuf;
use std::time::Duration;

/// One email, ready to go.
pub struct Outgoing<'a> {
    /// The outbox's id for it.
    pub id: &'a str,
    /// Its file's name, for a transport that writes files: made from the email
    /// alone, so a second delivery writes the same file.
    pub file_name: String,
    pub envelope: Envelope,
    /// The whole MIME message (headers, Message-ID included, and both bodies).
    pub raw: Vec<u8>,
}

/// Why a transport did not take an email: `reason` names the failure (an error
/// code, an SMTP status), never the address or the content. A `permanent` one is
/// not tried again.
#[derive(Debug)]
pub struct SendFailure {
    pub reason: String,
    pub permanent: bool,
}

impl SendFailure {
    fn transient(reason: impl Into<String>) -> Self {
        SendFailure { reason: reason.into(), permanent: false }
    }
}

#[async_trait]
pub trait Transport: Send + Sync {
    /// `file`, `ses`, `smtp`: what the logs call it.
    fn name(&self) -> &'static str;
    /// Delivers `email`; the provider's id for it once accepted.
    async fn send(&self, email: &Outgoing<'_>) -> Result<String, SendFailure>;
}

/// The transport `settings` choose.
pub async fn from_settings(settings: &MailSettings, data_dir: &std::path::Path) -> anyhow::Result<Box<dyn Transport>> {
    Ok(match settings.transport {
        MailTransport::File => Box::new(Files { dir: data_dir.join("mail") }),
        MailTransport::Ses => {
            let config = crate::aws::sdk_config(None).await;
            Box::new(Ses { client: aws_sdk_sesv2::Client::new(&config) })
        }
        MailTransport::Smtp => {
            let url = settings.smtp_url.as_ref().ok_or_else(|| anyhow::anyhow!("mail.smtp_url is not set"))?;
            // The URL's own error would quote it, password and all.
            let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret()).map_err(|_| {
                anyhow::anyhow!("`mail.smtp_url` (APP_MAIL__SMTP_URL) is not an smtp:// or smtps:// URL")
            })?;
            Box::new(Smtp { transport: builder.timeout(Some(Duration::from_secs(20))).build() })
        }
    })
}

/// `.eml` files in a directory, one per email, written whole or not at all (a
/// temporary file renamed): a developer opens them in a mail client.
pub struct Files {
    pub dir: PathBuf,
}

#[async_trait]
impl Transport for Files {
    fn name(&self) -> &'static str {
        "file"
    }

    async fn send(&self, email: &Outgoing<'_>) -> Result<String, SendFailure> {
        let failed = |e: std::io::Error| SendFailure::transient(format!("file: {:?}", e.kind()));
        tokio::fs::create_dir_all(&self.dir).await.map_err(failed)?;
        let partial = self.dir.join(format!(".{}.partial", email.id));
        tokio::fs::write(&partial, &email.raw).await.map_err(failed)?;
        tokio::fs::rename(&partial, self.dir.join(&email.file_name)).await.map_err(failed)?;
        Ok(email.file_name.clone())
    }
}

/// Amazon SES v2 `SendEmail` with the raw message, so the Message-ID and both
/// bodies are the shop's own.
pub struct Ses {
    client: aws_sdk_sesv2::Client,
}

#[async_trait]
impl Transport for Ses {
    fn name(&self) -> &'static str {
        "ses"
    }

    async fn send(&self, email: &Outgoing<'_>) -> Result<String, SendFailure> {
        use aws_sdk_sesv2::error::{ProvideErrorMetadata, SdkError};
        use aws_sdk_sesv2::operation::send_email::SendEmailError;
        use aws_sdk_sesv2::types::{Destination, EmailContent, RawMessage};
        let raw = RawMessage::builder()
            .data(aws_sdk_sesv2::primitives::Blob::new(email.raw.clone()))
            .build()
            .map_err(|_| SendFailure { reason: "ses: the raw message".into(), permanent: true })?;
        let from = email.envelope.from().map(|a| a.to_string());
        let to: Vec<String> = email.envelope.to().iter().map(|a| a.to_string()).collect();
        let sent = self
            .client
            .send_email()
            .set_from_email_address(from)
            .destination(Destination::builder().set_to_addresses(Some(to)).build())
            .content(EmailContent::builder().raw(raw).build())
            .send()
            .await;
        match sent {
            Ok(output) => Ok(output.message_id().unwrap_or_default().to_owned()),
            Err(SdkError::ServiceError(e)) => {
                let code = e.err().code().unwrap_or("unknown").to_owned();
                // A message SES will never take as it is; the others (throttling,
                // a paused account, a limit) pass.
                let permanent = matches!(e.err(), SendEmailError::MessageRejected(_));
                Err(SendFailure { reason: format!("ses: {code}"), permanent })
            }
            Err(SdkError::DispatchFailure(_) | SdkError::TimeoutError(_)) => {
                Err(SendFailure::transient("ses: unreachable"))
            }
            Err(_) => Err(SendFailure::transient("ses: no answer it could read")),
        }
    }
}

/// An SMTP server, through lettre (TLS with rustls).
pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

#[async_trait]
impl Transport for Smtp {
    fn name(&self) -> &'static str {
        "smtp"
    }

    async fn send(&self, email: &Outgoing<'_>) -> Result<String, SendFailure> {
        match self.transport.send_raw(&email.envelope, &email.raw).await {
            Ok(response) => Ok(format!("{} {}", response.code(), response.first_line().unwrap_or_default())),
            // The server's own words may quote the address: only its status is kept.
            Err(e) => Err(SendFailure {
                reason: match e.status() {
                    Some(code) => format!("smtp: {code}"),
                    None if e.is_timeout() => "smtp: timed out".to_owned(),
                    None => "smtp: no connection".to_owned(),
                },
                permanent: e.is_permanent(),
            }),
        }
    }
}
