-- The currency the shop's amounts are in (prices, orders, the insights' revenue),
-- so that a shop never reads one currency's amounts as another's. A database that
-- already holds products or orders was written in US dollars, the one currency
-- before this; an empty one takes the shop's setting (`currency`) on its first
-- start. The amount columns named `*_cents` hold the currency's minor unit: cents
-- for dollars, whole đồng (which have none).
CREATE TABLE shop_currency (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    currency TEXT NOT NULL
);
INSERT INTO shop_currency (id, currency)
SELECT 1, 'USD' WHERE EXISTS (SELECT 1 FROM products) OR EXISTS (SELECT 1 FROM orders);
