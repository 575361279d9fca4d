//! Image uploads on the embedded default: `presign`, a PUT to the local store's
//! signed URL, `attach`; the store refusing what S3 would; images read at `/media`.

use crate::auth::{ADMIN, SHOPPER};
use crate::helpers::*;
use base64::Engine;
use jewelry::media::ObjectKey;
use jewelry_server::media::MediaService;
use jewelry_server::media::local::LocalStore;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A real 1×1 PNG.
pub fn png() -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
        .unwrap()
}

const PRODUCT: &str = "northern-hoops";

impl TestApp {
    /// `presign` for `PRODUCT`: the answer, or the status and error body.
    pub async fn presign(&self, product: &str, content_type: &str, size: usize) -> Result<Value, (u16, Value)> {
        let size = size.to_string();
        let response = self
            .call("admin/images/presign", &[("product_id", product), ("content_type", content_type), ("size", &size)])
            .await;
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap();
        if status == 200 { Ok(body) } else { Err((status, body)) }
    }

    /// PUTs `body` to a presigned URL with its signed Content-Type (or `content_type`).
    pub async fn put_upload(&self, presigned: &Value, content_type: Option<&str>, body: Vec<u8>) -> (u16, Value) {
        let url = presigned["url"].as_str().unwrap();
        let url = if url.starts_with('/') { self.url(url) } else { url.to_owned() };
        let content_type = content_type.unwrap_or_else(|| presigned["headers"]["Content-Type"].as_str().unwrap());
        let response = put(&url, content_type, body).await;
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    pub async fn attach(&self, product: &str, key: &str, alt: &str) -> Result<Value, (u16, Value)> {
        let response = self.call("admin/images/attach", &[("product_id", product), ("key", key), ("alt", alt)]).await;
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap();
        if status == 200 { Ok(body) } else { Err((status, body)) }
    }

    /// The whole flow for one PNG; answers the attached image.
    pub async fn upload_png(&self, product: &str, alt: &str) -> Value {
        let bytes = png();
        let presigned = self.presign(product, "image/png", bytes.len()).await.expect("presign");
        assert_eq!(self.put_upload(&presigned, None, bytes).await.0, 200);
        self.attach(product, presigned["key"].as_str().unwrap(), alt).await.expect("attach")
    }

    async fn status_of(&self, path: &str) -> u16 {
        self.get_html(path).await.0
    }
}

/// A PUT as a browser sends it to an upload URL, from a client without cookies.
pub async fn put(url: &str, content_type: &str, body: Vec<u8>) -> reqwest::Response {
    reqwest::Client::new()
        .put(url)
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .expect("PUT to the upload URL")
}

fn refusal_code(body: &Value) -> &str {
    body["Rejected"]["code"].as_str().unwrap_or_else(|| panic!("not a refusal: {body}"))
}

async fn admin() -> TestApp {
    let app = spawn_app().await;
    app.sign_in(ADMIN, "/").await;
    app
}

#[tokio::test]
async fn an_admin_uploads_an_image_and_shoppers_see_it_on_the_product_page() {
    let app = admin().await;
    let bytes = png();
    let presigned = app.presign(PRODUCT, "image/png", bytes.len()).await.unwrap();
    let key = presigned["key"].as_str().unwrap().to_owned();
    let parsed = ObjectKey::parse(&key).expect("a server-made key");
    assert_eq!(parsed.product_id(), PRODUCT);
    assert_eq!(presigned["method"], "PUT");
    assert_eq!(presigned["headers"]["Content-Type"], "image/png");
    assert_eq!(presigned["headers"]["Content-Length"], bytes.len().to_string());
    let expires = time::OffsetDateTime::parse(
        presigned["expiresAt"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let ttl = (expires - time::OffsetDateTime::now_utc()).whole_seconds();
    assert!((295..=300).contains(&ttl), "five minutes: {ttl}s");

    assert_eq!(app.put_upload(&presigned, None, bytes.clone()).await.0, 200);
    let image = app.attach(PRODUCT, &key, "  Northern hoops, worn  ").await.unwrap();
    assert_eq!(
        image["image"]["alt"],
        serde_json::json!({"vi": "", "en": "Northern hoops, worn"}),
        "written on an English page"
    );
    let url = format!("/media/{key}");
    assert_eq!(image["image"]["url"], url);

    let (_, page) = app.get_html(&format!("/products/{PRODUCT}")).await;
    assert!(page.contains(&url), "the product page shows the upload");
    let served = reqwest::get(app.url(&url)).await.unwrap();
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "image/png");
    assert_eq!(served.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(served.headers()["x-content-type-options"], "nosniff");
    let etag = served.headers()["etag"].clone();
    assert_eq!(served.bytes().await.unwrap(), bytes);
    let again = reqwest::Client::new().get(app.url(&url)).header("If-None-Match", etag).send().await.unwrap();
    assert_eq!(again.status(), 304);
    let refused = reqwest::Client::new().put(app.url(&url)).body(png()).send().await.unwrap();
    assert_eq!(refused.status(), 405, "/media is read-only");

    let uploads = app.lines_of("upload");
    let actions: Vec<&str> = uploads.iter().map(|l| l["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["presign_issued", "upload_completed"]);
    let admin_id = app.lines_of("auth")[0]["userId"].as_str().unwrap().to_owned();
    for line in &uploads {
        assert_eq!((line["key"].as_str(), line["productId"].as_str()), (Some(key.as_str()), Some(PRODUCT)));
        assert_eq!(
            (line["contentType"].as_str(), line["sizeBytes"].as_u64()),
            (Some("image/png"), Some(bytes.len() as u64))
        );
        assert_eq!((line["store"].as_str(), line["actorId"].as_str()), (Some("local"), Some(admin_id.as_str())));
    }
    let crud = app.lines_of("crud");
    assert_eq!((crud[0]["entity"].as_str(), crud[0]["action"].as_str()), (Some("product_image"), Some("create")));
    let signature = presigned["url"].as_str().unwrap().rsplit_once("signature=").unwrap().1.to_owned();
    assert!(!app.raw_log().contains(&signature), "no line holds the signature");
}

#[tokio::test]
async fn the_local_store_refuses_every_upload_s3_would_refuse() {
    let app = admin().await;
    let bytes = png();
    let presigned = app.presign(PRODUCT, "image/png", bytes.len()).await.unwrap();
    let url = presigned["url"].as_str().unwrap().to_owned();
    let code = |body: &Value| body["code"].as_str().unwrap_or_default().to_owned();

    let (status, body) = app.put_upload(&presigned, Some("image/jpeg"), bytes.clone()).await;
    assert_eq!((status, code(&body).as_str()), (403, "content_type_mismatch"));
    let (status, body) = app.put_upload(&presigned, None, [bytes.clone(), vec![0; 10]].concat()).await;
    assert_eq!((status, code(&body).as_str()), (403, "length_mismatch"), "longer than signed");
    let (status, body) = app.put_upload(&presigned, None, bytes[..20].to_vec()).await;
    assert_eq!((status, code(&body).as_str()), (403, "length_mismatch"), "shorter than signed");

    let (head, signature) = url.rsplit_once("signature=").unwrap();
    let flipped = if signature.starts_with('0') { "1" } else { "0" };
    for tampered in [
        format!("{head}signature={flipped}{}", &signature[1..]),
        url.replace(&format!("length={}", bytes.len()), &format!("length={}", bytes.len() + 1)),
        url.replace("expires=", "expires=9"),
        url.replace(".png?", ".jpg?"),
    ] {
        let headers = if tampered.contains(".jpg?") { "image/jpeg" } else { "image/png" };
        let longer = tampered.contains(&format!("length={}", bytes.len() + 1));
        let body = if longer { [bytes.clone(), vec![0]].concat() } else { bytes.clone() };
        let (status, body) = app.put_upload(&serde_json::json!({"url": tampered}), Some(headers), body).await;
        assert_eq!((status, code(&body).as_str()), (403, "signature_mismatch"), "{tampered}");
    }
    let (status, body) = app.put_upload(&serde_json::json!({"url": head}), Some("image/png"), bytes.clone()).await;
    assert_eq!((status, code(&body).as_str()), (400, "bad_url"));

    // Signed with the store's own key, but expired a second ago.
    let store = LocalStore::open(app.data_dir()).await.unwrap();
    let key = ObjectKey::parse(presigned["key"].as_str().unwrap()).unwrap();
    let expired = store.upload_url(&key, bytes.len() as u64, time::OffsetDateTime::now_utc().unix_timestamp() - 1);
    let (status, body) = app.put_upload(&serde_json::json!({"url": expired}), Some("image/png"), bytes.clone()).await;
    assert_eq!((status, code(&body).as_str()), (403, "expired"));

    assert_eq!(app.status_of(&format!("/media/{key}")).await, 404, "nothing refused was stored");
    assert_eq!(app.put_upload(&presigned, None, bytes.clone()).await.0, 200, "the URL itself still works");
    let (status, body) = app.put_upload(&presigned, None, bytes.clone()).await;
    assert_eq!((status, code(&body).as_str()), (409, "already_exists"), "a key is written once");
    let leftovers = std::fs::read_dir(app.data_dir().join("media-incoming")).unwrap().count();
    assert_eq!(leftovers, 0, "refused uploads leave no partial files");
}

/// Sends a request line exactly as written (HTTP clients normalise `..` away).
async fn raw_request(app: &TestApp, method: &str, target: &str) -> (u16, String) {
    let addr = app.address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: image/png\r\nContent-Length: 4\r\nConnection: close\r\n\r\nabcd"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, text)
}

#[tokio::test]
async fn no_path_reaches_outside_the_store() {
    let app = admin().await;
    std::fs::write(app.data_dir().join("secret.txt"), "outside the store").unwrap();
    let image = app.upload_png(PRODUCT, "Hoops").await;
    let url = image["image"]["url"].as_str().unwrap().to_owned();
    let (dir, _) = url.rsplit_once('/').unwrap();
    let uuid = "0f8e3c1a-5b2d-4c3e-9a1b-2c3d4e5f6a7b";
    let targets = [
        "/media/../secret.txt".to_owned(),
        "/media/../media-signing.key".to_owned(),
        "/media/..%2fsecret.txt".to_owned(),
        "/media/..%2Fmedia-signing.key".to_owned(),
        "/media/%2e%2e/secret.txt".to_owned(),
        "/media/%2e%2e%2fshop.db".to_owned(),
        "/media/products/../../secret.txt".to_owned(),
        format!("{dir}/../../../secret.txt"),
        format!("{dir}/..%2f..%2f..%2fsecret.txt"),
        format!("{dir}/%2e%2e%5c%2e%2e%5c%2e%2e%5csecret.txt"),
        "/media/products\\..\\..\\secret.txt".to_owned(),
        "/media//etc/passwd".to_owned(),
        "/media/%2fetc%2fpasswd".to_owned(),
        format!("/media/products/..%2f..%2f/{uuid}.png"),
        format!("/media/products/x/{uuid}.png%00.txt"),
    ];
    for target in &targets {
        let (status, text) = raw_request(&app, "GET", target).await;
        assert!(status == 404 || status == 400, "GET {target}: {status}");
        assert!(!text.contains("outside the store") && !text.contains("SQLite format"), "GET {target} leaked");
        let upload = format!("{}?expires=9999999999&length=4&signature=00", target.replacen("/media/", "/uploads/", 1));
        let (status, _) = raw_request(&app, "PUT", &upload).await;
        assert!(status == 404 || status == 400, "PUT {upload}: {status}");
    }
    let (status, _) = raw_request(&app, "GET", &url).await;
    assert_eq!(status, 200, "the same request shape reads a real image");
    assert_eq!(std::fs::read_to_string(app.data_dir().join("secret.txt")).unwrap(), "outside the store");
}

#[tokio::test]
async fn presign_refuses_what_may_not_be_uploaded_and_who_may_not_upload() {
    let app = admin().await;
    for (content_type, size, code) in [
        ("image/svg+xml", 100, "unsupported_type"),
        ("text/html", 100, "unsupported_type"),
        ("image/png", 5 * 1024 * 1024 + 1, "too_large"),
        ("image/png", 0, "empty_file"),
    ] {
        let (status, body) = app.presign(PRODUCT, content_type, size).await.unwrap_err();
        assert_eq!((status, refusal_code(&body)), (422, code), "{content_type} {size}");
    }
    assert!(app.presign(PRODUCT, "image/avif", 5 * 1024 * 1024).await.is_ok(), "5 MiB exactly is allowed");
    assert_eq!(app.presign("no-such-product", "image/png", 100).await.unwrap_err().0, 404);
    let rejected = app.lines_of("upload").into_iter().filter(|l| l["action"] == "upload_rejected").count();
    assert_eq!(rejected, 4);

    let response = reqwest::Client::new()
        .post(app.url("/api/admin/images/presign"))
        .form(&[("product_id", PRODUCT), ("content_type", "image/png"), ("size", "67")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let shopper = app.other_browser_signed_in(SHOPPER).await;
    for (endpoint, form) in [
        ("admin/images/presign", vec![("product_id", PRODUCT), ("content_type", "image/png"), ("size", "67")]),
        ("admin/images/attach", vec![("product_id", PRODUCT), ("key", "k"), ("alt", "a")]),
        ("admin/images/move", vec![("product_id", PRODUCT), ("image_id", "1"), ("up", "true")]),
        ("admin/images/alt", vec![("product_id", PRODUCT), ("image_id", "1"), ("alt", "a")]),
        ("admin/images/remove", vec![("product_id", PRODUCT), ("image_id", "1")]),
    ] {
        let response = shopper.post(app.url(&format!("/api/{endpoint}"))).form(&form).send().await.unwrap();
        assert_eq!(response.status(), 403, "{endpoint}");
    }
    assert_eq!(app.lines_of("upload").len(), 5, "refused callers cause no upload lines");
}

#[tokio::test]
async fn attach_keeps_only_what_is_as_signed_and_deletes_the_rest() {
    let app = admin().await;
    let bytes = png();
    let key_of = |p: &Value| p["key"].as_str().unwrap().to_owned();

    // Not uploaded yet: refused, and the upload may still happen.
    let pending = app.presign(PRODUCT, "image/png", bytes.len()).await.unwrap();
    let (status, body) = app.attach(PRODUCT, &key_of(&pending), "Hoops").await.unwrap_err();
    assert_eq!((status, refusal_code(&body)), (422, "not_uploaded"));
    assert_eq!(app.put_upload(&pending, None, bytes.clone()).await.0, 200);
    let (_, body) = app.attach(PRODUCT, &key_of(&pending), " ").await.unwrap_err();
    assert_eq!(refusal_code(&body), "bad_alt_text");
    assert!(app.attach(PRODUCT, &key_of(&pending), "Hoops").await.is_ok());
    let (_, body) = app.attach(PRODUCT, &key_of(&pending), "Hoops").await.unwrap_err();
    assert_eq!(refusal_code(&body), "unknown_upload", "a key is attached once");
    assert_eq!(app.status_of(&format!("/media/{}", key_of(&pending))).await, 200, "and stays attached");

    // Bytes that are not a PNG, under a PNG's name: deleted.
    let fake = [b"<svg xmlns='http://www.w3.org/2000/svg'>".to_vec(), vec![b' '; 27]].concat();
    let presigned = app.presign(PRODUCT, "image/png", fake.len()).await.unwrap();
    assert_eq!(app.put_upload(&presigned, None, fake).await.0, 200);
    let (_, body) = app.attach(PRODUCT, &key_of(&presigned), "Hoops").await.unwrap_err();
    assert_eq!(refusal_code(&body), "not_an_image");
    assert_eq!(app.status_of(&format!("/media/{}", key_of(&presigned))).await, 404, "the object was deleted");

    // Storage holding something else than was signed (as a misbehaving store might): deleted.
    let presigned = app.presign(PRODUCT, "image/png", bytes.len()).await.unwrap();
    let path = app.data_dir().join("media").join(key_of(&presigned));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, [bytes.clone(), bytes.clone()].concat()).unwrap();
    let (_, body) = app.attach(PRODUCT, &key_of(&presigned), "Hoops").await.unwrap_err();
    assert_eq!(refusal_code(&body), "not_as_signed");
    assert!(!path.exists(), "the object was deleted");

    // Keys never signed, or signed for another product, are left alone.
    let other = app.presign("aurora-solitaire-ring", "image/png", bytes.len()).await.unwrap();
    assert_eq!(app.put_upload(&other, None, bytes.clone()).await.0, 200);
    for key in [key_of(&other), "products/northern-hoops/../../shop.db".to_owned(), "anything".to_owned()] {
        let (_, body) = app.attach(PRODUCT, &key, "Hoops").await.unwrap_err();
        assert_eq!(refusal_code(&body), "unknown_upload", "{key}");
    }
    assert_eq!(app.status_of(&format!("/media/{}", key_of(&other))).await, 200, "another product's upload stays");

    let reasons: Vec<String> = app
        .lines_of("upload")
        .iter()
        .filter(|l| l["action"] == "upload_rejected")
        .map(|l| l["reason"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        reasons,
        [
            "not_uploaded",
            "unknown_upload",
            "not_an_image",
            "not_as_signed",
            "unknown_upload",
            "unknown_upload",
            "unknown_upload"
        ]
    );
}

#[tokio::test]
async fn admins_reorder_describe_and_remove_images() {
    let app = admin().await;
    let seeded = app.call_json("admin/product", &[("id", PRODUCT)]).await["images"].clone();
    let seeded_id = seeded[0]["id"].to_string();
    let first = app.upload_png(PRODUCT, "Hoops, side").await;
    let second = app.upload_png(PRODUCT, "Hoops, worn").await;
    let id = |v: &Value| v["id"].to_string();
    let order = |images: &Value| -> Vec<String> { images.as_array().unwrap().iter().map(id).collect() };

    let moved = app
        .call_json("admin/images/move", &[("product_id", PRODUCT), ("image_id", &id(&second)), ("up", "true")])
        .await;
    assert_eq!(order(&moved), [seeded_id.clone(), id(&second), id(&first)]);
    let moved = app
        .call_json("admin/images/move", &[("product_id", PRODUCT), ("image_id", &id(&second)), ("up", "true")])
        .await;
    assert_eq!(order(&moved), [id(&second), seeded_id.clone(), id(&first)]);
    let (_, page) = app.get_html(&format!("/products/{PRODUCT}")).await;
    let main_image = second["image"]["url"].as_str().unwrap();
    let catalog_card = app.get_html("/catalog?q=northern").await.1;
    assert!(catalog_card.contains(main_image), "the first image is the product's card image");
    assert!(page.find(main_image) < page.find(first["image"]["url"].as_str().unwrap()));
    let unchanged = app
        .call_json("admin/images/move", &[("product_id", PRODUCT), ("image_id", &id(&second)), ("up", "true")])
        .await;
    assert_eq!(order(&unchanged), order(&moved), "the first cannot move up");

    let renamed = app
        .call_json(
            "admin/images/alt",
            &[("product_id", PRODUCT), ("image_id", &id(&first)), ("alt", " Hoops, close up ")],
        )
        .await;
    assert_eq!(renamed[2]["image"]["alt"]["en"], "Hoops, close up");
    // From a Vietnamese page, the Vietnamese alt text: each language's page reads its own.
    let vietnamese: Value = app
        .client
        .post(app.url("/api/admin/images/alt"))
        .header("Accept", "application/json")
        .header("Referer", app.url(&format!("/vi/admin/products/{PRODUCT}/edit")))
        .form(&[("product_id", PRODUCT), ("image_id", &id(&renamed[0])), ("alt", "Bông tai khoen, cận cảnh")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // The main image (the first): its English alt stays, the Vietnamese is added.
    let main_english = renamed[0]["image"]["alt"]["en"].as_str().unwrap().to_owned();
    assert_eq!(
        vietnamese[0]["image"]["alt"],
        serde_json::json!({"vi": "Bông tai khoen, cận cảnh", "en": main_english})
    );
    let (_, vi_page) = app.get_html(&format!("/vi/products/{PRODUCT}")).await;
    // The images' alt attributes (the gallery's island props carry both languages).
    let alts = |html: &str| -> Vec<String> {
        html.split(" alt=\"").skip(1).filter_map(|rest| rest.split('"').next()).map(str::to_owned).collect()
    };
    let (_, en_page) = app.get_html(&format!("/products/{PRODUCT}")).await;
    let (vi_alts, en_alts) = (alts(&vi_page), alts(&en_page));
    assert_eq!(vi_alts[0], "Bông tai khoen, cận cảnh", "the Vietnamese page reads its own");
    assert_eq!(en_alts[0], main_english, "the English page its own");
    let refused =
        app.call("admin/images/alt", &[("product_id", PRODUCT), ("image_id", &id(&first)), ("alt", "")]).await;
    assert_eq!(refused.status(), 422);
    assert_eq!(refusal_code(&refused.json().await.unwrap()), "bad_alt_text");
    let (_, page) = app.get_html(&format!("/products/{PRODUCT}")).await;
    assert!(page.contains("Hoops, close up"));

    let left = app.call_json("admin/images/remove", &[("product_id", PRODUCT), ("image_id", &id(&second))]).await;
    assert_eq!(order(&left), [seeded_id.clone(), id(&first)]);
    assert_eq!(app.status_of(main_image).await, 404, "a removed upload's object is deleted");
    let left = app.call_json("admin/images/remove", &[("product_id", PRODUCT), ("image_id", &seeded_id)]).await;
    assert_eq!(order(&left), [id(&first)], "a seeded image is removed too");
    let response =
        app.call("admin/images/remove", &[("product_id", "aurora-solitaire-ring"), ("image_id", &id(&first))]).await;
    assert_eq!(response.status(), 404, "an image is removed only from its own product");

    let crud: Vec<(String, String)> = app
        .lines_of("crud")
        .iter()
        .map(|l| (l["action"].as_str().unwrap().to_owned(), l["entityId"].as_str().unwrap().to_owned()))
        .collect();
    let expected: Vec<(String, String)> = [
        ("create", id(&first)),
        ("create", id(&second)),
        ("reorder", id(&second)),
        ("reorder", id(&second)),
        ("update", id(&first)),
        ("update", id(&renamed[0])),
        ("delete", id(&second)),
        ("delete", seeded_id),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_owned(), b))
    .collect();
    assert_eq!(crud, expected);
}

#[tokio::test]
async fn uploads_never_attached_are_deleted_after_they_expire_and_attached_ones_stay() {
    let app = admin().await;
    let kept = app.upload_png(PRODUCT, "Hoops").await;
    let bytes = png();
    let abandoned = app.presign(PRODUCT, "image/png", bytes.len()).await.unwrap();
    assert_eq!(app.put_upload(&abandoned, None, bytes.clone()).await.0, 200);
    let key = abandoned["key"].as_str().unwrap().to_owned();

    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&app.database_url).await.unwrap();
    let store = LocalStore::open(app.data_dir()).await.unwrap();
    let media = MediaService::new(pool.clone().into(), std::sync::Arc::new(store), app.sink.clone());
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    assert_eq!(media.sweep_expired_before(now).await.unwrap(), 0, "its URL is still valid");
    assert_eq!(media.sweep_expired_before(now + 301).await.unwrap(), 1);
    assert_eq!(app.status_of(&format!("/media/{key}")).await, 404, "the abandoned object is deleted");
    let (_, body) = app.attach(PRODUCT, &key, "Hoops").await.unwrap_err();
    assert_eq!(refusal_code(&body), "unknown_upload");
    assert_eq!(app.status_of(kept["image"]["url"].as_str().unwrap()).await, 200, "attached images stay");
    assert_eq!(media.sweep_expired_before(now + 10_000).await.unwrap(), 0);
}

#[tokio::test]
async fn an_object_storage_could_not_delete_is_deleted_by_a_later_sweep() {
    let app = admin().await;
    let image = app.upload_png(PRODUCT, "Hoops").await;
    let url = image["image"]["url"].as_str().unwrap().to_owned();
    let path = app.data_dir().join("media").join(url.trim_start_matches("/media/"));
    // A directory where the file was: removing it fails, as a storage outage would.
    std::fs::remove_file(&path).unwrap();
    std::fs::create_dir(&path).unwrap();
    std::fs::write(path.join("stuck"), "x").unwrap();

    let left =
        app.call_json("admin/images/remove", &[("product_id", PRODUCT), ("image_id", &image["id"].to_string())]).await;
    assert!(!left.to_string().contains(&url), "the image is removed even though its object is not");
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&app.database_url).await.unwrap();
    let media = MediaService::new(
        pool.clone().into(),
        std::sync::Arc::new(LocalStore::open(app.data_dir()).await.unwrap()),
        app.sink.clone(),
    );
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    assert_eq!(media.sweep_expired_before(now).await.unwrap(), 0, "still failing: kept for the next sweep");
    std::fs::remove_dir_all(&path).unwrap();
    std::fs::write(&path, png()).unwrap();
    assert_eq!(media.sweep_expired_before(now).await.unwrap(), 1);
    assert!(!path.exists(), "the sweep deleted it");
    assert_eq!(media.sweep_expired_before(now).await.unwrap(), 0);
}

/// A wall clock the test moves by hand.
#[derive(Clone)]
struct HandClock(std::sync::Arc<std::sync::Mutex<time::OffsetDateTime>>);

impl HandClock {
    fn now() -> HandClock {
        HandClock(std::sync::Arc::new(std::sync::Mutex::new(time::OffsetDateTime::now_utc())))
    }
    fn advance(&self, seconds: i64) {
        *self.0.lock().unwrap() += time::Duration::seconds(seconds);
    }
    fn clock(&self) -> jewelry_server::media::Clock {
        let at = self.0.clone();
        std::sync::Arc::new(move || *at.lock().unwrap())
    }
}

#[tokio::test]
async fn an_abandoned_upload_is_kept_until_an_hour_after_its_url_expired() {
    use jewelry_app::services::Media;
    let app = admin().await;
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&app.database_url).await.unwrap();
    let store = LocalStore::open(app.data_dir()).await.unwrap();
    let clock = HandClock::now();
    let media =
        MediaService::with_clock(pool.clone().into(), std::sync::Arc::new(store), app.sink.clone(), clock.clock());
    let request = jewelry_app::backend::request_context();
    let bytes = png();
    let abandoned = media.presign(PRODUCT, "image/png", bytes.len() as u64, &request).await.unwrap();
    let url = serde_json::json!({"url": abandoned.url, "headers": abandoned.headers});
    assert_eq!(app.put_upload(&url, None, bytes).await.0, 200, "uploaded, never attached");

    // The URL is valid for 5 minutes; the object is deleted an hour after that.
    clock.advance(300 + 3600 - 1);
    assert_eq!(media.sweep_abandoned().await.unwrap(), 0, "a second before the hour is up");
    assert_eq!(app.status_of(&format!("/media/{}", abandoned.key)).await, 200);
    clock.advance(2);
    assert_eq!(media.sweep_abandoned().await.unwrap(), 1, "a second after");
    assert_eq!(app.status_of(&format!("/media/{}", abandoned.key)).await, 404);
}

#[tokio::test(start_paused = true)]
async fn the_sweep_runs_at_start_and_then_every_ten_minutes() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let runs = std::sync::Arc::new(AtomicUsize::new(0));
    let counted = runs.clone();
    tokio::spawn(jewelry_server::media::every_sweep_period(move || {
        let runs = counted.clone();
        async move {
            runs.fetch_add(1, Ordering::SeqCst);
        }
    }));
    let after = |seconds: u64| async move {
        tokio::time::advance(std::time::Duration::from_secs(seconds)).await;
        // Let the spawned loop run what is due.
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
    };
    after(0).await;
    assert_eq!(runs.load(Ordering::SeqCst), 1, "once at start");
    after(599).await;
    assert_eq!(runs.load(Ordering::SeqCst), 1, "not before ten minutes");
    after(1).await;
    assert_eq!(runs.load(Ordering::SeqCst), 2, "at ten minutes");
    after(600 * 5).await;
    assert_eq!(runs.load(Ordering::SeqCst), 7, "and every ten minutes after");
}
