-- The event log: what was received, kept so that every read model can be rebuilt from it.

-- Every accepted delivery exactly once (the envelope id is the dedupe key), with the exact
-- bytes received. arrival_seq fixes the order rebuild re-applies them in; it is explicit
-- because VACUUM may renumber the implicit rowid of a table without an INTEGER PRIMARY KEY.
CREATE TABLE webhook_events (
  id          TEXT PRIMARY KEY,
  arrival_seq INTEGER NOT NULL UNIQUE,
  event       TEXT NOT NULL,
  created     INTEGER NOT NULL,
  attempt_id  TEXT NOT NULL,
  livemode    INTEGER NOT NULL CHECK (livemode IN (0, 1)),
  entity_id   TEXT,
  received_at TEXT NOT NULL,
  outcome     TEXT NOT NULL CHECK (outcome IN ('applied', 'stale', 'ignored')),
  body        BLOB NOT NULL
);
CREATE INDEX webhook_events_by_entity ON webhook_events (entity_id);

-- Deliveries that failed validation: never applied, kept so an operator can see why.
CREATE TABLE rejected_events (
  seq         INTEGER PRIMARY KEY,
  received_at TEXT NOT NULL,
  reason      TEXT NOT NULL,
  field       TEXT,
  message     TEXT NOT NULL,
  body        BLOB NOT NULL
);
