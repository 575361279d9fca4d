-- Counted events' ids as their 16 bytes, in a table that is its own key: one
-- B-tree written per id (and the day's index), not a rowid table, its key's
-- index and the day's (`/events` writes one row per product event).
CREATE TABLE insight_event_ids (
    event_id BLOB PRIMARY KEY,
    day      TEXT NOT NULL
) WITHOUT ROWID;
-- The ids already counted stay counted: a repeat after the upgrade counts once.
INSERT INTO insight_event_ids (event_id, day)
    SELECT unhex(replace(event_id, '-', '')), day FROM insight_events
    WHERE unhex(replace(event_id, '-', '')) IS NOT NULL;
DROP TABLE insight_events;
ALTER TABLE insight_event_ids RENAME TO insight_events;
CREATE INDEX insight_events_by_day ON insight_events (day);
