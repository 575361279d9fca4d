-- Products and categories in both languages the shop speaks. The existing `name`
-- and `description` hold the English (every database before this was written in
-- English); `name_vi` and `description_vi` the Vietnamese. An empty one is
-- missing: shoppers are shown the other language's, and the admin marks it.
ALTER TABLE products ADD COLUMN name_vi TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN description_vi TEXT NOT NULL DEFAULT '';
ALTER TABLE categories ADD COLUMN name_vi TEXT NOT NULL DEFAULT '';
ALTER TABLE categories ADD COLUMN description_vi TEXT NOT NULL DEFAULT '';
