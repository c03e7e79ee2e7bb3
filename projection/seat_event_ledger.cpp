#include "projection/seat_event_ledger.hpp"

#include "projection/lock_keys.hpp"
#include "storage/sql_binding.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace seatmirror {

SeatEventLedger::SeatEventLedger(sql::Connection& db)
    : db_(db),
      find_current_(db.prepare("SELECT id, customer_alias, seat_type, event_timestamp, total, received_at, body "
                               "FROM seat_events WHERE customer_event_id = ? AND superseded_by IS NULL")),
      insert_(db.prepare("INSERT INTO seat_events (id, customer_event_id, customer_alias, seat_type, "
                         "event_timestamp, total, received_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")),
      insert_recorded_(db.prepare("INSERT INTO seat_events (id, customer_event_id, customer_alias, seat_type, "
                                  "event_timestamp, total, received_at, body, arrival_seq) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")),
      supersede_(db.prepare("UPDATE seat_events SET superseded_by = ? WHERE id = ?")) {}

std::optional<StoredSeatEvent> SeatEventLedger::current_version(const std::string& customer_event_id,
                                                                std::string* body) {
  auto& row = *find_current_;
  StatementReset reset{row};
  bind_all(row, customer_event_id);
  if (!row.step()) return std::nullopt;
  StoredSeatEvent stored;
  stored.id = row.column_text(0);
  stored.event =
      SeatEvent{customer_event_id, row.column_text(1), row.column_text(2), row.column_text(3), row.column_int64(4)};
  stored.received_at = row.column_text(5);
  if (body) *body = row.column_text(6);
  return stored;
}

SeatEventResult SeatEventLedger::apply(const SeatEvent& event, std::string_view received_at, std::string_view body) {
  if (event.customer_event_id) {
    db_.lock_key(lock_keys::customer_event(*event.customer_event_id));  // its versions, one writer at a time
    std::string current_body;
    if (auto current = current_version(*event.customer_event_id, &current_body);
        current && same_seat_event_content(current_body, body)) {
      return SeatEventResult{.outcome = SeatEventOutcome::retry, .event = std::move(current)};
    }
  }
  return SeatEventResult{.outcome = SeatEventOutcome::created, .event = record(event, received_at, body)};
}

StoredSeatEvent SeatEventLedger::record(const SeatEvent& event, std::string_view received_at, std::string_view body) {
  StoredSeatEvent stored{ids_.next(std::chrono::system_clock::now()), event, std::string{received_at}, std::nullopt};
  insert(stored, std::nullopt, body);
  return stored;
}

void SeatEventLedger::insert(const StoredSeatEvent& stored, std::optional<std::int64_t> arrival_seq,
                             std::string_view body) {
  const auto& e = stored.event;
  // The previous version stops being current before the new one exists: the unique index on
  // current versions holds at every step.
  if (e.customer_event_id) {
    if (auto previous = current_version(*e.customer_event_id, nullptr)) {
      bind_all(*supersede_, stored.id, previous->id);
      execute(*supersede_);
    }
  }
  auto& insert = arrival_seq ? *insert_recorded_ : *insert_;
  bind_all(insert, stored.id, e.customer_event_id, e.customer_alias, e.seat_type, e.event_timestamp, e.total,
           stored.received_at, Blob{body});
  if (arrival_seq) bind_value(insert, 9, *arrival_seq);
  execute(insert);
}

std::int64_t SeatEventLedger::reproject() {
  // What was recorded (arrival order, ids, arrival times, bodies) is set aside, the table
  // emptied, and every body decoded and stored again the way a live POST stores it.
  // The side table is emptied, not dropped: DROP TABLE fails (in SQLite) while any statement
  // of the connection is active, and the caller may hold one. Its columns are seat_events'
  // own, so it has their types in every store.
  db_.exec(
      "CREATE TEMP TABLE IF NOT EXISTS recorded_seat_events AS "
      "SELECT arrival_seq, id, received_at, body FROM seat_events WHERE 1 = 0");
  db_.exec("DELETE FROM recorded_seat_events");
  db_.exec("INSERT INTO recorded_seat_events SELECT arrival_seq, id, received_at, body FROM seat_events");
  db_.exec("DELETE FROM seat_events");
  std::int64_t rows = 0;
  {
    const auto recorded = db_.prepare(
        "SELECT arrival_seq, id, received_at, body FROM recorded_seat_events "
        "ORDER BY arrival_seq");
    while (recorded->step()) {
      const auto id = recorded->column_text(1);
      const auto body = recorded->column_text(3);
      auto decoded = decode_seat_event(body);
      if (const auto* rejection = std::get_if<Rejection>(&decoded)) {
        throw std::runtime_error(
            fmt::format("seat event {} no longer passes validation ({}); nothing was rebuilt", id, rejection->message));
      }
      auto& event = std::get<SeatEvent>(decoded);
      const StoredSeatEvent stored{id, std::move(event), recorded->column_text(2), std::nullopt};
      insert(stored, recorded->column_int64(0), body);
      ++rows;
    }
  }
  db_.exec("DELETE FROM recorded_seat_events");
  return rows;
}

}  // namespace seatmirror
