-- A product's metal (`yellow-gold`, `white-gold`, `rose-gold`, `platinum`,
-- `silver`), for the catalog's filter by metal, when it is not one of the
-- product's options (a metal option's values say it per variant). Products from
-- before have none until an admin sets it.
ALTER TABLE products ADD COLUMN metal TEXT;
