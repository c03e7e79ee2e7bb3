#include "projection/event_ledger.hpp"

#include "projection/sql_binding.hpp"

#include <stdexcept>

namespace seatmirror {

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::applied: return "applied";
    case Outcome::duplicate: return "duplicate";
    case Outcome::stale: return "stale";
    case Outcome::ignored: return "ignored";
    case Outcome::rejected: return "rejected";
  }
  return "unknown";
}

std::optional<Outcome> outcome_from_string(std::string_view text) {
  for (auto outcome : {Outcome::applied, Outcome::duplicate, Outcome::stale, Outcome::ignored,
                       Outcome::rejected}) {
    if (to_string(outcome) == text) return outcome;
  }
  return std::nullopt;
}

EventLedger::EventLedger(SQLite::Database& db)
    : db_(db),
      find_(db, "SELECT body = ? FROM webhook_events WHERE id = ?"),
      find_body_(db, "SELECT body FROM webhook_events WHERE id = ?"),
      // arrival_seq is the rowid: SQLite gives each insert the next number, an append.
      insert_event_(db,
                    "INSERT INTO webhook_events (id, event, created, attempt_id, livemode, entity_id, "
                    "received_at, outcome, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
      insert_rejection_(db,
                        "INSERT INTO rejected_events (received_at, reason, field, message, body, source) "
                        "VALUES (?, ?, ?, ?, ?, ?)") {}

Recorded EventLedger::find(const std::string& event_id, std::string_view body) {
  StatementReset reset{find_};
  bind_all(find_, Blob{body}, event_id);
  if (!find_.executeStep()) return Recorded::no;
  return find_.getColumn(0).getInt() ? Recorded::same_bytes : Recorded::other_bytes;
}

std::string EventLedger::recorded_body(const std::string& event_id) {
  StatementReset reset{find_body_};
  find_body_.bind(1, event_id);
  if (!find_body_.executeStep()) return {};
  return find_body_.getColumn(0).getString();
}

void EventLedger::record(const InventoryEvent& event, Outcome outcome,
                         std::string_view received_at, std::string_view body) {
  const auto& envelope = event.envelope;
  bind_all(insert_event_, envelope.id, envelope.event, envelope.created, envelope.attempt_id,
           envelope.livemode, event.entity_id(), received_at, to_string(outcome), Blob{body});
  execute(insert_event_);
}

void EventLedger::record_rejection(const Rejection& rejection, std::string_view received_at, std::string_view body,
                                   RejectionSource source) {
  bind_all(insert_rejection_, received_at, to_string(rejection.reason),
           rejection.field.empty() ? std::optional<std::string>{} : rejection.field,
           rejection.message, Blob{body}, to_string(source));
  execute(insert_rejection_);
}

void EventLedger::for_each_in_arrival_order(const std::function<void(const LedgerEntry&)>& visit) {
  SQLite::Statement rows{db_, "SELECT id, body, outcome FROM webhook_events ORDER BY arrival_seq"};
  while (rows.executeStep()) {
    const auto outcome = outcome_from_string(rows.getColumn(2).getString());
    if (!outcome) throw std::runtime_error("webhook_events holds an unknown outcome");
    visit(LedgerEntry{rows.getColumn(0).getString(), rows.getColumn(1).getString(), *outcome});
  }
}

}  // namespace seatmirror
