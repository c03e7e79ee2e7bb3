-- Read models: the current inventory, one row per entity, keyed by its 24-hex id (lowercase).
--
-- order_created / order_updated_at hold the ordering key of the event that last wrote the row
-- (envelope `created`, then data.updatedAt). An incoming event with an older key is stale.
-- A delete leaves a tombstone (deleted = 1) that keeps only the id, the deletion time and its
-- key: the row is then exactly what the newest event for that entity says, whatever order
-- the events arrived in. The last content of a deleted entity stays in webhook_events.
-- Booleans are 0/1; lexicon_keys and doc hold JSON text.

CREATE TABLE seat_fees (
  id               TEXT PRIMARY KEY,
  short_name       TEXT,
  type             TEXT CHECK (type IN ('$', '%')),
  value            REAL,
  disabled         INTEGER CHECK (disabled IN (0, 1)),
  bgcolor          TEXT,
  name             TEXT,
  lexicon_keys     TEXT,
  created_by       TEXT,
  updated_by       TEXT,
  created_at       TEXT,
  updated_at       TEXT,
  doc              TEXT NOT NULL,
  last_event_id    TEXT NOT NULL,
  order_created    INTEGER NOT NULL,
  order_updated_at TEXT
);

CREATE TABLE seat_classes (
  id               TEXT PRIMARY KEY,
  name             TEXT,
  description      TEXT,
  bgcolor          TEXT,
  lexicon_keys     TEXT,
  created_by       TEXT,
  updated_by       TEXT,
  created_at       TEXT,
  updated_at       TEXT,
  deleted          INTEGER NOT NULL CHECK (deleted IN (0, 1)),
  deleted_at       TEXT,
  doc              TEXT,
  last_event_id    TEXT NOT NULL,
  order_created    INTEGER NOT NULL,
  order_updated_at TEXT
);

CREATE TABLE seatmaps (
  id                     TEXT PRIMARY KEY,
  account_id             TEXT,
  name                   TEXT,
  capacity               INTEGER,
  standard               INTEGER CHECK (standard IN (0, 1)),
  allow_seat_orientation INTEGER CHECK (allow_seat_orientation IN (0, 1)),
  amenity_group_id       TEXT,
  brand_id               TEXT,
  created_by             TEXT,
  updated_by             TEXT,
  created_at             TEXT,
  updated_at             TEXT,
  deleted                INTEGER NOT NULL CHECK (deleted IN (0, 1)),
  deleted_at             TEXT,
  doc                    TEXT,
  last_event_id          TEXT NOT NULL,
  order_created          INTEGER NOT NULL,
  order_updated_at       TEXT
);
CREATE INDEX seatmaps_by_account ON seatmaps (account_id);

-- Replaced as a whole on every seatmap write; position is the index in data.sections.
CREATE TABLE seatmap_sections (
  seatmap_id          TEXT NOT NULL,
  section_id          TEXT NOT NULL,
  position            INTEGER NOT NULL,
  name                TEXT,
  capacity            INTEGER,
  available_rows      INTEGER,
  available_cols      INTEGER,
  seats_per_row_left  INTEGER,
  seats_per_row_right INTEGER,
  doc                 TEXT NOT NULL,
  PRIMARY KEY (seatmap_id, section_id)
);

-- alignment is alignment.key of the payload: 1 = left, 2 = right.
CREATE TABLE seatmap_facilities (
  seatmap_id TEXT NOT NULL,
  section_id TEXT NOT NULL,
  position   INTEGER NOT NULL,
  type       TEXT,
  row        INTEGER,
  col        INTEGER,
  width      INTEGER,
  height     INTEGER,
  alignment  INTEGER,
  label      TEXT,
  PRIMARY KEY (seatmap_id, section_id, position)
);

CREATE VIEW active_seat_classes AS SELECT * FROM seat_classes WHERE deleted = 0;
CREATE VIEW active_seatmaps AS SELECT * FROM seatmaps WHERE deleted = 0;
