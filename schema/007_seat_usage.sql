-- Seat usage (issue 9): seat events posted to POST /api/seat-events (Sequence's API, seed 000)
-- or made by an entitlement seat change (Suger's API, seed 004), and the marketplace
-- entitlements whose seats an administrator changes.

-- Every seat event stored, each version of a customerEventId in a row of its own.
-- Recorded at arrival: arrival_seq, id (a UUIDv7 given then), received_at and the exact body.
-- Derived from the body (rebuild recomputes them): customer_event_id … total; superseded_by
-- points to the next version of the same customer_event_id, in arrival order.
CREATE TABLE seat_events (
  arrival_seq       INTEGER PRIMARY KEY,
  id                TEXT NOT NULL UNIQUE,
  customer_event_id TEXT,
  customer_alias    TEXT NOT NULL,
  seat_type         TEXT NOT NULL,
  event_timestamp   TEXT NOT NULL,  -- ISO-8601 UTC with milliseconds: text order is time order
  total             INTEGER NOT NULL CHECK (total >= 0),
  received_at       TEXT NOT NULL,
  superseded_by     TEXT REFERENCES seat_events (id),
  body              BLOB NOT NULL
);
-- At most one current version per customer event id, whatever the writers do.
CREATE UNIQUE INDEX seat_events_current_version ON seat_events (customer_event_id)
  WHERE customer_event_id IS NOT NULL AND superseded_by IS NULL;
-- Usage reads one customer's current events per seat type in time order.
CREATE INDEX seat_events_usage ON seat_events (customer_alias, seat_type, event_timestamp, arrival_seq)
  WHERE superseded_by IS NULL;

-- Marketplace entitlements (Suger's entitlement object), loaded by `entitlements import` and
-- changed by PATCH /org/{orgId}/entitlement/{id}/seat. doc is the object, whole; the other
-- columns are read from it (quantity: of the active Azure subscription, NULL without one).
CREATE TABLE entitlements (
  id               TEXT PRIMARY KEY,
  organization_id  TEXT NOT NULL,
  partner          TEXT,
  status           TEXT,
  buyer_id         TEXT,
  product_id       TEXT,
  quantity         INTEGER,
  last_update_time TEXT,  -- ISO-8601 UTC with milliseconds
  doc              TEXT NOT NULL
);

-- Every seat change made through the API, with the seat event it recorded for seat usage.
CREATE TABLE entitlement_seat_changes (
  seq            INTEGER PRIMARY KEY,
  entitlement_id TEXT NOT NULL REFERENCES entitlements (id),
  old_quantity   INTEGER,
  new_quantity   INTEGER NOT NULL,
  changed_at     TEXT NOT NULL,
  seat_event_id  TEXT NOT NULL REFERENCES seat_events (id)
);

-- Settings the seat API keeps: sequence_account_id, the account every seat event answer names
-- when serve is not given --sequence-account-id. Generated here, once (a random UUIDv4).
CREATE TABLE seat_api_settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT INTO seat_api_settings (key, value)
SELECT 'sequence_account_id',
       lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' ||
       substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) ||
       substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)));

-- What a refused body was sent as (inventory_webhook or seat_event), so that `rejected` (and a
-- later retry) knows which rules it failed.
ALTER TABLE rejected_events ADD COLUMN source TEXT NOT NULL DEFAULT 'inventory_webhook';
