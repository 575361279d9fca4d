-- Where shoppers come from: each session's first page view's campaign (the
-- landing page's utm_* parameters) and referring site, kept while the session
-- may go on, so every line of the session carries them whichever instance logs it.
CREATE TABLE session_attributions (
    session_id    TEXT PRIMARY KEY,
    started_at    BIGINT NOT NULL,
    utm_source    TEXT,
    utm_medium    TEXT,
    utm_campaign  TEXT,
    utm_term      TEXT,
    utm_content   TEXT,
    referrer_host TEXT
);
CREATE INDEX session_attributions_by_start ON session_attributions (started_at);

-- The insights' sessions by source, medium, campaign and referring site.
ALTER TABLE insight_sessions ADD COLUMN utm_source TEXT;
ALTER TABLE insight_sessions ADD COLUMN utm_medium TEXT;
ALTER TABLE insight_sessions ADD COLUMN utm_campaign TEXT;
ALTER TABLE insight_sessions ADD COLUMN referrer_host TEXT;

-- The orders each session placed (its checkout_complete events): an order counts
-- for the campaign of the session it was placed in, at its total in `orders`.
CREATE TABLE insight_session_orders (
    order_id   TEXT PRIMARY KEY,
    session_id TEXT NOT NULL,
    day        TEXT NOT NULL
);
CREATE INDEX insight_session_orders_by_day ON insight_session_orders (day);

-- Storefront pages served per day to shoppers (not bots), with or without their
-- consent: a count naming no one, beside which the consenting sessions are a share.
CREATE TABLE insight_page_requests (
    day      TEXT PRIMARY KEY,
    requests BIGINT NOT NULL
);
