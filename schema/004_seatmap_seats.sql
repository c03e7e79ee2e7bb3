-- The computed seat layout of every seatmap section (projection/seat_layout.cpp), refreshed on
-- each seatmap write, and the capacity it adds up to. A database upgraded from version 3 gets
-- them for existing seatmaps with `seatmirror rebuild`.
CREATE TABLE seatmap_seats (
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
);

-- NULL when the section could not be laid out (see the server log for why).
ALTER TABLE seatmap_sections ADD COLUMN computed_capacity INTEGER;
ALTER TABLE seatmaps ADD COLUMN computed_capacity INTEGER;
