-- Product variants: a product has up to three options ("Size", "Metal", ...), each
-- with its values, and sells as variants, one per combination of values, each
-- with its SKU, its stock and, when set, its own price. A product without options
-- sells as one default variant, whose id is the product's: every product before
-- this becomes exactly that, with the product's stock, so its carts and orders
-- keep pointing at it. Stock lives on variants only from here on. (The PostgreSQL twin of
-- migrations/sqlite: BIGINT for every integer.)
CREATE TABLE product_options (
    product_id TEXT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    position   BIGINT NOT NULL CHECK (position BETWEEN 1 AND 3),
    -- size | metal | length | other: what the shop does with it (a size guide
    -- beside sizes, a catalog filter by metal).
    kind       TEXT NOT NULL,
    name       TEXT NOT NULL,
    name_vi    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (product_id, position)
);

CREATE TABLE product_option_values (
    product_id      TEXT NOT NULL,
    option_position BIGINT NOT NULL,
    -- A short code, the same for the same value across products (the catalog's
    -- filter by metal groups by it): `12`, `yellow-gold-18k`.
    code            TEXT NOT NULL,
    position        BIGINT NOT NULL,
    value           TEXT NOT NULL,
    value_vi        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (product_id, option_position, code),
    FOREIGN KEY (product_id, option_position) REFERENCES product_options (product_id, position) ON DELETE CASCADE
);

CREATE TABLE product_variants (
    id                   TEXT PRIMARY KEY,
    product_id           TEXT NOT NULL REFERENCES products (id),
    sku                  TEXT NOT NULL UNIQUE,
    -- The value codes of options 1 to 3; null past the product's options.
    option1              TEXT,
    option2              TEXT,
    option3              TEXT,
    -- Null: the product's price and discount. Set: this variant's own pair.
    price_cents          BIGINT CHECK (price_cents IS NULL OR price_cents >= 0),
    discount_price_cents BIGINT CHECK (discount_price_cents IS NULL OR (price_cents IS NOT NULL AND discount_price_cents >= 0 AND discount_price_cents < price_cents)),
    stock                BIGINT NOT NULL CHECK (stock >= 0),
    position             BIGINT NOT NULL,
    archived             BIGINT NOT NULL DEFAULT 0,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE INDEX product_variants_by_product ON product_variants (product_id, position);
-- One live variant per combination.
CREATE UNIQUE INDEX product_variants_one_per_combination
    ON product_variants (product_id, COALESCE(option1, ''), COALESCE(option2, ''), COALESCE(option3, ''))
    WHERE archived = 0;

INSERT INTO product_variants (id, product_id, sku, stock, position, archived, created_at, updated_at)
SELECT id, id, UPPER(id), stock, 1, 0, created_at, updated_at FROM products;

ALTER TABLE products DROP COLUMN stock;

-- A variant may have images of its own, shown when it is chosen.
ALTER TABLE product_images ADD COLUMN variant_id TEXT REFERENCES product_variants (id) ON DELETE SET NULL;

-- Cart lines are per variant (a product's default variant has the product's id).
ALTER TABLE cart_items ADD COLUMN variant_id TEXT REFERENCES product_variants (id);
UPDATE cart_items SET variant_id = product_id;
ALTER TABLE cart_items ALTER COLUMN variant_id SET NOT NULL;
ALTER TABLE cart_items DROP CONSTRAINT cart_items_pkey;
ALTER TABLE cart_items DROP COLUMN product_id;
ALTER TABLE cart_items ADD PRIMARY KEY (cart_id, variant_id);

-- An order line names the variant sold and its options as the order's page said
-- them. Lines from before were the product's one variant, which had no options.
ALTER TABLE order_lines ADD COLUMN variant_id TEXT;
ALTER TABLE order_lines ADD COLUMN sku TEXT;
ALTER TABLE order_lines ADD COLUMN options TEXT NOT NULL DEFAULT '';
UPDATE order_lines SET variant_id = product_id, sku = UPPER(product_id);
