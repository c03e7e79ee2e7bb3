// SeatEventLedger: the seat_events table. Every stored seat event gets a UUIDv7 and keeps its
// exact body; a new version of a customerEventId supersedes the current one (kept, pointing to
// its successor). Retries are recognised here: a body that says what the current version of
// its customerEventId says stores nothing and answers with that version.
//
// It runs on the writer's connection inside the writer's transaction (projection_engine.hpp),
// so its read-then-write steps are serialised with every other write: two concurrent POSTs of
// one customerEventId never both become current (and a unique index would refuse it anyway).
#pragma once

#include "decode/seat_event.hpp"
#include "projection/uuid_v7.hpp"

#include "storage/sql_connection.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace seatmirror {

class SeatEventLedger {
 public:
  explicit SeatEventLedger(sql::Connection& db);

  // A valid event from a POST: a retry of its customerEventId's current version, or a new one.
  SeatEventResult apply(const SeatEvent& event, std::string_view received_at, std::string_view body);

  // Stores a new event under a new id, superseding the current version of its customerEventId.
  StoredSeatEvent record(const SeatEvent& event, std::string_view received_at, std::string_view body);

  // Recomputes every row's columns from its body and the supersede chain from arrival order
  // (rebuild). Returns the rows re-read; throws if a stored body no longer decodes.
  std::int64_t reproject();

 private:
  std::optional<StoredSeatEvent> current_version(const std::string& customer_event_id, std::string* body);
  // Inserts a row (arrival_seq: the recorded one on rebuild, else the next), superseding the
  // current version of its customerEventId.
  void insert(const StoredSeatEvent& stored, std::optional<std::int64_t> arrival_seq, std::string_view body);

  sql::Connection& db_;
  UuidV7Generator ids_;
  std::unique_ptr<sql::Statement> find_current_;
  std::unique_ptr<sql::Statement> insert_;           // a new row: the store numbers it
  std::unique_ptr<sql::Statement> insert_recorded_;  // a rebuilt row, with its recorded arrival_seq
  std::unique_ptr<sql::Statement> supersede_;
};

}  // namespace seatmirror
