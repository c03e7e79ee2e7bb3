#include "projection/projection_engine.hpp"

#include "decode/json_document.hpp"
#include "projection/lock_keys.hpp"
#include "storage/sql_binding.hpp"

#include <spdlog/spdlog.h>

namespace seatmirror {
namespace {

// One header's value from the JSON object of kept headers; empty when absent.
std::string header_value(std::string_view headers_json, std::string_view name) {
  if (headers_json.empty()) return {};
  auto parsed = parse_json_document(headers_json);
  const auto* value = std::get_if<boost::json::value>(&parsed);
  const auto* object = value ? value->if_object() : nullptr;
  const auto* header = object ? object->if_contains(name) : nullptr;
  return header && header->is_string() ? std::string{header->get_string()} : std::string{};
}

template <typename... Visitors>
struct Overloaded : Visitors... {
  using Visitors::operator()...;
};
template <typename... Visitors>
Overloaded(Visitors...) -> Overloaded<Visitors...>;  // clang 14 has no aggregate deduction yet

}  // namespace

ProjectionEngine::ProjectionEngine(sql::Connection& db)
    : db_(db),
      ledger_(db),
      seat_fees_(db),
      seat_classes_(db),
      seatmaps_(db),
      seat_events_(db),
      entitlements_(db),
      savepoint_(db.prepare("SAVEPOINT delivery")),
      release_(db.prepare("RELEASE delivery")),
      rollback_to_(db.prepare("ROLLBACK TO delivery")) {}

template <typename Write>
auto ProjectionEngine::in_savepoint(Write write) {
  if (!isolate_writes_) return write();  // the caller undoes the whole transaction on a failure
  execute(*savepoint_);
  try {
    auto result = write();
    execute(*release_);
    return result;
  } catch (...) {
    // Undo this write only; an enclosing batch keeps what it had. If even that fails, the
    // enclosing transaction is rolled back by its owner: the original error is what counts.
    try {
      release_->reset();
      execute(*rollback_to_);
      execute(*release_);
    } catch (const std::exception&) {
    }
    throw;
  }
}

DeliveryResult ProjectionEngine::apply(std::string_view body, std::string_view received_at) {
  return apply(prepare_delivery(std::string{body}, std::string{received_at}));
}

DeliveryResult ProjectionEngine::apply(const Delivery& delivery) {
  if (const auto* rejection = std::get_if<Rejection>(&delivery.decoded)) {
    // A record the API keeps listing is refused again by every sync: recorded once.
    if (delivery.source != RejectionSource::inventory_sync ||
        !ledger_.holds_rejection(delivery.source, delivery.body)) {
      ledger_.record_rejection(*rejection, delivery.received_at, delivery.body, delivery.source, delivery.headers);
    }
    return DeliveryResult{.outcome = Outcome::rejected, .rejection = *rejection};
  }
  return accept(std::get<InventoryEvent>(delivery.decoded), delivery.body, delivery.received_at);
}

DeliveryResult ProjectionEngine::accept(const InventoryEvent& event, std::string_view body,
                                        std::string_view received_at) {
  // The dedupe lookup comes first: a retried delivery costs one index read and no writes.
  // Where several receivers share the store, the event id's lock makes the lookup and the
  // insert one step: the same delivery arriving at two of them is applied once.
  db_.lock_key(lock_keys::webhook_event(event.envelope.id));
  switch (ledger_.find(event.envelope.id, body)) {
    case Recorded::no:
      break;
    case Recorded::other_bytes:
      warn_if_redelivered_differently(event, body);
      [[fallthrough]];
    case Recorded::same_bytes:
      return DeliveryResult{.outcome = Outcome::duplicate,
                            .event_id = event.envelope.id,
                            .event = event.envelope.event,
                            .entity_id = event.entity_id()};
  }
  return in_savepoint([&] { return apply_new(event, body, received_at); });
}

ProjectionEngine::RetryResult ProjectionEngine::retry(const StoredRejection& rejected) {
  return in_savepoint([&]() -> RetryResult {
    auto still = [&](const Rejection& rejection) {
      ledger_.update_rejection(rejected.seq, rejection);
      return RetryResult{.still_rejected = rejection};
    };
    RetryResult result;
    if (rejected.source != RejectionSource::seat_event) {  // a webhook or a synced record
      const auto decoded = decode_event(rejected.body);
      if (const auto* rejection = std::get_if<Rejection>(&decoded)) return still(*rejection);
      const auto accepted = accept(std::get<InventoryEvent>(decoded), rejected.body, rejected.received_at);
      result = {std::nullopt, std::string{to_string(accepted.outcome)}, accepted.event_id};
    } else {
      const auto decoded = decode_seat_event_request(rejected.body, header_value(rejected.headers, "sequence-version"));
      if (const auto* rejection = std::get_if<Rejection>(&decoded)) return still(*rejection);
      const auto applied = seat_events_.apply(std::get<SeatEvent>(decoded), rejected.received_at, rejected.body);
      result = {std::nullopt, std::string{to_string(applied.outcome)}, applied.event->id};
    }
    ledger_.remove_rejection(rejected.seq);
    return result;
  });
}

SeatEventResult ProjectionEngine::apply(const SeatEventPost& post) {
  if (const auto* rejection = std::get_if<Rejection>(&post.decoded)) {
    ledger_.record_rejection(*rejection, post.received_at, post.body, RejectionSource::seat_event, post.headers);
    return SeatEventResult{.outcome = SeatEventOutcome::rejected, .rejection = *rejection};
  }
  const auto& event = std::get<SeatEvent>(post.decoded);
  return in_savepoint([&] { return seat_events_.apply(event, post.received_at, post.body); });
}

SeatChangeResult ProjectionEngine::apply(const SeatChangeRequest& request) {
  return in_savepoint([&] { return entitlements_.change_seats(request, seat_events_); });
}

DeliveryResult ProjectionEngine::apply_new(const InventoryEvent& event, std::string_view body,
                                           std::string_view received_at) {
  DeliveryResult result{.event_id = event.envelope.id, .event = event.envelope.event, .entity_id = event.entity_id()};
  result.outcome = project(event);
  ledger_.record(event, result.outcome, received_at, body);
  return result;
}

// A retry may carry a new attemptId; any other difference means the sender reused an id for a
// different change, which an operator should hear about (the first body still stands). Only
// a retry whose bytes differ gets here; its decoded form keeps no DOM (a queue of them would
// hold megabytes), so both bodies are parsed again, on this rare path only.
void ProjectionEngine::warn_if_redelivered_differently(const InventoryEvent& event, std::string_view body) {
  auto first = parse_json_document(ledger_.recorded_body(event.envelope.id));
  auto again = parse_json_document(body);
  const auto* a = std::get_if<boost::json::value>(&first);
  const auto* b = std::get_if<boost::json::value>(&again);
  if (a && b && a->is_object() && b->is_object() && equal_except(a->get_object(), b->get_object(), "attemptId")) {
    return;
  }
  spdlog::warn("event {} was delivered again with a different body; the first one stands", event.envelope.id);
}

Outcome ProjectionEngine::project(const InventoryEvent& event) {
  const WriteStamp stamp{event.envelope.id, event.ordering_key(), event.envelope.created};
  // Writes through `write` unless the entity already holds a newer event.
  auto apply_if_newer = [&](auto& projector, const std::string& id, auto write) {
    db_.lock_key(lock_keys::entity(id));  // two receivers' events for one entity: the newer one wins
    const auto stored = projector.stored_key(id);
    if (stored && is_older(stamp.key, *stored)) return Outcome::stale;
    write();
    return Outcome::applied;
  };
  return std::visit(Overloaded{
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

void add_lock_keys(const Delivery& delivery, std::vector<std::string>& keys) {
  const auto* event = std::get_if<InventoryEvent>(&delivery.decoded);
  if (!event) return;
  keys.push_back(lock_keys::webhook_event(event->envelope.id));
  if (const auto entity = event->entity_id()) keys.push_back(lock_keys::entity(*entity));
}

void add_event_id(const Delivery& delivery, std::vector<std::string>& ids) {
  if (const auto* event = std::get_if<InventoryEvent>(&delivery.decoded)) ids.push_back(event->envelope.id);
}

void add_lock_keys(const SeatEventPost& post, std::vector<std::string>& keys) {
  const auto* event = std::get_if<SeatEvent>(&post.decoded);
  if (event && event->customer_event_id) keys.push_back(lock_keys::customer_event(*event->customer_event_id));
}

void add_lock_keys(const SeatChangeRequest& change, std::vector<std::string>& keys) {
  keys.push_back(lock_keys::entitlement(change.entitlement_id));
}

void ProjectionEngine::clear_read_models() {
  seat_fees_.clear();
  seat_classes_.clear();
  seatmaps_.clear();
}

RebuildReport reproject_ledger(sql::Connection& db) {
  ProjectionEngine engine{db};
  RebuildReport report;
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
  return report;
}

RebuildReport rebuild_read_models(sql::Connection& db) {
  sql::WriteTransaction transaction{db};
  auto report = reproject_ledger(db);
  report.seat_events = SeatEventLedger{db}.reproject();
  report.entitlements = EntitlementStore{db}.reproject();
  transaction.commit();
  return report;
}

DatabaseOptions with_reprojection(DatabaseOptions options) {
  options.reproject_read_models = [](sql::Connection& db) {
    const auto report = reproject_ledger(db);
    spdlog::info("read models re-projected from {} ledger events for the upgraded schema", report.events);
  };
  return options;
}

}  // namespace seatmirror
