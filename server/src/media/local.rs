//! The embedded profile's object store: files under `data_dir/media`, written only
//! through upload URLs this server signs itself and read at `/media/{key}`.
//!
//! An upload URL is `/uploads/{key}?expires=..&length=..&signature=..`, the
//! signature an HMAC-SHA256 over the method, key, content type, length and expiry
//! with a key kept in the data directory. Its PUT endpoint refuses what S3 would
//! refuse: another content type or length, an expired or altered URL, and a key
//! that holds an object already. Keys are parsed strictly ([`ObjectKey`]), so no
//! request names a path outside the store.

use super::{ObjectStore, SignedPut, StoredObject};
use anyhow::Context;
use async_trait::async_trait;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_LENGTH, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use http_body_util::BodyExt;
use jewelry::media::{MAX_IMAGE_BYTES, ObjectKey};
use rand::RngCore;
use serde::Deserialize;
use sha2::Sha256;
use std::collections::BTreeMap;
use std::io::ErrorKind;
use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Read at `/media/...`; keys are never reused, so browsers and proxies may keep
/// an image for a year.
const CACHE_FOREVER: &str = "public, max-age=31536000, immutable";

pub struct LocalStore {
    /// Objects, at `root/{key}`.
    root: PathBuf,
    /// Uploads being written, renamed into `root` when complete.
    incoming: PathBuf,
    signing_key: [u8; 32],
}

impl LocalStore {
    /// The store in `data_dir/media`, with the signing key in
    /// `data_dir/media-signing.key` (made on first start, readable by its owner only).
    pub async fn open(data_dir: &FsPath) -> anyhow::Result<LocalStore> {
        let root = data_dir.join("media");
        let incoming = data_dir.join("media-incoming");
        for dir in [&root, &incoming] {
            tokio::fs::create_dir_all(dir).await.with_context(|| format!("creating {}", dir.display()))?;
        }
        let key_path = data_dir.join("media-signing.key");
        let signing_key = match tokio::fs::read(&key_path).await {
            Ok(bytes) => bytes.try_into().map_err(|_| {
                anyhow::anyhow!("{} is not a 32-byte key; delete it to make a new one", key_path.display())
            })?,
            Err(e) if e.kind() == ErrorKind::NotFound => {
                let mut key = [0u8; 32];
                rand::rng().fill_bytes(&mut key);
                crate::private_file::write_private(&key_path, &key)
                    .with_context(|| format!("writing {}", key_path.display()))?;
                key
            }
            Err(e) => return Err(e).with_context(|| format!("reading {}", key_path.display())),
        };
        Ok(LocalStore { root, incoming, signing_key })
    }

    fn mac(&self, key: &str, content_type: &str, length: u64, expires: i64) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.signing_key).expect("HMAC takes any key length");
        mac.update(format!("PUT\n{key}\n{content_type}\n{length}\n{expires}").as_bytes());
        mac
    }

    /// The upload URL for `key`, `length` bytes, valid until `expires` (Unix seconds).
    pub fn upload_url(&self, key: &ObjectKey, length: u64, expires: i64) -> String {
        let signature =
            hex::encode(self.mac(&key.to_string(), key.kind().mime(), length, expires).finalize().into_bytes());
        format!("/uploads/{key}?expires={expires}&length={length}&signature={signature}")
    }

    fn path_of(&self, key: &ObjectKey) -> PathBuf {
        // A parsed key is `products/{slug}/{uuid}.{ext}`: no `..`, no separators
        // other than its two slashes, nothing absolute.
        self.root.join(key.to_string())
    }
}

#[async_trait]
impl ObjectStore for LocalStore {
    fn name(&self) -> &'static str {
        "local"
    }

    async fn presign_put(&self, key: &ObjectKey, size: u64, valid_for: Duration) -> anyhow::Result<SignedPut> {
        let expires = OffsetDateTime::now_utc().unix_timestamp() + i64::try_from(valid_for.as_secs())?;
        let headers = BTreeMap::from([
            ("Content-Type".to_owned(), key.kind().mime().to_owned()),
            ("Content-Length".to_owned(), size.to_string()),
        ]);
        Ok(SignedPut { url: self.upload_url(key, size, expires), headers })
    }

    async fn head(&self, key: &ObjectKey) -> anyhow::Result<Option<StoredObject>> {
        match tokio::fs::metadata(self.path_of(key)).await {
            Ok(meta) => Ok(Some(StoredObject { content_type: key.kind().mime().to_owned(), size: meta.len() })),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).context("reading an object's metadata"),
        }
    }

    async fn first_bytes(&self, key: &ObjectKey, n: usize) -> anyhow::Result<Vec<u8>> {
        let file = tokio::fs::File::open(self.path_of(key)).await.context("opening an object")?;
        let mut head = Vec::with_capacity(n);
        file.take(n as u64).read_to_end(&mut head).await.context("reading an object")?;
        Ok(head)
    }

    async fn delete(&self, key: &ObjectKey) -> anyhow::Result<()> {
        match tokio::fs::remove_file(self.path_of(key)).await {
            Err(e) if e.kind() != ErrorKind::NotFound => Err(e).context("deleting an object"),
            _ => Ok(()),
        }
    }

    fn public_url(&self, key: &ObjectKey) -> String {
        format!("/media/{key}")
    }
}

/// Why the store refused an upload; the codes are stable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    NoSuchKey,
    BadUrl,
    SignatureMismatch,
    Expired,
    ContentTypeMismatch,
    LengthRequired,
    LengthMismatch,
    AlreadyExists,
    Failed,
}

impl Refusal {
    fn parts(self) -> (StatusCode, &'static str, &'static str) {
        match self {
            Refusal::NoSuchKey => (StatusCode::NOT_FOUND, "no_such_key", "There is no such upload address."),
            Refusal::BadUrl => {
                (StatusCode::BAD_REQUEST, "bad_url", "The upload URL lacks its expiry, length or signature.")
            }
            Refusal::SignatureMismatch => {
                (StatusCode::FORBIDDEN, "signature_mismatch", "The upload URL's signature does not match it.")
            }
            Refusal::Expired => (StatusCode::FORBIDDEN, "expired", "The upload URL has expired."),
            Refusal::ContentTypeMismatch => (
                StatusCode::FORBIDDEN,
                "content_type_mismatch",
                "The Content-Type is not the one the URL was signed for.",
            ),
            Refusal::LengthRequired => (StatusCode::LENGTH_REQUIRED, "length_required", "Send a Content-Length."),
            Refusal::LengthMismatch => {
                (StatusCode::FORBIDDEN, "length_mismatch", "The body's length is not the one the URL was signed for.")
            }
            Refusal::AlreadyExists => {
                (StatusCode::CONFLICT, "already_exists", "An object was uploaded to this URL already.")
            }
            Refusal::Failed => {
                (StatusCode::INTERNAL_SERVER_ERROR, "internal_error", "The upload could not be stored; try again.")
            }
        }
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let (status, code, message) = self.parts();
        crate::refusal::refusal(status, code, message)
    }
}

#[derive(Deserialize)]
struct UploadQuery {
    expires: i64,
    length: u64,
    signature: String,
}

/// `PUT /uploads/{key}`, with the signature the store issued.
pub(crate) async fn upload(
    State(store): State<Arc<LocalStore>>,
    Path(key): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Result<StatusCode, Refusal> {
    let key = ObjectKey::parse(&key).ok_or(Refusal::NoSuchKey)?;
    let Query(query) = Query::<UploadQuery>::try_from_uri(&uri).map_err(|_| Refusal::BadUrl)?;
    let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let length = headers.get(CONTENT_LENGTH).ok_or(Refusal::LengthRequired)?;
    let length = length.to_str().ok().and_then(|l| l.parse::<u64>().ok()).ok_or(Refusal::LengthRequired)?;
    let signature = hex::decode(&query.signature).map_err(|_| Refusal::SignatureMismatch)?;
    // The signature covers what the server signed; the request must then match it.
    store
        .mac(&key.to_string(), key.kind().mime(), query.length, query.expires)
        .verify_slice(&signature)
        .map_err(|_| Refusal::SignatureMismatch)?;
    if OffsetDateTime::now_utc().unix_timestamp() >= query.expires {
        return Err(Refusal::Expired);
    }
    if content_type != key.kind().mime() {
        return Err(Refusal::ContentTypeMismatch);
    }
    if length != query.length || length > MAX_IMAGE_BYTES {
        return Err(Refusal::LengthMismatch);
    }
    let target = store.path_of(&key);
    if tokio::fs::try_exists(&target).await.unwrap_or(true) {
        return Err(Refusal::AlreadyExists);
    }
    let part = store.incoming.join(format!("{}.part", uuid::Uuid::new_v4()));
    let stored = async {
        write_exactly(&part, body, length).await?;
        if let Some(dir) = target.parent() {
            tokio::fs::create_dir_all(dir).await.map_err(failed("creating an object's directory"))?;
        }
        // A hard link appears whole and never replaces an object: of two uploads
        // racing for one key, the second gets `already_exists`.
        match tokio::fs::hard_link(&part, &target).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => Err(Refusal::AlreadyExists),
            Err(e) => Err(failed("storing an object")(e)),
        }
    }
    .await;
    let _ = tokio::fs::remove_file(&part).await;
    stored.map(|()| StatusCode::OK)
}

fn failed(what: &'static str) -> impl Fn(std::io::Error) -> Refusal {
    move |e| {
        tracing::error!(error = %e, "{what} failed");
        Refusal::Failed
    }
}

/// Writes the body to `path`, refusing it unless it is exactly `length` bytes.
async fn write_exactly(path: &FsPath, mut body: Body, length: u64) -> Result<(), Refusal> {
    let mut file = tokio::fs::File::create(path).await.map_err(failed("creating an upload's file"))?;
    let mut written = 0u64;
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else { return Err(Refusal::LengthMismatch) };
        if let Ok(data) = frame.into_data() {
            written += data.len() as u64;
            if written > length {
                return Err(Refusal::LengthMismatch);
            }
            file.write_all(&data).await.map_err(failed("writing an upload"))?;
        }
    }
    if written != length {
        return Err(Refusal::LengthMismatch);
    }
    file.sync_all().await.map_err(failed("flushing an upload"))
}

/// `GET /media/{key}`.
pub(crate) async fn read(
    State(store): State<Arc<LocalStore>>,
    Path(key): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(key) = ObjectKey::parse(&key) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let etag = format!("\"{}\"", key.id());
    let response_headers = [
        (CACHE_CONTROL, HeaderValue::from_static(CACHE_FOREVER)),
        (ETAG, HeaderValue::from_str(&etag).expect("a UUID in quotes is a header value")),
        (axum::http::header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
    ];
    if headers.get(IF_NONE_MATCH).is_some_and(|v| v.as_bytes() == etag.as_bytes()) {
        return match tokio::fs::try_exists(store.path_of(&key)).await {
            Ok(true) => (StatusCode::NOT_MODIFIED, response_headers).into_response(),
            _ => StatusCode::NOT_FOUND.into_response(),
        };
    }
    match tokio::fs::read(store.path_of(&key)).await {
        Ok(bytes) => {
            (response_headers, [(CONTENT_TYPE, HeaderValue::from_static(key.kind().mime()))], bytes).into_response()
        }
        Err(e) if e.kind() == ErrorKind::NotFound => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "reading an image failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
