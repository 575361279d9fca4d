-- The insights page's counters, kept as clickstream events are accepted (bots'
-- left out). Days are `YYYY-MM-DD` in the shop's time zone; rows older than the
-- retention setting are deleted.

-- Every counted event's id, so a duplicate never counts twice (whichever
-- instance it reaches). Kept only as long as a repeat could still be accepted:
-- an event older than 72 h is refused.
CREATE TABLE insight_events (
    event_id TEXT PRIMARY KEY,
    day      TEXT NOT NULL
);
CREATE INDEX insight_events_by_day ON insight_events (day);

-- One row per session: the day it began and the furthest funnel step it
-- reached (1 page_view ... 5 checkout_complete).
CREATE TABLE insight_sessions (
    session_id TEXT PRIMARY KEY,
    day        TEXT NOT NULL,
    furthest   INTEGER NOT NULL
);
CREATE INDEX insight_sessions_by_day ON insight_sessions (day, furthest);

-- Per day and product: product_view and add_to_cart events.
CREATE TABLE insight_products (
    day        TEXT NOT NULL,
    product_id TEXT NOT NULL,
    views      INTEGER NOT NULL DEFAULT 0,
    adds       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, product_id)
);

-- Per day: orders placed and their total, counted with the order itself.
CREATE TABLE insight_orders (
    day           TEXT PRIMARY KEY,
    orders        INTEGER NOT NULL,
    revenue_cents INTEGER NOT NULL
);
