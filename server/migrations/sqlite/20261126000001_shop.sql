-- The shop: catalog, carts, orders. Money is in integer cents; times are RFC 3339
-- UTC text of fixed width, so text order is time order. Flags are 0/1 integers.
CREATE TABLE categories (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    position    INTEGER NOT NULL
);

CREATE TABLE products (
    id                   TEXT PRIMARY KEY,
    name                 TEXT NOT NULL,
    brand                TEXT NOT NULL,
    category_id          TEXT NOT NULL REFERENCES categories (id),
    description          TEXT NOT NULL,
    price_cents          INTEGER NOT NULL CHECK (price_cents >= 0),
    discount_price_cents INTEGER CHECK (discount_price_cents IS NULL OR (discount_price_cents >= 0 AND discount_price_cents < price_cents)),
    stock                INTEGER NOT NULL CHECK (stock >= 0),
    featured             INTEGER NOT NULL DEFAULT 0,
    archived             INTEGER NOT NULL DEFAULT 0,
    version              INTEGER NOT NULL DEFAULT 1,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE INDEX products_by_category ON products (category_id);

CREATE TABLE product_images (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id TEXT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    url        TEXT NOT NULL,
    alt        TEXT NOT NULL,
    position   INTEGER NOT NULL
);
CREATE INDEX product_images_by_product ON product_images (product_id, position);

CREATE TABLE carts (
    id         TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE cart_items (
    cart_id    TEXT NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
    product_id TEXT NOT NULL REFERENCES products (id),
    quantity   INTEGER NOT NULL CHECK (quantity > 0),
    added_at   TEXT NOT NULL,
    PRIMARY KEY (cart_id, product_id)
);

CREATE TABLE orders (
    id             TEXT PRIMARY KEY,
    cart_id        TEXT NOT NULL,
    status         TEXT NOT NULL,
    email          TEXT NOT NULL,
    full_name      TEXT NOT NULL,
    phone          TEXT NOT NULL,
    address_line1  TEXT NOT NULL,
    address_line2  TEXT,
    city           TEXT NOT NULL,
    region         TEXT,
    postal_code    TEXT NOT NULL,
    country        TEXT NOT NULL,
    payment_method TEXT NOT NULL,
    subtotal_cents INTEGER NOT NULL,
    shipping_cents INTEGER NOT NULL,
    total_cents    INTEGER NOT NULL,
    currency       TEXT NOT NULL,
    created_at     TEXT NOT NULL
);
CREATE INDEX orders_by_cart ON orders (cart_id);

CREATE TABLE order_lines (
    order_id         TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line_no          INTEGER NOT NULL,
    product_id       TEXT NOT NULL,
    name             TEXT NOT NULL,
    brand            TEXT NOT NULL,
    unit_price_cents INTEGER NOT NULL,
    quantity         INTEGER NOT NULL,
    line_total_cents INTEGER NOT NULL,
    PRIMARY KEY (order_id, line_no)
);
