-- Signed-in shoppers: a cart and orders of their own (the `sub` of their token),
-- and the accounts of the development identity provider.
ALTER TABLE carts ADD COLUMN user_id TEXT;
CREATE UNIQUE INDEX carts_by_user ON carts (user_id) WHERE user_id IS NOT NULL;

ALTER TABLE orders ADD COLUMN user_id TEXT;
CREATE INDEX orders_by_user ON orders (user_id, created_at);

CREATE TABLE dev_users (
    sub           TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    email         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    groups        TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
