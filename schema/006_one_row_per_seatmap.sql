-- 006: each fact stored once, and a ledger that appends.
--
-- webhook_events: arrival_seq becomes the rowid, so the table itself is the arrival order and
-- every insert appends to it; the event id keeps its uniqueness in one index. Before, the rows
-- sat in an implicit rowid order with three indexes beside them (id, arrival_seq, entity_id).
-- The entity index goes: each event wrote one random page of it, a third of the pages a live
-- commit has to fsync, for one ad-hoc query (`seatmirror events --entity`), which now scans.
CREATE TABLE webhook_events_by_arrival (
  arrival_seq INTEGER PRIMARY KEY,
  id          TEXT NOT NULL UNIQUE,
  event       TEXT NOT NULL,
  created     INTEGER NOT NULL,
  attempt_id  TEXT NOT NULL,
  livemode    INTEGER NOT NULL CHECK (livemode IN (0, 1)),
  entity_id   TEXT,
  received_at TEXT NOT NULL,
  outcome     TEXT NOT NULL CHECK (outcome IN ('applied', 'stale', 'ignored')),
  body        BLOB NOT NULL
);
INSERT INTO webhook_events_by_arrival (arrival_seq, id, event, created, attempt_id, livemode, entity_id,
  received_at, outcome, body)
  SELECT arrival_seq, id, event, created, attempt_id, livemode, entity_id, received_at, outcome, body
  FROM webhook_events ORDER BY arrival_seq;
DROP TABLE webhook_events;
ALTER TABLE webhook_events_by_arrival RENAME TO webhook_events;

-- A seatmap is one row. Its sections and facilities are in its doc already, and its computed
-- seat layouts (one JSON element per section, projection/seat_layout_json.hpp) in `layout`:
-- the tables that held them a second time become views with the same names and columns, so
-- analysts' queries keep working while a seatmap write is one row instead of ~100.
-- A tombstone keeps the content it had (doc, layout, name, …), so these views list the last
-- sections and seats of a deleted seatmap too; join seatmaps.deleted to leave them out.
ALTER TABLE seatmaps ADD COLUMN layout TEXT;
DROP TABLE seatmap_seats;
DROP TABLE seatmap_facilities;
DROP TABLE seatmap_sections;

-- position is the index in data.sections; doc is that section's JSON.
CREATE VIEW seatmap_sections AS
SELECT m.id AS seatmap_id,
       lower(json_extract(s.value, '$._id')) AS section_id,
       s.key AS position,
       json_extract(s.value, '$.name') AS name,
       CAST(json_extract(s.value, '$.capacity') AS INTEGER) AS capacity,
       CAST(json_extract(s.value, '$.availableRows') AS INTEGER) AS available_rows,
       CAST(json_extract(s.value, '$.availableCols') AS INTEGER) AS available_cols,
       CAST(json_extract(s.value, '$.seatsPerRowLeft') AS INTEGER) AS seats_per_row_left,
       CAST(json_extract(s.value, '$.seatsPerRowRight') AS INTEGER) AS seats_per_row_right,
       s.value AS doc,
       json_extract(m.layout, '$[' || s.key || '].capacity') AS computed_capacity
FROM seatmaps m, json_each(m.doc, '$.sections') s;

-- alignment is alignment.key of the payload: 1 = left, 2 = right.
CREATE VIEW seatmap_facilities AS
SELECT m.id AS seatmap_id,
       lower(json_extract(s.value, '$._id')) AS section_id,
       f.key AS position,
       json_extract(f.value, '$.type') AS type,
       CAST(json_extract(f.value, '$.row') AS INTEGER) AS row,
       CAST(json_extract(f.value, '$.col') AS INTEGER) AS col,
       CAST(json_extract(f.value, '$.width') AS INTEGER) AS width,
       CAST(json_extract(f.value, '$.height') AS INTEGER) AS height,
       CAST(json_extract(f.value, '$.alignment.key') AS INTEGER) AS alignment,
       json_extract(f.value, '$.label') AS label
FROM seatmaps m, json_each(m.doc, '$.sections') s, json_each(s.value, '$.facilities') f;

-- The computed seats, one row per seat, read from the stored layouts.
CREATE VIEW seatmap_seats AS
SELECT m.id AS seatmap_id,
       json_extract(l.value, '$.section_id') AS section_id,
       json_extract(p.value, '$[0]') AS row,
       json_extract(p.value, '$[1]') AS col,
       json_extract(p.value, '$[2]') AS label,
       json_extract(p.value, '$[3]') AS row_label,
       coalesce(json_extract(p.value, '$[4]'), 'available') AS status,
       json_extract(p.value, '$[5]') AS seat_class_id,
       json_extract(p.value, '$[6]') AS seat_fee_id,
       coalesce(json_extract(p.value, '$[7]'), 0) AS overlapped,
       json_extract(p.value, '$[8]') AS custom
FROM seatmaps m, json_each(m.layout) l, json_each(l.value, '$.seats') p;
