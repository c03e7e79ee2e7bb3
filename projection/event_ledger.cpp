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
                        "INSERT INTO rejected_events (received_at, reason, field, message, body, source, headers) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)"),
      update_rejection_(db, "UPDATE rejected_events SET reason = ?, field = ?, message = ? WHERE seq = ?"),
      remove_rejection_(db, "DELETE FROM rejected_events WHERE seq = ?") {}

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

namespace {

std::optional<std::string> field_or_null(const Rejection& rejection) {
  return rejection.field.empty() ? std::nullopt : std::optional<std::string>{rejection.field};
}

}  // namespace

void EventLedger::record_rejection(const Rejection& rejection, std::string_view received_at, std::string_view body,
                                   RejectionSource source, std::string_view headers) {
  bind_all(insert_rejection_, received_at, to_string(rejection.reason), field_or_null(rejection), rejection.message,
           Blob{body}, to_string(source), headers.empty() ? std::optional<std::string_view>{} : headers);
  execute(insert_rejection_);
}

void EventLedger::update_rejection(std::int64_t seq, const Rejection& rejection) {
  bind_all(update_rejection_, to_string(rejection.reason), field_or_null(rejection), rejection.message, seq);
  execute(update_rejection_);
}

void EventLedger::remove_rejection(std::int64_t seq) {
  bind_all(remove_rejection_, seq);
  execute(remove_rejection_);
}

std::vector<StoredRejection> EventLedger::stored_rejections() {
  SQLite::Statement rows{db_, "SELECT seq, source, reason, received_at, body, ifnull(headers, '') FROM rejected_events "
                              "ORDER BY seq"};
  std::vector<StoredRejection> rejections;
  while (rows.executeStep()) {
    const auto source = rows.getColumn(1).getString() == to_string(RejectionSource::seat_event)
                            ? RejectionSource::seat_event
                            : RejectionSource::inventory_webhook;
    rejections.push_back({rows.getColumn(0).getInt64(), source, rows.getColumn(2).getString(),
                          rows.getColumn(3).getString(), rows.getColumn(4).getString(), rows.getColumn(5).getString()});
  }
  return rejections;
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
