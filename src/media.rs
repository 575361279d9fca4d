//! Product images as admins upload them: which files may be uploaded, the keys
//! objects get in storage, what an upload URL answers, and how an image is
//! recognised by its first bytes rather than by what the browser claims.

use crate::text::admin::Words;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use uuid::Uuid;

/// The largest image an admin may upload: 5 MiB.
pub const MAX_IMAGE_BYTES: u64 = 5 * 1024 * 1024;
/// How long an upload URL stays valid.
pub const UPLOAD_URL_SECONDS: u64 = 5 * 60;
/// Alt text may be this long at most (characters).
pub const MAX_ALT_CHARS: usize = 250;
/// A product has at most this many images.
pub const MAX_IMAGES_PER_PRODUCT: i64 = 12;
/// How many leading bytes [`ImageType::matches`] needs to decide.
pub const SNIFF_BYTES: usize = 64;

/// The image formats the shop accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ImageType {
    Jpeg,
    Png,
    Webp,
    Avif,
}

impl ImageType {
    pub const ALL: [ImageType; 4] = [ImageType::Jpeg, ImageType::Png, ImageType::Webp, ImageType::Avif];

    /// The media type, as signed into an upload URL and served back.
    pub fn mime(self) -> &'static str {
        match self {
            ImageType::Jpeg => "image/jpeg",
            ImageType::Png => "image/png",
            ImageType::Webp => "image/webp",
            ImageType::Avif => "image/avif",
        }
    }

    /// The extension of the object's key.
    pub fn extension(self) -> &'static str {
        match self {
            ImageType::Jpeg => "jpg",
            ImageType::Png => "png",
            ImageType::Webp => "webp",
            ImageType::Avif => "avif",
        }
    }

    /// The type named by an exact media type (no parameters, lowercase).
    pub fn from_mime(mime: &str) -> Option<ImageType> {
        ImageType::ALL.into_iter().find(|t| t.mime() == mime)
    }

    pub fn from_extension(ext: &str) -> Option<ImageType> {
        ImageType::ALL.into_iter().find(|t| t.extension() == ext)
    }

    /// Whether `head` (the object's first bytes, [`SNIFF_BYTES`] or all of a
    /// shorter object) begins the way a file of this type does.
    pub fn matches(self, head: &[u8]) -> bool {
        match self {
            ImageType::Jpeg => head.starts_with(&[0xFF, 0xD8, 0xFF]),
            ImageType::Png => head.starts_with(b"\x89PNG\r\n\x1a\n"),
            ImageType::Webp => head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP",
            ImageType::Avif => is_avif(head),
        }
    }
}

impl fmt::Display for ImageType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.mime())
    }
}

/// An ISO-BMFF `ftyp` box naming AVIF (`avif` or `avis`) as its major brand or
/// among the compatible brands that fit in `head`.
fn is_avif(head: &[u8]) -> bool {
    if head.len() < 16 || &head[4..8] != b"ftyp" {
        return false;
    }
    let box_size = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
    if box_size < 16 {
        return false;
    }
    let end = box_size.min(head.len());
    let is_avif_brand = |brand: &[u8]| brand == b"avif" || brand == b"avis";
    // major brand, minor version, then compatible brands four bytes each
    is_avif_brand(&head[8..12]) || head[16..end].chunks_exact(4).any(is_avif_brand)
}

/// Why an upload was refused. Each has a stable code (logged, and answered to the
/// admin's browser) and a message for the admin, in the admin's language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum UploadRefusal {
    /// Not one of [`ImageType::ALL`].
    UnsupportedType,
    Empty,
    /// Over [`MAX_IMAGE_BYTES`].
    TooLarge,
    /// The key was never issued for this product, has expired, or was attached already.
    UnknownUpload,
    /// Nothing was stored under the key (the upload did not finish).
    NotUploaded,
    /// The stored object's type or size differ from what the URL was signed for.
    NotAsSigned,
    /// The first bytes are not those of an image of the signed type.
    NotAnImage,
    /// Alt text empty or too long.
    BadAlt,
    /// The product has [`MAX_IMAGES_PER_PRODUCT`] already.
    TooManyImages,
}

impl UploadRefusal {
    pub fn code(self) -> &'static str {
        match self {
            UploadRefusal::UnsupportedType => "unsupported_type",
            UploadRefusal::Empty => "empty_file",
            UploadRefusal::TooLarge => "too_large",
            UploadRefusal::UnknownUpload => "unknown_upload",
            UploadRefusal::NotUploaded => "not_uploaded",
            UploadRefusal::NotAsSigned => "not_as_signed",
            UploadRefusal::NotAnImage => "not_an_image",
            UploadRefusal::BadAlt => "bad_alt_text",
            UploadRefusal::TooManyImages => "too_many_images",
        }
    }

    /// What the admin is told, in `words` (the admin's language).
    pub fn message(self, words: &Words) -> &'static str {
        match self {
            UploadRefusal::UnsupportedType => words.upload_unsupported_type,
            UploadRefusal::Empty => words.upload_empty,
            UploadRefusal::TooLarge => words.upload_too_large,
            UploadRefusal::UnknownUpload => words.upload_unknown,
            UploadRefusal::NotUploaded => words.upload_not_uploaded,
            UploadRefusal::NotAsSigned => words.upload_not_as_signed,
            UploadRefusal::NotAnImage => words.upload_not_an_image,
            UploadRefusal::BadAlt => words.upload_bad_alt,
            UploadRefusal::TooManyImages => words.upload_too_many_images,
        }
    }
}

/// What may be uploaded: the type (from the allowlist) for a size within the limit.
pub fn check_upload(content_type: &str, size: u64) -> Result<ImageType, UploadRefusal> {
    let kind = ImageType::from_mime(content_type.trim()).ok_or(UploadRefusal::UnsupportedType)?;
    match size {
        0 => Err(UploadRefusal::Empty),
        s if s > MAX_IMAGE_BYTES => Err(UploadRefusal::TooLarge),
        _ => Ok(kind),
    }
}

/// Alt text, trimmed, or [`UploadRefusal::BadAlt`].
pub fn check_alt(alt: &str) -> Result<String, UploadRefusal> {
    let alt = alt.trim();
    match alt.chars().count() {
        1..=MAX_ALT_CHARS => Ok(alt.to_owned()),
        _ => Err(UploadRefusal::BadAlt),
    }
}

/// Where an uploaded image lives in storage: `products/{productId}/{uuid}.{ext}`.
/// Made by the server only; parsed strictly, so no key can name a path outside
/// the store (`..`, slashes, escapes and other forms are not keys).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ObjectKey {
    product_id: String,
    id: Uuid,
    kind: ImageType,
}

impl ObjectKey {
    /// A key for a new image of `product_id`, or `None` if the id is not a
    /// product id (lowercase letters, digits and single hyphens).
    pub fn new(product_id: &str, id: Uuid, kind: ImageType) -> Option<ObjectKey> {
        crate::admin::valid_id(product_id).then(|| ObjectKey { product_id: product_id.to_owned(), id, kind })
    }

    pub fn parse(key: &str) -> Option<ObjectKey> {
        let rest = key.strip_prefix("products/")?;
        let (product_id, file) = rest.split_once('/')?;
        let (id, ext) = file.split_once('.')?;
        // only the canonical form: lowercase, hyphenated
        let canonical =
            id.len() == 36 && id.bytes().all(|b| b == b'-' || b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        let uuid = canonical.then(|| Uuid::try_parse(id).ok()).flatten()?;
        ObjectKey::new(product_id, uuid, ImageType::from_extension(ext)?)
    }

    pub fn product_id(&self) -> &str {
        &self.product_id
    }

    pub fn kind(&self) -> ImageType {
        self.kind
    }

    /// The key's unique part.
    pub fn id(&self) -> Uuid {
        self.id
    }
}

impl fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "products/{}/{}.{}", self.product_id, self.id.hyphenated(), self.kind.extension())
    }
}

/// What `presign` answers: where and how to PUT the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PresignedUpload {
    /// Absolute (S3) or relative to the site (the embedded store).
    pub url: String,
    /// Always `PUT`.
    pub method: String,
    /// Headers the request must carry exactly as given: they are signed.
    /// (`Content-Length` is signed too; browsers set it from the file.)
    pub headers: BTreeMap<String, String>,
    pub key: String,
    /// RFC 3339, UTC.
    pub expires_at: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// A valid key with a few characters replaced or inserted (dots, slashes,
        /// escapes, uppercase, ...): when the result parses, it is exactly its own
        /// canonical form, so no other spelling of a path names an object.
        #[test]
        fn only_canonical_keys_parse(
            id in any::<u128>(),
            edits in prop::collection::vec(
                (any::<prop::sample::Index>(), prop::sample::select(vec!['.', '/', '%', '\\', 'A', 'f', '0', '-', 'é']), any::<bool>()),
                0..3,
            ),
        ) {
            let valid = ObjectKey::new("aurora-ring", Uuid::from_u128(id), ImageType::Png).unwrap().to_string();
            let mut chars: Vec<char> = valid.chars().collect();
            for (at, c, replace) in edits {
                let i = at.index(chars.len());
                if replace { chars[i] = c } else { chars.insert(i, c) }
            }
            let key: String = chars.into_iter().collect();
            if let Some(parsed) = ObjectKey::parse(&key) {
                prop_assert_eq!(parsed.to_string(), key.clone());
                prop_assert!(!key.contains("..") && !key.contains('%') && !key.contains('\\'));
            }
        }

        #[test]
        fn every_key_the_server_makes_parses_back(
            product in "[a-z0-9]{1,10}(-[a-z0-9]{1,10}){0,3}",
            id in any::<u128>(),
            kind in prop::sample::select(ImageType::ALL.to_vec()),
        ) {
            prop_assume!(product.len() >= 3);
            let key = ObjectKey::new(&product, Uuid::from_u128(id), kind).unwrap();
            prop_assert_eq!(ObjectKey::parse(&key.to_string()), Some(key));
        }
    }

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F'];
    const WEBP: &[u8] = b"RIFF\x24\0\0\0WEBPVP8 ";
    const AVIF: &[u8] = b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf";
    const AVIF_COMPATIBLE: &[u8] = b"\0\0\0\x1cftypmif1\0\0\0\0mif1avifmiaf";
    const HEIC: &[u8] = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic";

    #[test]
    fn recognises_each_type_by_its_first_bytes_only() {
        let samples =
            [(ImageType::Jpeg, JPEG), (ImageType::Png, PNG), (ImageType::Webp, WEBP), (ImageType::Avif, AVIF)];
        for (kind, bytes) in samples {
            for (other, other_bytes) in samples {
                assert_eq!(kind.matches(other_bytes), kind == other, "{kind} vs {other}");
            }
            assert!(!kind.matches(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), "{kind}");
            assert!(!kind.matches(&bytes[..2]), "{kind}: two bytes are not enough");
            assert!(!kind.matches(b""), "{kind}");
        }
        assert!(ImageType::Avif.matches(AVIF_COMPATIBLE));
        assert!(!ImageType::Avif.matches(HEIC));
    }

    #[test]
    fn only_allowlisted_types_within_the_limit_may_be_uploaded() {
        assert_eq!(check_upload("image/png", 1), Ok(ImageType::Png));
        assert_eq!(check_upload("image/avif", MAX_IMAGE_BYTES), Ok(ImageType::Avif));
        assert_eq!(check_upload("image/jpeg", MAX_IMAGE_BYTES + 1), Err(UploadRefusal::TooLarge));
        assert_eq!(check_upload("image/webp", 0), Err(UploadRefusal::Empty));
        for bad in ["image/svg+xml", "text/html", "image/PNG", "image/png; charset=x", "", "image/gif"] {
            assert_eq!(check_upload(bad, 10), Err(UploadRefusal::UnsupportedType), "{bad}");
        }
    }

    #[test]
    fn refusals_are_said_in_the_admins_language() {
        use crate::text::admin::{EN, VI};
        assert_eq!(UploadRefusal::UnsupportedType.message(&EN), "Upload a JPEG, PNG, WebP or AVIF image.");
        assert_eq!(UploadRefusal::UnsupportedType.message(&VI), "Hãy tải lên ảnh JPEG, PNG, WebP hoặc AVIF.");
        assert!(UploadRefusal::NotAnImage.message(&EN).contains("not an image of its type"));
    }

    #[test]
    fn alt_text_is_trimmed_and_bounded() {
        assert_eq!(check_alt("  A gold ring  ").unwrap(), "A gold ring");
        assert_eq!(check_alt("   "), Err(UploadRefusal::BadAlt));
        assert!(check_alt(&"é".repeat(MAX_ALT_CHARS)).is_ok());
        assert_eq!(check_alt(&"é".repeat(MAX_ALT_CHARS + 1)), Err(UploadRefusal::BadAlt));
    }

    #[test]
    fn keys_round_trip_and_only_canonical_keys_parse() {
        let id = Uuid::parse_str("0f8e3c1a-5b2d-4c3e-9a1b-2c3d4e5f6a7b").unwrap();
        let key = ObjectKey::new("aurora-ring", id, ImageType::Webp).unwrap();
        let text = key.to_string();
        assert_eq!(text, "products/aurora-ring/0f8e3c1a-5b2d-4c3e-9a1b-2c3d4e5f6a7b.webp");
        assert_eq!(ObjectKey::parse(&text), Some(key));
        for bad in [
            "products/aurora-ring/0F8E3C1A-5B2D-4C3E-9A1B-2C3D4E5F6A7B.webp",
            "products/aurora-ring/0f8e3c1a5b2d4c3e9a1b2c3d4e5f6a7b.webp",
            "products/aurora-ring/0f8e3c1a-5b2d-4c3e-9a1b-2c3d4e5f6a7b.svg",
            "products/aurora-ring/0f8e3c1a-5b2d-4c3e-9a1b-2c3d4e5f6a7b.webp.png",
            "products/aurora-ring/0f8e3c1a-5b2d-4c3e-9a1b-2c3d4e5f6a7b",
            "products/../0f8e3c1a-5b2d-4c3e-9a1b-2c3d4e5f6a7b.webp",
            "products/aurora-ring/../../0f8e3c1a-5b2d-4c3e-9a1b-2c3d4e5f6a7b.webp",
            "products/aurora-ring/sub/0f8e3c1a-5b2d-4c3e-9a1b-2c3d4e5f6a7b.webp",
            "/products/aurora-ring/0f8e3c1a-5b2d-4c3e-9a1b-2c3d4e5f6a7b.webp",
            "products/aurora%2Fring/0f8e3c1a-5b2d-4c3e-9a1b-2c3d4e5f6a7b.webp",
            "products/aurora-ring\\..\\0f8e3c1a-5b2d-4c3e-9a1b-2c3d4e5f6a7b.webp",
            "products//0f8e3c1a-5b2d-4c3e-9a1b-2c3d4e5f6a7b.webp",
            "..",
            "",
        ] {
            assert_eq!(ObjectKey::parse(bad), None, "{bad}");
        }
        assert_eq!(ObjectKey::new("../etc", id, ImageType::Png), None);
    }
}
