#include "projection/projection_engine.hpp"

#include "projection/envelope.hpp"
#include "projection/sql_binding.hpp"

#include <SQLiteCpp/Transaction.h>
#include <boost/json/parse.hpp>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

namespace seatmirror {
namespace {

// A retry may carry a new attemptId; any other difference means the sender reused an id for a
// different change, which an operator should hear about (the first body still stands).
bool same_delivery(std::string_view first, std::string_view again) {
  if (first == again) return true;
  auto a = boost::json::parse(first);
  auto b = boost::json::parse(again);
  a.as_object().erase("attemptId");
  b.as_object().erase("attemptId");
  return a == b;
}

template <typename... Visitors>
struct Overloaded : Visitors... {
  using Visitors::operator()...;
};
template <typename... Visitors>
Overloaded(Visitors...) -> Overloaded<Visitors...>;  // clang 14 has no aggregate deduction yet

}  // namespace

ProjectionEngine::ProjectionEngine(SQLite::Database& db)
    : db_(db),
      ledger_(db),
      seat_fees_(db),
      seat_classes_(db),
      seatmaps_(db),
      savepoint_(db, "SAVEPOINT delivery"),
      release_(db, "RELEASE delivery"),
      rollback_to_(db, "ROLLBACK TO delivery") {}

DeliveryResult ProjectionEngine::apply(std::string_view body, std::string_view received_at) {
  auto decoded = decode_event(body);
  if (auto* rejection = std::get_if<Rejection>(&decoded)) {
    ledger_.record_rejection(*rejection, received_at, body);
    return DeliveryResult{.outcome = Outcome::rejected, .rejection = std::move(*rejection)};
  }
  const auto& event = std::get<InventoryEvent>(decoded);
  execute(savepoint_);
  try {
    auto result = apply_decoded(event, body, received_at);
    execute(release_);
    return result;
  } catch (...) {
    // Undo this delivery only; an enclosing batch keeps what it had.
    rollback_to_.tryReset();
    if (rollback_to_.tryExecuteStep() == SQLITE_DONE) release_.tryExecuteStep();
    rollback_to_.tryReset();
    release_.tryReset();
    throw;
  }
}

DeliveryResult ProjectionEngine::apply_decoded(const InventoryEvent& event, std::string_view body,
                                               std::string_view received_at) {
  DeliveryResult result{.event_id = event.envelope.id,
                        .event = event.envelope.event,
                        .entity_id = event.entity_id()};
  if (const auto first_body = ledger_.recorded_body(event.envelope.id)) {
    if (!same_delivery(*first_body, body)) {
      spdlog::warn("event {} was delivered again with a different body; the first one stands",
                   event.envelope.id);
    }
    result.outcome = Outcome::duplicate;
    return result;
  }
  result.outcome = project(event);
  ledger_.record(event, result.outcome, received_at, body);
  return result;
}

Outcome ProjectionEngine::project(const InventoryEvent& event) {
  const WriteStamp stamp{event.envelope.id, event.ordering_key(), event.envelope.created};
  // Writes through `write` unless the entity already holds a newer event.
  auto apply_if_newer = [&](auto& projector, const std::string& id, auto write) {
    const auto stored = projector.stored_key(id);
    if (stored && is_older(stamp.key, *stored)) return Outcome::stale;
    write();
    return Outcome::applied;
  };
  return std::visit(
      Overloaded{
          [&](const SeatFeeUpserted& d) {
            return apply_if_newer(seat_fees_, d.id, [&] { seat_fees_.upsert(d, stamp); });
          },
          [&](const SeatClassUpserted& d) {
            return apply_if_newer(seat_classes_, d.id, [&] { seat_classes_.upsert(d, stamp); });
          },
          [&](const SeatClassDeleted& d) {
            return apply_if_newer(seat_classes_, d.id, [&] { seat_classes_.tombstone(d, stamp); });
          },
          [&](const SeatmapUpserted& d) {
            return apply_if_newer(seatmaps_, d.id, [&] { seatmaps_.upsert(d, stamp); });
          },
          [&](const SeatmapDeleted& d) {
            return apply_if_newer(seatmaps_, d.id, [&] { seatmaps_.tombstone(d, stamp); });
          },
          [](const UnknownEvent&) { return Outcome::ignored; },
      },
      event.data);
}

void ProjectionEngine::clear_read_models() {
  seat_fees_.clear();
  seat_classes_.clear();
  seatmaps_.clear();
}

RebuildReport rebuild_read_models(SQLite::Database& db) {
  ProjectionEngine engine{db};
  RebuildReport report;
  SQLite::Transaction transaction{db, SQLite::TransactionBehavior::IMMEDIATE};
  engine.clear_read_models();
  EventLedger{db}.for_each_in_arrival_order([&](const LedgerEntry& entry) {
    const auto decoded = decode_event(entry.body);
    const auto* event = std::get_if<InventoryEvent>(&decoded);
    // Only valid events ever enter the ledger; a body that no longer decodes means the
    // validation rules changed, and the event is counted as changed rather than dropped silently.
    const Outcome outcome = event ? engine.project(*event) : Outcome::rejected;
    ++report.events;
    if (outcome == Outcome::applied) ++report.applied;
    if (outcome == Outcome::stale) ++report.stale;
    if (outcome == Outcome::ignored) ++report.ignored;
    if (outcome != entry.outcome) ++report.changed_outcomes;
  });
  transaction.commit();
  return report;
}

}  // namespace seatmirror
