-- An image's alt text in both languages: `alt` holds the English (as every
-- database before this was written), `alt_vi` the Vietnamese. An empty one is
-- missing, and readers of that language get the other's.
ALTER TABLE product_images ADD COLUMN alt_vi TEXT NOT NULL DEFAULT '';
