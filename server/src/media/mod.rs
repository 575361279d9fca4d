//! Product images: one object-store interface with two adapters (a local store in
//! the data directory, and S3), and the service behind the `presign`, `attach`,
//! move and remove server functions.

pub mod local;
pub mod s3;
mod service;

pub use service::{Clock, MediaService, SWEEP_EVERY, every_sweep_period};

use crate::config::{AuthSettings, MediaSettings, Settings};
use anyhow::Context;
use async_trait::async_trait;
use jewelry::media::ObjectKey;
use jewelry_app::policy::PagePolicy;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

/// What storage knows of an object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredObject {
    pub content_type: String,
    pub size: u64,
}

/// A signed upload: the URL and the headers that must go with it.
#[derive(Clone, Debug)]
pub struct SignedPut {
    pub url: String,
    pub headers: BTreeMap<String, String>,
}

/// Where images are kept. Objects are written only through signed URLs; the
/// server reads their metadata and first bytes, and deletes them.
#[async_trait]
pub trait ObjectStore: Send + Sync + 'static {
    /// `local` or `s3`, for log lines.
    fn name(&self) -> &'static str;
    /// A URL accepting one PUT of exactly `size` bytes of the key's type, for `valid_for`.
    async fn presign_put(&self, key: &ObjectKey, size: u64, valid_for: Duration) -> anyhow::Result<SignedPut>;
    async fn head(&self, key: &ObjectKey) -> anyhow::Result<Option<StoredObject>>;
    /// Up to `n` bytes from the start of the object.
    async fn first_bytes(&self, key: &ObjectKey, n: usize) -> anyhow::Result<Vec<u8>>;
    /// Deletes the object; deleting a missing one is not an error.
    async fn delete(&self, key: &ObjectKey) -> anyhow::Result<()>;
    /// Where browsers read the image.
    fn public_url(&self, key: &ObjectKey) -> String;
}

/// The store the settings choose; the local one also given as itself, since this
/// server answers its upload and read routes.
pub async fn store_from_settings(
    settings: &Settings,
) -> anyhow::Result<(Arc<dyn ObjectStore>, Option<Arc<local::LocalStore>>)> {
    match &settings.media {
        MediaSettings::Local => {
            let store = Arc::new(local::LocalStore::open(&settings.data_dir).await?);
            Ok((store.clone(), Some(store)))
        }
        MediaSettings::S3(s3) => Ok((Arc::new(s3::S3Store::from_settings(s3).await), None)),
    }
}

/// The origin of `url` when it is absolute (`https://bucket.s3.amazonaws.com`).
fn origin_of(url: &str) -> Option<String> {
    let url = url::Url::parse(url).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| url.origin().ascii_serialization())
}

/// The pages' policy for this store and provider: the origins the store serves
/// images from and takes uploads at (as a signed URL it makes now names them),
/// and Cognito's domain, where signing out ends up.
pub async fn page_policy(store: &dyn ObjectStore, auth: &AuthSettings) -> anyhow::Result<PagePolicy> {
    let probe = jewelry::media::ObjectKey::new("policy-probe", uuid::Uuid::nil(), jewelry::media::ImageType::Png)
        .context("a probe key")?;
    let upload = store.presign_put(&probe, 1, Duration::from_secs(60)).await.context("signing a probe upload")?;
    let form_origins = match auth {
        AuthSettings::Cognito(cognito) => origin_of(&cognito.domain).into_iter().collect(),
        AuthSettings::Dev => Vec::new(),
    };
    Ok(PagePolicy {
        image_origins: origin_of(&store.public_url(&probe)).into_iter().collect(),
        upload_origins: origin_of(&upload.url).into_iter().collect(),
        form_origins,
    })
}
