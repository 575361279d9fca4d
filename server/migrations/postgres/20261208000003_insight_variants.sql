-- Per day and variant: its product_view and add_to_cart events (those that named
-- it), and the units sold (counted with each order, in its transaction). The
-- insights page opens a product's figures per variant from it.
CREATE TABLE insight_variants (
    day        TEXT NOT NULL,
    variant_id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    sku        TEXT,
    views      BIGINT NOT NULL DEFAULT 0,
    adds       BIGINT NOT NULL DEFAULT 0,
    sold       BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, variant_id)
);
