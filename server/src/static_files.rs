//! The built site's files and what is made per request, as the browser gets them:
//! which answers are compressed on the fly, how long each kind may be kept
//! (`Cache-Control`, an `ETag` for images), and no precompressed copy older than
//! its file.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{Predicate, SizeAbove};

/// Brotli or gzip, as the browser prefers, for what is made per request: pages
/// and server functions' answers. The built site's files are compressed once at
/// build time (`scripts/precompress.mjs`) and sent as they are; images are
/// compressed already; `/events` is not on this router (its answers are tiny and
/// its path the hot one).
pub(crate) fn dynamic_compression() -> CompressionLayer<impl tower_http::compression::Predicate> {
    let dynamic =
        |_: StatusCode, _: axum::http::Version, headers: &axum::http::HeaderMap, _: &axum::http::Extensions| {
            headers
                .get(axum::http::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|t| t.starts_with("text/html") || t.starts_with("application/json"))
        };
    CompressionLayer::new()
        .no_deflate()
        .no_zstd()
        // Fast levels: a page is compressed on every request.
        .quality(tower_http::CompressionLevel::Precise(4))
        .compress_when(SizeAbove::new(512).and(dynamic))
}

/// Removes `.br` and `.gz` copies in the built site that are older than their file
/// (a build without `scripts/precompress.mjs` after it), so a browser is never
/// sent the compressed copy of an earlier build.
pub(crate) fn drop_stale_precompressed(dir: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            drop_stale_precompressed(&path);
            continue;
        }
        if !matches!(path.extension().and_then(|e| e.to_str()), Some("br" | "gz")) {
            continue;
        }
        let modified = |p: &std::path::Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
        let source = path.with_extension("");
        let stale = match (modified(&source), modified(&path)) {
            (Some(source), Some(copy)) => source > copy,
            (None, _) => true,
            _ => false,
        };
        if stale && std::fs::remove_file(&path).is_ok() {
            tracing::warn!(file = %path.display(), "removed a precompressed copy older than its file (run scripts/precompress.mjs after a build)");
        }
    }
}

/// `Cache-Control` where a handler set none: pages and server functions answer
/// per shopper (their cart, their sign-in) and are never reused; the built site's
/// files whose names carry their content's hash (cargo-leptos's `hash-files`) never
/// change, so they are kept for a year without asking again; its other files
/// (a build without hashing) are revalidated (their `Last-Modified`) before every
/// reuse. The catalog's images and the icon may be reused for a week, and carry an
/// `ETag` to be revalidated with after that (answered `304` when it still matches).
pub(crate) async fn cache_policy(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    use axum::http::header::{CACHE_CONTROL, ETAG, IF_NONE_MATCH};
    let path = request.uri().path().to_owned();
    let if_none_match = request.headers().get(IF_NONE_MATCH).cloned();
    let mut response = next.run(request).await;
    if response.headers().contains_key(CACHE_CONTROL) {
        return response;
    }
    let image = path.starts_with("/images/") || path == "/favicon.svg";
    let policy = if path.starts_with("/pkg/") && has_content_hash(&path) {
        "public, max-age=31536000, immutable"
    } else if path.starts_with("/pkg/") {
        "no-cache"
    } else if image {
        "public, max-age=604800"
    } else {
        "private, no-cache"
    };
    response.headers_mut().insert(CACHE_CONTROL, axum::http::HeaderValue::from_static(policy));
    if image
        && response.status() == StatusCode::OK
        && let Some(etag) = file_etag(response.headers())
    {
        if if_none_match.is_some_and(|v| v.to_str().is_ok_and(|v| v.split(',').any(|t| t.trim() == etag))) {
            let mut not_modified = StatusCode::NOT_MODIFIED.into_response();
            for name in [CACHE_CONTROL, axum::http::header::LAST_MODIFIED] {
                if let Some(value) = response.headers().get(&name) {
                    not_modified.headers_mut().insert(name, value.clone());
                }
            }
            response = not_modified;
        }
        if let Ok(value) = axum::http::HeaderValue::from_str(&etag) {
            response.headers_mut().insert(ETAG, value);
        }
    }
    response
}

/// Whether a built file's name carries a content hash, as cargo-leptos names them:
/// `jewelry.<22 characters of URL-safe base64>.wasm`.
fn has_content_hash(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let mut parts = name.rsplit('.');
    let (_extension, hash) = (parts.next(), parts.next().unwrap_or_default());
    parts.next().is_some()
        && hash.len() == 22
        && hash.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        // The split loader's name before hashing is a placeholder of underscores.
        && hash.bytes().any(|b| b != b'_')
}

/// A weak `ETag` for a static file, from the length and modification time its
/// answer carries (a file rebuilt with other content gets another).
fn file_etag(headers: &axum::http::HeaderMap) -> Option<String> {
    let length = headers.get(axum::http::header::CONTENT_LENGTH)?.to_str().ok()?;
    let modified = headers.get(axum::http::header::LAST_MODIFIED)?.to_str().ok()?;
    let digest = crc32fast::hash(modified.as_bytes());
    Some(format!("W/\"{length}-{digest:08x}\""))
}

#[cfg(test)]
mod tests {
    use super::has_content_hash;

    #[test]
    fn only_names_with_cargo_leptos_content_hashes_count_as_hashed() {
        for hashed in [
            "/pkg/jewelry.QiKT-zfGYAEZSvpuziBQrw.js",
            "/pkg/jewelry.CODrYpRoE2zlEVH80tVCZQ.wasm",
            "/pkg/chunk_14.4MWtvJuh8jLCoM7bV0dkZQ.wasm",
            "/pkg/__wasm_split.ine4vuqIn9SG5edlywIgOg.js",
        ] {
            assert!(has_content_hash(hashed), "{hashed}");
        }
        for plain in [
            "/pkg/jewelry.js",
            "/pkg/jewelry.wasm",
            "/pkg/QiKT-zfGYAEZSvpuziBQrw.js",
            "/pkg/jewelry.QiKT-zfGYAEZSvpuziBQr.js",
            "/pkg/jewelry.QiKT-zfGYAEZSvpuziBQrw!.js",
            "/pkg/__wasm_split.______________________.js",
        ] {
            assert!(!has_content_hash(plain), "{plain}");
        }
    }
}
