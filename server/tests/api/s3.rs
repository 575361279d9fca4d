//! The S3 adapter against SeaweedFS (`TEST_S3_URL`), which checks SigV4
//! signatures as S3 does: uploads through presigned PUT URLs, and the storage
//! itself refusing another type, another size, an expired or altered URL.

use crate::auth::ADMIN;
use crate::helpers::*;
use crate::uploads::png;
use aws_sdk_s3::Client;
use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
use jewelry::media::{ImageType, ObjectKey};
use jewelry_server::aws::http_client;
use jewelry_server::media::ObjectStore;
use jewelry_server::media::s3::{S3Store, client_config};
use std::sync::Arc;
use std::time::Duration;

const CDN: &str = "https://cdn.example.test";

pub struct Bucket {
    pub url: String,
    pub name: String,
    client: Client,
}

/// A new private bucket on the emulator, or `None` when no emulator is configured.
pub async fn bucket() -> Option<Bucket> {
    let url = emulator_url("TEST_S3_URL", "S3 (SeaweedFS)")?;
    let credentials = Credentials::new(
        std::env::var("TEST_S3_ACCESS_KEY").expect("TEST_S3_ACCESS_KEY goes with TEST_S3_URL"),
        std::env::var("TEST_S3_SECRET_KEY").expect("TEST_S3_SECRET_KEY goes with TEST_S3_URL"),
        None,
        None,
        "tests",
    );
    let base = aws_sdk_s3::config::Builder::new()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(&url)
        .credentials_provider(credentials)
        .http_client(http_client());
    let client = Client::from_conf(client_config(base, true));
    let name = format!("media-{}", uuid::Uuid::new_v4().simple());
    client.create_bucket().bucket(&name).send().await.expect("the emulator creates a bucket");
    Some(Bucket { url, name, client })
}

impl Bucket {
    fn store(&self) -> S3Store {
        S3Store::new(self.client.clone(), &self.name, CDN)
    }
}

fn new_key(kind: ImageType) -> ObjectKey {
    ObjectKey::new("northern-hoops", uuid::Uuid::new_v4(), kind).unwrap()
}

async fn put(url: &str, content_type: &str, body: Vec<u8>) -> u16 {
    crate::uploads::put(url, content_type, body).await.status().as_u16()
}

#[tokio::test]
async fn an_image_goes_to_a_private_bucket_through_a_presigned_put() {
    let Some(bucket) = bucket().await else { return };
    let store = bucket.store();
    let key = new_key(ImageType::Png);
    let bytes = png();
    let signed = store.presign_put(&key, bytes.len() as u64, Duration::from_secs(300)).await.unwrap();
    assert!(signed.url.starts_with(&format!("{}/{}/{key}?", bucket.url, bucket.name)), "{}", signed.url);
    assert!(
        signed.url.contains("X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost"),
        "type and length are signed: {}",
        signed.url
    );
    assert!(signed.url.contains("X-Amz-Expires=300"));
    assert_eq!(signed.headers["Content-Type"], "image/png");
    assert_eq!(signed.headers["Content-Length"], bytes.len().to_string());

    assert_eq!(put(&signed.url, "image/png", bytes.clone()).await, 200);
    let stored = store.head(&key).await.unwrap().expect("the object is there");
    assert_eq!((stored.content_type.as_str(), stored.size), ("image/png", bytes.len() as u64));
    assert_eq!(store.first_bytes(&key, 8).await.unwrap(), bytes[..8]);
    assert_eq!(store.public_url(&key), format!("{CDN}/{key}"));
    let anonymous = reqwest::get(format!("{}/{}/{key}", bucket.url, bucket.name)).await.unwrap();
    assert_eq!(anonymous.status(), 403, "the bucket is private");

    store.delete(&key).await.unwrap();
    assert_eq!(store.head(&key).await.unwrap(), None);
    store.delete(&key).await.expect("deleting a missing object is not an error");
}

#[tokio::test]
async fn the_storage_itself_refuses_another_type_size_an_expired_or_altered_url() {
    let Some(bucket) = bucket().await else { return };
    let store = bucket.store();
    let key = new_key(ImageType::Png);
    let bytes = png();
    let signed = store.presign_put(&key, bytes.len() as u64, Duration::from_secs(300)).await.unwrap();

    assert_eq!(put(&signed.url, "image/jpeg", bytes.clone()).await, 403, "another content type");
    assert_eq!(put(&signed.url, "image/png", [bytes.clone(), vec![0; 1024]].concat()).await, 403, "larger");
    assert_eq!(put(&signed.url, "image/png", bytes[..10].to_vec()).await, 403, "smaller");
    let (head, signature) = signed.url.rsplit_once("X-Amz-Signature=").unwrap();
    let flipped = if signature.starts_with('0') { '1' } else { '0' };
    let tampered = format!("{head}X-Amz-Signature={flipped}{}", &signature[1..]);
    assert_eq!(put(&tampered, "image/png", bytes.clone()).await, 403, "an altered signature");
    let other_key = signed.url.replace(&key.to_string(), &new_key(ImageType::Png).to_string());
    assert_eq!(put(&other_key, "image/png", bytes.clone()).await, 403, "another key");

    let short = store.presign_put(&key, bytes.len() as u64, Duration::from_secs(1)).await.unwrap();
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(put(&short.url, "image/png", bytes.clone()).await, 403, "expired");
    assert_eq!(store.head(&key).await.unwrap(), None, "nothing refused was stored");
}

#[tokio::test]
async fn the_shop_on_s3_attaches_checked_uploads_with_cdn_urls_and_deletes_refused_ones() {
    let Some(bucket) = bucket().await else { return };
    let app = spawn_app_with_store(Arc::new(bucket.store())).await;
    app.sign_in(ADMIN, "/").await;
    let bytes = png();

    let presigned = app.presign("northern-hoops", "image/png", bytes.len()).await.unwrap();
    let key = presigned["key"].as_str().unwrap().to_owned();
    assert!(presigned["url"].as_str().unwrap().starts_with(&bucket.url), "straight to storage");
    assert_eq!(app.put_upload(&presigned, None, bytes.clone()).await.0, 200);
    let image = app.attach("northern-hoops", &key, "Northern hoops").await.unwrap();
    let cdn_url = format!("{CDN}/{key}");
    assert_eq!(image["image"]["url"], cdn_url);
    let (_, page) = app.get_html("/products/northern-hoops").await;
    assert!(page.contains(&cdn_url), "the product page reads the image through the CDN");
    // The page's policy lets the browser read from the CDN and upload to the bucket.
    let response = app.client.get(app.url("/admin/products/northern-hoops/edit")).send().await.unwrap();
    let csp = response.headers()["content-security-policy"].to_str().unwrap().to_owned();
    let bucket_origin = url::Url::parse(&bucket.url).unwrap().origin().ascii_serialization();
    assert!(csp.contains(&format!("img-src 'self' {CDN};")), "{csp}");
    assert!(csp.contains(&format!("connect-src 'self' {bucket_origin};")), "{csp}");

    let not_png = vec![b'x'; bytes.len()];
    let presigned = app.presign("northern-hoops", "image/png", not_png.len()).await.unwrap();
    assert_eq!(app.put_upload(&presigned, None, not_png).await.0, 200);
    let refused_key = ObjectKey::parse(presigned["key"].as_str().unwrap()).unwrap();
    let (status, body) = app.attach("northern-hoops", &refused_key.to_string(), "Hoops").await.unwrap_err();
    assert_eq!((status, body["Rejected"]["code"].as_str()), (422, Some("not_an_image")));
    assert_eq!(bucket.store().head(&refused_key).await.unwrap(), None, "deleted from the bucket");

    let lines = app.lines_of("upload");
    let actions: Vec<&str> = lines.iter().map(|l| l["action"].as_str().unwrap_or_default()).collect();
    assert_eq!(
        actions,
        ["presign_issued", "upload_completed", "presign_issued", "upload_rejected"],
        "two uploads, the second refused"
    );
    assert!(lines.iter().all(|l| l["store"] == "s3"), "{lines:?}");
    let log = app.raw_log();
    assert!(!log.contains("X-Amz-Signature") && !log.contains("X-Amz-Credential"), "no signature is logged");
}

#[tokio::test]
async fn the_server_binary_configured_for_s3_reaches_the_bucket_through_the_sdk_chain() {
    let Some(bucket) = bucket().await else { return };
    // Configured as in production: settings and the SDK's standard variables only.
    let server = crate::process::Launch::new()
        .env("APP_MEDIA__STORE", "s3")
        .env("APP_MEDIA__S3__BUCKET", &bucket.name)
        .env("APP_MEDIA__S3__CDN_BASE_URL", CDN)
        .env("APP_MEDIA__S3__FORCE_PATH_STYLE", "true")
        .env("AWS_ENDPOINT_URL_S3", &bucket.url)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", std::env::var("TEST_S3_ACCESS_KEY").unwrap())
        .env("AWS_SECRET_ACCESS_KEY", std::env::var("TEST_S3_SECRET_KEY").unwrap())
        .start();
    let admin = server.sign_in(ADMIN).await;
    let bytes = png();
    let size = bytes.len().to_string();
    let form = [("product_id", "northern-hoops"), ("content_type", "image/png"), ("size", size.as_str())];
    let (_, presigned) = server.call(&admin, "admin/images/presign", &form).await;
    let url = presigned["url"].as_str().expect("an upload URL");
    assert!(url.starts_with(&format!("{}/{}/products/northern-hoops/", bucket.url, bucket.name)), "{url}");
    assert_eq!(put(url, "image/png", bytes.clone()).await, 200);
    let key = presigned["key"].as_str().unwrap();
    let form = [("product_id", "northern-hoops"), ("key", key), ("alt", "Hoops")];
    let (status, image) = server.call(&admin, "admin/images/attach", &form).await;
    assert_eq!(status, 200);
    assert_eq!(image["image"]["url"], format!("{CDN}/{key}"));
    let stored = bucket.store().head(&ObjectKey::parse(key).unwrap()).await.unwrap();
    assert_eq!(stored.map(|s| s.size), Some(bytes.len() as u64));
    drop(server);
}
