//! The AWS profile's object store: a private S3 bucket written through presigned
//! PUT URLs (SigV4, signed over the host, content type and content length, so S3
//! itself refuses another type or size) and read through a CDN.

use super::{ObjectStore, SignedPut, StoredObject};
use crate::config::S3Settings;
use anyhow::Context;
use async_trait::async_trait;
use aws_sdk_s3::Client;
use aws_sdk_s3::config::RequestChecksumCalculation;
use aws_sdk_s3::presigning::PresigningConfig;
use jewelry::media::ObjectKey;
use std::time::Duration;

pub struct S3Store {
    client: Client,
    bucket: String,
    cdn_base_url: String,
}

/// The client configuration S3 needs here, whatever the credentials: checksums
/// only where S3 requires them (a presigned PUT must not carry the checksum of
/// an empty body).
pub fn client_config(base: aws_sdk_s3::config::Builder, force_path_style: bool) -> aws_sdk_s3::Config {
    base.force_path_style(force_path_style)
        .request_checksum_calculation(RequestChecksumCalculation::WhenRequired)
        .build()
}

impl S3Store {
    /// A store on `bucket` with the SDK's usual credentials, region and endpoint.
    pub async fn from_settings(settings: &S3Settings) -> S3Store {
        let sdk = crate::aws::sdk_config(settings.region.as_deref()).await;
        let config = client_config(aws_sdk_s3::config::Builder::from(&sdk), settings.force_path_style);
        S3Store::new(Client::from_conf(config), &settings.bucket, &settings.cdn_base_url)
    }

    pub fn new(client: Client, bucket: &str, cdn_base_url: &str) -> S3Store {
        S3Store { client, bucket: bucket.to_owned(), cdn_base_url: cdn_base_url.trim_end_matches('/').to_owned() }
    }
}

#[async_trait]
impl ObjectStore for S3Store {
    fn name(&self) -> &'static str {
        "s3"
    }

    async fn presign_put(&self, key: &ObjectKey, size: u64, valid_for: Duration) -> anyhow::Result<SignedPut> {
        let presigned = self
            .client
            .put_object()
            .bucket(&self.bucket)
            .key(key.to_string())
            .content_type(key.kind().mime())
            .content_length(i64::try_from(size)?)
            .presigned(PresigningConfig::expires_in(valid_for)?)
            .await
            .context("presigning a PUT")?;
        let headers =
            presigned.headers().map(|(name, value)| (canonical_header_name(name), value.to_owned())).collect();
        Ok(SignedPut { url: presigned.uri().to_owned(), headers })
    }

    async fn head(&self, key: &ObjectKey) -> anyhow::Result<Option<StoredObject>> {
        match self.client.head_object().bucket(&self.bucket).key(key.to_string()).send().await {
            Ok(head) => Ok(Some(StoredObject {
                content_type: head.content_type().unwrap_or_default().to_owned(),
                size: head.content_length().and_then(|l| u64::try_from(l).ok()).unwrap_or_default(),
            })),
            Err(e) if e.as_service_error().is_some_and(|e| e.is_not_found()) => Ok(None),
            Err(e) => Err(anyhow::Error::new(e).context("reading an object's metadata")),
        }
    }

    async fn first_bytes(&self, key: &ObjectKey, n: usize) -> anyhow::Result<Vec<u8>> {
        let object = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key.to_string())
            .range(format!("bytes=0-{}", n.saturating_sub(1)))
            .send()
            .await
            .context("reading an object")?;
        let bytes = object.body.collect().await.context("reading an object's body")?.into_bytes();
        Ok(bytes[..bytes.len().min(n)].to_vec())
    }

    async fn delete(&self, key: &ObjectKey) -> anyhow::Result<()> {
        self.client
            .delete_object()
            .bucket(&self.bucket)
            .key(key.to_string())
            .send()
            .await
            .context("deleting an object")?;
        Ok(())
    }

    fn public_url(&self, key: &ObjectKey) -> String {
        format!("{}/{key}", self.cdn_base_url)
    }
}

/// `content-type` → `Content-Type`, as the presign answer shows headers.
fn canonical_header_name(name: &str) -> String {
    name.split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join("-")
}
