-- A seatmap's seats are rewritten as a whole when its sections change (a coach is ~60 rows).
-- As a rowid table every row was written twice, once in the table and once in its primary-key
-- index; clustered on the primary key (WITHOUT ROWID) each row is written once, and the rows
-- of one seatmap sit together on the same pages, so the delete and the re-insert touch few.
-- SQLite cannot change a table to WITHOUT ROWID in place: it is made anew and filled.
CREATE TABLE seatmap_seats_clustered (
  seatmap_id    TEXT NOT NULL,
  section_id    TEXT NOT NULL,
  row           INTEGER NOT NULL,
  col           INTEGER NOT NULL,
  label         TEXT,
  row_label     TEXT,
  status        TEXT NOT NULL,
  seat_class_id TEXT,
  seat_fee_id   TEXT,
  overlapped    INTEGER NOT NULL CHECK (overlapped IN (0, 1)),
  custom        TEXT,
  PRIMARY KEY (seatmap_id, section_id, row, col)
) WITHOUT ROWID;
INSERT INTO seatmap_seats_clustered SELECT seatmap_id, section_id, row, col, label, row_label, status,
  seat_class_id, seat_fee_id, overlapped, custom FROM seatmap_seats;
DROP TABLE seatmap_seats;
ALTER TABLE seatmap_seats_clustered RENAME TO seatmap_seats;
