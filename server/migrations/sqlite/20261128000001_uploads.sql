-- Uploaded product images. An admin's upload first gets a URL signed for one key,
-- type and size (image_uploads); once the object is checked it becomes a
-- product image that remembers its key, so removing it deletes the object.
ALTER TABLE product_images ADD COLUMN object_key TEXT;
CREATE UNIQUE INDEX product_images_by_key ON product_images (object_key);

CREATE TABLE image_uploads (
    object_key   TEXT PRIMARY KEY,
    product_id   TEXT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    content_type TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL,
    issued_by    TEXT NOT NULL,
    -- Unix seconds: when the upload URL stops working.
    expires_at   INTEGER NOT NULL
);
CREATE INDEX image_uploads_by_expiry ON image_uploads (expires_at);
