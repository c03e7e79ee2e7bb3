#include "projection/event_ledger.hpp"

#include "storage/sql_binding.hpp"

#include <algorithm>
#include <stdexcept>

namespace seatmirror {

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::applied:
      return "applied";
    case Outcome::duplicate:
      return "duplicate";
    case Outcome::stale:
      return "stale";
    case Outcome::ignored:
      return "ignored";
    case Outcome::rejected:
      return "rejected";
  }
  return "unknown";
}

std::optional<Outcome> outcome_from_string(std::string_view text) {
  for (auto outcome : {Outcome::applied, Outcome::duplicate, Outcome::stale, Outcome::ignored, Outcome::rejected}) {
    if (to_string(outcome) == text) return outcome;
  }
  return std::nullopt;
}

namespace {

std::string look_up_sql() {
  std::string sql = "SELECT id FROM webhook_events WHERE id IN (?";
  for (std::size_t i = 1; i < EventLedger::kLookUpChunk; ++i) sql += ", ?";
  return sql + ")";
}

}  // namespace

EventLedger::EventLedger(sql::Connection& db)
    : db_(db),
      find_(db.prepare("SELECT body = ? FROM webhook_events WHERE id = ?")),
      find_many_(db.prepare(look_up_sql())),
      find_body_(db.prepare("SELECT body FROM webhook_events WHERE id = ?")),
      // arrival_seq is the rowid: SQLite gives each insert the next number, an append.
      insert_event_(db.prepare("INSERT INTO webhook_events (id, event, created, attempt_id, livemode, entity_id, "
                               "received_at, outcome, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")),
      insert_rejection_(db.prepare("INSERT INTO rejected_events (received_at, reason, field, message, body, source, "
                                   "headers) VALUES (?, ?, ?, ?, ?, ?, ?)")),
      find_rejection_(db.prepare("SELECT 1 FROM rejected_events WHERE source = ? AND body = ? LIMIT 1")),
      update_rejection_(db.prepare("UPDATE rejected_events SET reason = ?, field = ?, message = ? WHERE seq = ?")),
      remove_rejection_(db.prepare("DELETE FROM rejected_events WHERE seq = ?")) {}

Recorded EventLedger::find(const std::string& event_id, std::string_view body) {
  if (known_absent_.contains(event_id)) return Recorded::no;
  StatementReset reset{*find_};
  bind_all(*find_, Blob{body}, event_id);
  if (!find_->step()) return Recorded::no;
  return find_->column_int64(0) != 0 ? Recorded::same_bytes : Recorded::other_bytes;
}

void EventLedger::look_up(const std::vector<std::string>& event_ids) {
  known_absent_.clear();
  for (std::size_t from = 0; from < event_ids.size(); from += kLookUpChunk) {
    const auto to = std::min(event_ids.size(), from + kLookUpChunk);
    StatementReset reset{*find_many_};
    for (std::size_t i = 0; i < kLookUpChunk; ++i) {
      const int parameter = static_cast<int>(i) + 1;
      if (from + i < to) {
        find_many_->bind(parameter, std::string_view{event_ids[from + i]});
      } else {
        find_many_->bind_null(parameter);
      }
    }
    std::unordered_set<std::string> recorded;
    while (find_many_->step()) recorded.insert(find_many_->column_text(0));
    for (auto i = from; i < to; ++i) {
      if (!recorded.contains(event_ids[i])) known_absent_.insert(event_ids[i]);
    }
  }
}

std::string EventLedger::recorded_body(const std::string& event_id) {
  StatementReset reset{*find_body_};
  bind_all(*find_body_, event_id);
  if (!find_body_->step()) return {};
  return find_body_->column_text(0);
}

void EventLedger::record(const InventoryEvent& event, Outcome outcome, std::string_view received_at,
                         std::string_view body) {
  const auto& envelope = event.envelope;
  bind_all(*insert_event_, envelope.id, envelope.event, envelope.created, envelope.attempt_id, envelope.livemode,
           event.entity_id(), received_at, to_string(outcome), Blob{body});
  execute(*insert_event_);
  known_absent_.erase(envelope.id);  // a second delivery of it in this batch must find it
}

namespace {

std::optional<std::string> field_or_null(const Rejection& rejection) {
  return rejection.field.empty() ? std::nullopt : std::optional<std::string>{rejection.field};
}

}  // namespace

void EventLedger::record_rejection(const Rejection& rejection, std::string_view received_at, std::string_view body,
                                   RejectionSource source, std::string_view headers) {
  bind_all(*insert_rejection_, received_at, to_string(rejection.reason), field_or_null(rejection), rejection.message,
           Blob{body}, to_string(source), headers.empty() ? std::optional<std::string_view>{} : headers);
  execute(*insert_rejection_);
}

bool EventLedger::holds_rejection(RejectionSource source, std::string_view body) {
  StatementReset reset{*find_rejection_};
  bind_all(*find_rejection_, to_string(source), Blob{body});
  return find_rejection_->step();
}

void EventLedger::update_rejection(std::int64_t seq, const Rejection& rejection) {
  bind_all(*update_rejection_, to_string(rejection.reason), field_or_null(rejection), rejection.message, seq);
  execute(*update_rejection_);
}

void EventLedger::remove_rejection(std::int64_t seq) {
  bind_all(*remove_rejection_, seq);
  execute(*remove_rejection_);
}

std::vector<StoredRejection> EventLedger::stored_rejections() {
  const auto rows = db_.prepare(
      "SELECT seq, source, reason, received_at, body, coalesce(headers, '') "
      "FROM rejected_events ORDER BY seq");
  std::vector<StoredRejection> rejections;
  while (rows->step()) {
    const auto source = rejection_source_from_string(rows->column_text(1));
    if (!source) throw std::runtime_error("rejected_events holds an unknown source");
    rejections.push_back({rows->column_int64(0), *source, rows->column_text(2), rows->column_text(3),
                          rows->column_text(4), rows->column_text(5)});
  }
  return rejections;
}

void EventLedger::for_each_in_arrival_order(const std::function<void(const LedgerEntry&)>& visit) {
  const auto rows = db_.prepare("SELECT id, body, outcome FROM webhook_events ORDER BY arrival_seq");
  while (rows->step()) {
    const auto outcome = outcome_from_string(rows->column_text(2));
    if (!outcome) throw std::runtime_error("webhook_events holds an unknown outcome");
    visit(LedgerEntry{rows->column_text(0), rows->column_text(1), *outcome});
  }
}

}  // namespace seatmirror
