//! The upload flow on the server: sign a URL for one object, check what arrived
//! before it joins the product, and keep the product's images in order.

use super::ObjectStore;
use crate::db::Database;
use crate::logs::LogSink;
use crate::logs::lines::{CrudAction, CrudLine, Entity, UploadAction, UploadFacts, UploadLine};
use crate::logs::rfc3339_millis;
use crate::shop::{CatalogCache, images_of};
use async_trait::async_trait;
use jewelry::admin::AdminImage;
use jewelry::catalog::ProductImage;
use jewelry::media::{
    MAX_IMAGES_PER_PRODUCT, ObjectKey, PresignedUpload, SNIFF_BYTES, UPLOAD_URL_SECONDS, UploadRefusal, check_alt,
    check_upload,
};
use jewelry::{Locale, Localized};
use jewelry_app::error::{During, Failure, ShopError};
use jewelry_app::request::RequestContext;
use jewelry_app::services::Media;
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;
use uuid::Uuid;

/// An upload that was signed but never attached is deleted this long after its URL expired.
const ABANDONED_AFTER_SECS: i64 = 60 * 60;

/// The wall clock the service reads: the system's, or one a test hands it.
pub type Clock = Arc<dyn Fn() -> OffsetDateTime + Send + Sync>;

pub struct MediaService {
    pool: Database,
    store: Arc<dyn ObjectStore>,
    logs: LogSink,
    clock: Clock,
    /// Told when a product's images change (they are on the catalog's pages).
    catalog: Arc<CatalogCache>,
}

/// The refusal, said in the language of the request's page.
fn rejected(refusal: UploadRefusal, request: &RequestContext) -> Failure {
    let message = refusal.message(jewelry::text::admin::words(request.locale)).to_owned();
    Failure::Shop(ShopError::Rejected { code: refusal.code().to_owned(), message })
}

impl MediaService {
    pub fn new(pool: Database, store: Arc<dyn ObjectStore>, logs: LogSink) -> Self {
        Self::with_clock(pool, store, logs, Arc::new(OffsetDateTime::now_utc))
    }

    /// A service that reads the time from `clock`: when URLs expire, and when an
    /// abandoned upload is old enough to delete.
    pub fn with_clock(pool: Database, store: Arc<dyn ObjectStore>, logs: LogSink, clock: Clock) -> Self {
        MediaService { pool, store, logs, clock, catalog: Arc::new(CatalogCache::new(std::time::Duration::ZERO)) }
    }

    /// The same service, telling `catalog` when a product's images change.
    pub fn changing(self, catalog: Arc<CatalogCache>) -> Self {
        MediaService { catalog, ..self }
    }

    fn log(
        &self,
        action: UploadAction,
        facts: (&str, Option<&str>, Option<&str>, Option<u64>),
        reason: Option<UploadRefusal>,
        request: &RequestContext,
    ) {
        let (product_id, key, content_type, size_bytes) = facts;
        let facts = UploadFacts { product_id, key, content_type, size_bytes, store: self.store.name() };
        self.logs.emit(&UploadLine::new(action, facts, reason.map(UploadRefusal::code), request));
    }

    /// Deletes the objects of uploads signed but never attached, an hour after
    /// their URL expired; answers how many.
    pub async fn sweep_abandoned(&self) -> anyhow::Result<usize> {
        self.sweep_expired_before((self.clock)().unix_timestamp() - ABANDONED_AFTER_SECS).await
    }

    /// Deletes the uploads (and their objects) whose URL expired before `cutoff`
    /// (Unix seconds) without being attached, and the objects of removed images
    /// whose deletion failed before; answers how many objects went. An object
    /// storage cannot delete now stays listed for the next sweep.
    pub async fn sweep_expired_before(&self, cutoff: i64) -> anyhow::Result<usize> {
        let keys: Vec<(String,)> =
            sqlx::query_as("SELECT object_key FROM image_uploads WHERE expires_at < $1 ORDER BY expires_at LIMIT 500")
                .bind(cutoff)
                .fetch_all(&self.pool)
                .await?;
        let mut deleted = 0;
        for (key,) in &keys {
            if let Some(parsed) = ObjectKey::parse(key)
                && let Err(e) = self.store.delete(&parsed).await
            {
                tracing::warn!(error = format!("{e:#}"), key = %key, "an abandoned object could not be deleted yet");
                continue;
            }
            sqlx::query("DELETE FROM image_uploads WHERE object_key = $1").bind(key).execute(&self.pool).await?;
            deleted += 1;
        }
        Ok(deleted)
    }

    /// Deletes an object that failed its checks, with its upload.
    async fn discard(&self, key: &ObjectKey) -> Result<(), Failure> {
        self.store.delete(key).await.during("deleting a refused upload")?;
        sqlx::query("DELETE FROM image_uploads WHERE object_key = $1")
            .bind(key.to_string())
            .execute(&self.pool)
            .await
            .during("forgetting a refused upload")?;
        Ok(())
    }

    async fn reorder(&self, product_id: &str, order: &[AdminImage]) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        for (position, image) in order.iter().enumerate() {
            sqlx::query("UPDATE product_images SET position = $1 WHERE id = $2 AND product_id = $3")
                .bind(position as i64)
                .bind(image.id)
                .bind(product_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        self.catalog.changed();
        Ok(())
    }
}

#[async_trait]
impl Media for MediaService {
    async fn presign(
        &self,
        product_id: &str,
        content_type: &str,
        size: u64,
        request: &RequestContext,
    ) -> Result<PresignedUpload, Failure> {
        let failed = "signing an upload";
        let (products, images): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM products WHERE id = $1), \
             (SELECT COUNT(*) FROM product_images WHERE product_id = $1)",
        )
        .bind(product_id)
        .fetch_one(&self.pool)
        .await
        .during(failed)?;
        if products == 0 {
            return Err(ShopError::NotFound.into());
        }
        let checked = check_upload(content_type, size).and_then(|kind| {
            if images >= MAX_IMAGES_PER_PRODUCT { Err(UploadRefusal::TooManyImages) } else { Ok(kind) }
        });
        let kind = match checked {
            Ok(kind) => kind,
            Err(refusal) => {
                let shown_type = jewelry::truncate_chars(content_type, 100);
                self.log(
                    UploadAction::UploadRejected,
                    (product_id, None, Some(shown_type), Some(size)),
                    Some(refusal),
                    request,
                );
                return Err(rejected(refusal, request));
            }
        };
        let key = ObjectKey::new(product_id, Uuid::new_v4(), kind).ok_or(Failure::Shop(ShopError::NotFound))?;
        let valid_for = Duration::from_secs(UPLOAD_URL_SECONDS);
        let expires_at = (self.clock)() + valid_for;
        let signed = self.store.presign_put(&key, size, valid_for).await.during(failed)?;
        let key_text = key.to_string();
        sqlx::query(
            "INSERT INTO image_uploads (object_key, product_id, content_type, size_bytes, issued_by, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&key_text)
        .bind(product_id)
        .bind(kind.mime())
        .bind(size as i64) // at most MAX_IMAGE_BYTES
        .bind(request.identity.user_id().unwrap_or_default())
        .bind(expires_at.unix_timestamp())
        .execute(&self.pool)
        .await
        .during(failed)?;
        self.log(
            UploadAction::PresignIssued,
            (product_id, Some(&key_text), Some(kind.mime()), Some(size)),
            None,
            request,
        );
        Ok(PresignedUpload {
            url: signed.url,
            method: "PUT".to_owned(),
            headers: signed.headers,
            key: key_text,
            expires_at: rfc3339_millis(expires_at),
        })
    }

    async fn attach(
        &self,
        product_id: &str,
        key: &str,
        alt: &str,
        request: &RequestContext,
    ) -> Result<AdminImage, Failure> {
        let failed = "attaching an upload";
        let store_failed = "checking an upload";
        let alt = check_alt(alt).map_err(|r| rejected(r, request))?;
        let refuse = |refusal: UploadRefusal, facts: (Option<&str>, Option<u64>)| {
            let key = jewelry::truncate_chars(key, 200);
            self.log(UploadAction::UploadRejected, (product_id, Some(key), facts.0, facts.1), Some(refusal), request);
            rejected(refusal, request)
        };
        let parsed = ObjectKey::parse(key).filter(|k| k.product_id() == product_id);
        let signed: Option<(String, i64)> = match &parsed {
            Some(_) => sqlx::query_as(
                "SELECT content_type, size_bytes FROM image_uploads WHERE object_key = $1 AND product_id = $2",
            )
            .bind(key)
            .bind(product_id)
            .fetch_optional(&self.pool)
            .await
            .during(failed)?,
            None => None,
        };
        // A key this product was not signed for (or one attached already) is left alone.
        let (Some(parsed), Some((content_type, size))) = (parsed, signed) else {
            return Err(refuse(UploadRefusal::UnknownUpload, (None, None)));
        };
        let size = u64::try_from(size).unwrap_or_default();
        let facts = (Some(content_type.as_str()), Some(size));
        let Some(stored) = self.store.head(&parsed).await.during(store_failed)? else {
            return Err(refuse(UploadRefusal::NotUploaded, facts));
        };
        if stored.content_type != content_type || stored.size != size {
            self.discard(&parsed).await?;
            return Err(refuse(UploadRefusal::NotAsSigned, facts));
        }
        let head = self.store.first_bytes(&parsed, SNIFF_BYTES).await.during(store_failed)?;
        if !parsed.kind().matches(&head) {
            self.discard(&parsed).await?;
            return Err(refuse(UploadRefusal::NotAnImage, facts));
        }

        let url = self.store.public_url(&parsed);
        let mut tx = self.pool.begin().await.during(failed)?;
        let claimed = sqlx::query("DELETE FROM image_uploads WHERE object_key = $1")
            .bind(key)
            .execute(&mut *tx)
            .await
            .during(failed)?;
        if claimed.rows_affected() != 1 {
            // attached meanwhile by another request
            return Err(refuse(UploadRefusal::UnknownUpload, facts));
        }
        // The alt text is in the language of the page the admin wrote it on.
        let alt = match request.locale {
            Locale::Vi => Localized::new(alt, ""),
            Locale::En => Localized::new("", alt),
        };
        let (id, position): (i64, i64) = sqlx::query_as(
            "INSERT INTO product_images (product_id, url, alt, alt_vi, position, object_key) \
             SELECT $1, $2, $3, $4, COALESCE(MAX(position) + 1, 0), $5 FROM product_images WHERE product_id = $1 \
             RETURNING id, position",
        )
        .bind(product_id)
        .bind(&url)
        .bind(&alt.en)
        .bind(&alt.vi)
        .bind(key)
        .fetch_one(&mut *tx)
        .await
        .during(failed)?;
        tx.commit().await.during(failed)?;
        self.catalog.changed();
        self.log(UploadAction::UploadCompleted, (product_id, Some(key), facts.0, facts.1), None, request);
        self.logs.emit(&CrudLine::new(Entity::ProductImage, CrudAction::Create, &id.to_string(), None, request));
        Ok(AdminImage { id, image: ProductImage { url, alt }, position, variant_id: None })
    }

    async fn move_image(
        &self,
        product_id: &str,
        image_id: i64,
        up: bool,
        request: &RequestContext,
    ) -> Result<Vec<AdminImage>, Failure> {
        let failed = "reordering images";
        let mut images = images_of(&self.pool, product_id).await.during(failed)?;
        let from = images.iter().position(|i| i.id == image_id).ok_or(Failure::Shop(ShopError::NotFound))?;
        let to = if up { from.checked_sub(1) } else { Some(from + 1).filter(|&to| to < images.len()) };
        if let Some(to) = to {
            images.swap(from, to);
            self.reorder(product_id, &images).await.during(failed)?;
            let id = image_id.to_string();
            self.logs.emit(&CrudLine::new(Entity::ProductImage, CrudAction::Reorder, &id, None, request));
        }
        images_of(&self.pool, product_id).await.during(failed)
    }

    async fn set_image_alt(
        &self,
        product_id: &str,
        image_id: i64,
        alt: &str,
        request: &RequestContext,
    ) -> Result<Vec<AdminImage>, Failure> {
        let failed = "changing an image's alt text";
        let alt = check_alt(alt).map_err(|r| rejected(r, request))?;
        // The alt text of the language of the page the admin edits it on.
        let update = match request.locale {
            Locale::Vi => "UPDATE product_images SET alt_vi = $1 WHERE id = $2 AND product_id = $3",
            Locale::En => "UPDATE product_images SET alt = $1 WHERE id = $2 AND product_id = $3",
        };
        let updated =
            sqlx::query(update).bind(&alt).bind(image_id).bind(product_id).execute(&self.pool).await.during(failed)?;
        if updated.rows_affected() != 1 {
            return Err(ShopError::NotFound.into());
        }
        self.catalog.changed();
        self.logs.emit(&CrudLine::new(Entity::ProductImage, CrudAction::Update, &image_id.to_string(), None, request));
        images_of(&self.pool, product_id).await.during(failed)
    }

    async fn set_image_variant(
        &self,
        product_id: &str,
        image_id: i64,
        variant_id: Option<&str>,
        request: &RequestContext,
    ) -> Result<Vec<AdminImage>, Failure> {
        let failed = "giving an image to a variant";
        // Only a variant of this product, on sale.
        if let Some(variant) = variant_id {
            let found: Option<(i64,)> =
                sqlx::query_as("SELECT 1 FROM product_variants WHERE id = $1 AND product_id = $2 AND archived = 0")
                    .bind(variant)
                    .bind(product_id)
                    .fetch_optional(&self.pool)
                    .await
                    .during(failed)?;
            if found.is_none() {
                return Err(ShopError::NotFound.into());
            }
        }
        let updated = sqlx::query("UPDATE product_images SET variant_id = $1 WHERE id = $2 AND product_id = $3")
            .bind(variant_id)
            .bind(image_id)
            .bind(product_id)
            .execute(&self.pool)
            .await
            .during(failed)?;
        if updated.rows_affected() != 1 {
            return Err(ShopError::NotFound.into());
        }
        self.catalog.changed();
        self.logs.emit(&CrudLine::new(Entity::ProductImage, CrudAction::Update, &image_id.to_string(), None, request));
        images_of(&self.pool, product_id).await.during(failed)
    }

    async fn remove_image(
        &self,
        product_id: &str,
        image_id: i64,
        request: &RequestContext,
    ) -> Result<Vec<AdminImage>, Failure> {
        let failed = "removing an image";
        let removed: Option<(Option<String>,)> =
            sqlx::query_as("DELETE FROM product_images WHERE id = $1 AND product_id = $2 RETURNING object_key")
                .bind(image_id)
                .bind(product_id)
                .fetch_optional(&self.pool)
                .await
                .during(failed)?;
        let Some((object_key,)) = removed else {
            return Err(ShopError::NotFound.into());
        };
        self.catalog.changed();
        self.logs.emit(&CrudLine::new(Entity::ProductImage, CrudAction::Delete, &image_id.to_string(), None, request));
        // Images shipped with the seed have no object; an upload's is deleted with it.
        if let Some(key) = object_key.as_deref().and_then(ObjectKey::parse)
            && let Err(e) = self.store.delete(&key).await
        {
            // Listed as an upload long expired, so the sweep deletes it later.
            tracing::warn!(error = format!("{e:#}"), key = %key, "a removed image's object is left for the sweep");
            let listed = sqlx::query(
                "INSERT INTO image_uploads (object_key, product_id, content_type, size_bytes, issued_by, expires_at) \
                 VALUES ($1, $2, $3, 0, $4, 0)",
            )
            .bind(key.to_string())
            .bind(product_id)
            .bind(key.kind().mime())
            .bind(request.identity.user_id().unwrap_or_default())
            .execute(&self.pool)
            .await;
            if let Err(e) = listed {
                tracing::error!(error = %e, key = %key, "a removed image's object could not be listed for the sweep");
            }
        }
        images_of(&self.pool, product_id).await.during(failed)
    }
}

/// How often uploads signed but never attached are looked for.
pub const SWEEP_EVERY: Duration = Duration::from_secs(600);

/// Runs `sweep` at once, then every [`SWEEP_EVERY`], for as long as the server runs.
pub async fn every_sweep_period<F, Fut>(mut sweep: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    let mut every = tokio::time::interval(SWEEP_EVERY);
    loop {
        every.tick().await;
        sweep().await;
    }
}

impl MediaService {
    /// Deletes uploads signed but never attached, every [`SWEEP_EVERY`], for as
    /// long as the server runs.
    pub async fn sweep_abandoned_forever(self: Arc<Self>) {
        every_sweep_period(|| async {
            match self.sweep_abandoned().await {
                Ok(0) => tracing::debug!("no abandoned uploads to delete"),
                Ok(n) => tracing::info!(count = n, "deleted abandoned uploads"),
                Err(e) => tracing::warn!(error = format!("{e:#}"), "deleting abandoned uploads failed"),
            }
        })
        .await
    }
}
