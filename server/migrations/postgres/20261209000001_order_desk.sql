-- The order desk: an order moves placed -> confirmed -> shipped -> delivered
-- (or cancelled, or returned), each move checked against the order's version and
-- kept in its history.
ALTER TABLE orders ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
-- The language it was placed in (`vi`, `en`): its emails are written in it.
-- Orders from before are the shop's first language's.
ALTER TABLE orders ADD COLUMN language TEXT;

-- One row per status an order had, the placing first. `actor_id` and
-- `actor_name` are the admin's (none for the placing); the other columns are
-- what the move recorded: a note or a cancellation's reason, a shipment's carrier
-- and tracking number, a delivery's cash, a return's resellability.
CREATE TABLE order_status_history (
    order_id             TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    seq                  BIGINT NOT NULL,
    status               TEXT NOT NULL,
    at                   TEXT NOT NULL,
    actor_id             TEXT,
    actor_name           TEXT,
    note                 TEXT,
    carrier              TEXT,
    tracking_number      TEXT,
    cash_collected_cents BIGINT,
    resellable           BIGINT,
    PRIMARY KEY (order_id, seq)
);
INSERT INTO order_status_history (order_id, seq, status, at)
    SELECT id, 1, status, created_at FROM orders;

-- The desk lists orders newest first, by status.
CREATE INDEX orders_by_created ON orders (created_at);
CREATE INDEX orders_by_status ON orders (status, created_at);

-- Per day: orders delivered (and the cash collected), cancelled and returned
-- (and their totals), counted on the day of the move, in its transaction.
ALTER TABLE insight_orders ADD COLUMN delivered BIGINT NOT NULL DEFAULT 0;
ALTER TABLE insight_orders ADD COLUMN delivered_cents BIGINT NOT NULL DEFAULT 0;
ALTER TABLE insight_orders ADD COLUMN cancelled BIGINT NOT NULL DEFAULT 0;
ALTER TABLE insight_orders ADD COLUMN cancelled_cents BIGINT NOT NULL DEFAULT 0;
ALTER TABLE insight_orders ADD COLUMN returned BIGINT NOT NULL DEFAULT 0;
ALTER TABLE insight_orders ADD COLUMN returned_cents BIGINT NOT NULL DEFAULT 0;
