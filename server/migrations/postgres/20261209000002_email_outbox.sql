-- The order emails' outbox: each email is written here in the transaction of
-- what it reports (an order placed, shipped, delivered, cancelled), whole (its
-- recipient, subject, both bodies and its Message-ID), and a sender delivers it.
-- `claimed_by`/`claimed_until`: the instance sending it, and until when others
-- keep off; `sent_at` once the transport accepted it; `failed_at` when the
-- transport refused it for good (an address it will never take).
CREATE TABLE email_outbox (
    id              TEXT PRIMARY KEY,
    order_id        TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    text_body       TEXT NOT NULL,
    html_body       TEXT NOT NULL,
    message_id      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    claimed_by      TEXT,
    claimed_until   TEXT,
    sent_at         TEXT,
    failed_at       TEXT,
    provider_id     TEXT,
    last_error      TEXT,
    UNIQUE (order_id, kind)
);
CREATE INDEX email_outbox_due ON email_outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
