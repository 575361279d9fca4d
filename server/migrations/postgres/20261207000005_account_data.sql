-- A signed-in shopper's consent choices, for the download of their data (the log
-- keeps every choice too, for the log's retention), and when an order's personal
-- details were erased at its customer's request (the order stays, for the books).
CREATE TABLE consent_records (
    user_id        TEXT NOT NULL,
    at             TEXT NOT NULL,
    choice         TEXT NOT NULL,
    source         TEXT NOT NULL,
    notice_version TEXT NOT NULL,
    client_id      TEXT
);
CREATE INDEX consent_records_by_user ON consent_records (user_id, at);

ALTER TABLE orders ADD COLUMN personal_data_erased_at TEXT;
