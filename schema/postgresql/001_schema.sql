-- seatmirror's tables on PostgreSQL: the same tables, columns and meanings as the SQLite
-- schema (schema/NNN_*.sql, whose history this starts from at its version 8), with types that
-- fit: bytea for exact bodies, bigint identities for arrival order, text for documents (the
-- write side stores the text it computed; the views read it as json, which keeps each
-- element's text as stored, as SQLite's json_each does).

CREATE TABLE webhook_events (
  arrival_seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id          text NOT NULL UNIQUE,
  event       text NOT NULL,
  created     bigint NOT NULL,
  attempt_id  text NOT NULL,
  livemode    integer NOT NULL CHECK (livemode IN (0, 1)),
  entity_id   text,
  received_at text NOT NULL,
  outcome     text NOT NULL CHECK (outcome IN ('applied', 'stale', 'ignored')),
  body        bytea NOT NULL
);

CREATE TABLE rejected_events (
  seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  received_at text NOT NULL,
  reason      text NOT NULL,
  field       text,
  message     text NOT NULL,
  body        bytea NOT NULL,
  source      text NOT NULL DEFAULT 'inventory_webhook',
  headers     text
);

CREATE TABLE seat_fees (
  id               text PRIMARY KEY,
  short_name       text,
  type             text CHECK (type IN ('$', '%')),
  value            double precision,
  disabled         integer CHECK (disabled IN (0, 1)),
  bgcolor          text,
  name             text,
  lexicon_keys     text,
  created_by       text,
  updated_by       text,
  created_at       text,
  updated_at       text,
  doc              text NOT NULL,
  last_event_id    text NOT NULL,
  order_created    bigint NOT NULL,
  order_updated_at text
);

CREATE TABLE seat_classes (
  id               text PRIMARY KEY,
  name             text,
  description      text,
  bgcolor          text,
  lexicon_keys     text,
  created_by       text,
  updated_by       text,
  created_at       text,
  updated_at       text,
  deleted          integer NOT NULL CHECK (deleted IN (0, 1)),
  deleted_at       text,
  doc              text,
  last_event_id    text NOT NULL,
  order_created    bigint NOT NULL,
  order_updated_at text
);

CREATE TABLE seatmaps (
  id                     text PRIMARY KEY,
  account_id             text,
  name                   text,
  capacity               bigint,
  standard               integer CHECK (standard IN (0, 1)),
  allow_seat_orientation integer CHECK (allow_seat_orientation IN (0, 1)),
  amenity_group_id       text,
  brand_id               text,
  created_by             text,
  updated_by             text,
  created_at             text,
  updated_at             text,
  deleted                integer NOT NULL CHECK (deleted IN (0, 1)),
  deleted_at             text,
  doc                    text,
  last_event_id          text NOT NULL,
  order_created          bigint NOT NULL,
  order_updated_at       text,
  computed_capacity      bigint,
  layout                 text
);

CREATE VIEW active_seat_classes AS SELECT * FROM seat_classes WHERE deleted = 0;
CREATE VIEW active_seatmaps AS SELECT * FROM seatmaps WHERE deleted = 0;

CREATE VIEW seatmap_sections AS
SELECT m.id AS seatmap_id,
       lower(s.value ->> '_id') AS section_id,
       s.position - 1 AS position,
       s.value ->> 'name' AS name,
       (s.value ->> 'capacity')::numeric::bigint AS capacity,
       (s.value ->> 'availableRows')::numeric::bigint AS available_rows,
       (s.value ->> 'availableCols')::numeric::bigint AS available_cols,
       (s.value ->> 'seatsPerRowLeft')::numeric::bigint AS seats_per_row_left,
       (s.value ->> 'seatsPerRowRight')::numeric::bigint AS seats_per_row_right,
       s.value::text AS doc,
       (m.layout::json -> (s.position - 1)::integer ->> 'capacity')::bigint AS computed_capacity
FROM seatmaps m, json_array_elements(m.doc::json -> 'sections') WITH ORDINALITY AS s(value, position);

CREATE VIEW seatmap_facilities AS
SELECT m.id AS seatmap_id,
       lower(s.value ->> '_id') AS section_id,
       f.position - 1 AS position,
       f.value ->> 'type' AS type,
       (f.value ->> 'row')::numeric::bigint AS "row",
       (f.value ->> 'col')::numeric::bigint AS col,
       (f.value ->> 'width')::numeric::bigint AS width,
       (f.value ->> 'height')::numeric::bigint AS height,
       (f.value -> 'alignment' ->> 'key')::numeric::bigint AS alignment,
       f.value ->> 'label' AS label
FROM seatmaps m,
     json_array_elements(m.doc::json -> 'sections') AS s(value),
     json_array_elements(s.value -> 'facilities') WITH ORDINALITY AS f(value, position);

CREATE VIEW seatmap_seats AS
SELECT m.id AS seatmap_id,
       l.value ->> 'section_id' AS section_id,
       (p.value ->> 0)::bigint AS "row",
       (p.value ->> 1)::bigint AS col,
       p.value ->> 2 AS label,
       p.value ->> 3 AS row_label,
       coalesce(p.value ->> 4, 'available') AS status,
       p.value ->> 5 AS seat_class_id,
       p.value ->> 6 AS seat_fee_id,
       coalesce((p.value ->> 7)::bigint, 0) AS overlapped,
       p.value -> 8 AS custom
FROM seatmaps m,
     json_array_elements(m.layout::json) AS l(value),
     json_array_elements(l.value -> 'seats') AS p(value);

CREATE TABLE writer_heartbeat (
  id integer PRIMARY KEY CHECK (id = 1),
  at text NOT NULL
);

CREATE TABLE seat_events (
  arrival_seq       bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  id                text NOT NULL UNIQUE,
  customer_event_id text,
  customer_alias    text NOT NULL,
  seat_type         text NOT NULL,
  event_timestamp   text NOT NULL,
  total             bigint NOT NULL CHECK (total >= 0),
  received_at       text NOT NULL,
  superseded_by     text REFERENCES seat_events (id) DEFERRABLE INITIALLY DEFERRED,
  body              bytea NOT NULL
);
CREATE UNIQUE INDEX seat_events_current_version ON seat_events (customer_event_id)
  WHERE customer_event_id IS NOT NULL AND superseded_by IS NULL;
CREATE INDEX seat_events_usage ON seat_events (customer_alias, seat_type, event_timestamp, arrival_seq)
  WHERE superseded_by IS NULL;

CREATE TABLE entitlements (
  id               text PRIMARY KEY,
  organization_id  text NOT NULL,
  partner          text,
  status           text,
  buyer_id         text,
  product_id       text,
  quantity         bigint,
  last_update_time text,
  doc              text NOT NULL
);

CREATE TABLE entitlement_seat_changes (
  seq            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  entitlement_id text NOT NULL REFERENCES entitlements (id),
  old_quantity   bigint,
  new_quantity   bigint NOT NULL,
  changed_at     text NOT NULL,
  seat_event_id  text NOT NULL REFERENCES seat_events (id) DEFERRABLE INITIALLY DEFERRED
);

CREATE TABLE seat_api_settings (
  key   text PRIMARY KEY,
  value text NOT NULL
);
INSERT INTO seat_api_settings (key, value) VALUES ('sequence_account_id', gen_random_uuid()::text);
