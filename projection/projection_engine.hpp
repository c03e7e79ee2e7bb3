// The one path from a decoded delivery to rows: dedupe → ordering check → projector, with the
// ledger row and the read-model change in the caller's transaction, so both commit or neither.
// Seat usage writes (a seat event POST, an entitlement seat change) take the same path. With
// isolate_writes (the default) each write runs in a savepoint of its own, so a failing one is
// undone alone; the writer turns that off for a batch's first attempt and, when a write fails,
// rolls the batch back and applies it again write by write.
//
// The writer (delivery_writer.hpp) runs every live and replayed delivery through this class;
// rebuild re-projects the ledger with it. It holds prepared statements for one connection and
// is not thread-safe: one engine per write connection.
#pragma once

#include "decode/delivery.hpp"
#include "projection/entitlement_store.hpp"
#include "projection/event_ledger.hpp"
#include "projection/outcome.hpp"
#include "projection/seat_class_projector.hpp"
#include "projection/seat_event_ledger.hpp"
#include "projection/seat_fee_projector.hpp"
#include "projection/seatmap_projector.hpp"

#include "storage/database.hpp"
#include "storage/sql_connection.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace seatmirror {

class ProjectionEngine {
 public:
  explicit ProjectionEngine(sql::Connection& db);

  // Applies one delivery inside the caller's write transaction (the writer commits many
  // deliveries at once). Outside one, SQLite commits it on its own (tests rely on that), but on
  // PostgreSQL its savepoint is an error: writers always begin a transaction. A rejection is
  // recorded, not thrown; a database failure throws, having undone this delivery only when
  // writes are isolated.
  DeliveryResult apply(const Delivery& delivery);
  // Decodes, then applies: for tests and fuzzing, where no other thread could decode.
  DeliveryResult apply(std::string_view body, std::string_view received_at);
  // A seat event POST: recorded (or found to be a retry), or its rejection recorded.
  SeatEventResult apply(const SeatEventPost& post);
  // An entitlement seat change, with its change row and seat event.
  SeatChangeResult apply(const SeatChangeRequest& request);

  // `rejected retry`: a stored rejection judged by today's rules. Valid now, it takes the
  // normal path (dedupe, ordering, read models, or the seat event rules) with its original
  // arrival time, and leaves rejected_events; still invalid, it stays there with today's reason.
  struct RetryResult {
    std::optional<Rejection> still_rejected;
    std::string outcome;  // applied, duplicate, stale, ignored (inventory) or created, retry (seat events)
    std::string id;       // the event id
  };
  RetryResult retry(const StoredRejection& rejected);

  // Runs the ordering check and the projector for an event, without touching the ledger.
  Outcome project(const InventoryEvent& event);

  void clear_read_models();

  // Whether each write runs in its own savepoint (the default), so that a failing one is
  // undone alone. A writer that would rather roll back and redo a whole batch when one write
  // fails (two round trips fewer per write on PostgreSQL) turns it off for its first attempt.
  void isolate_writes(bool isolate) { isolate_writes_ = isolate; }

  // A batch's event ids looked up in the ledger together (EventLedger::look_up), for a writer
  // that holds their locks until it calls forget_look_ups() at the end of its transaction.
  void look_up_events(const std::vector<std::string>& event_ids) { ledger_.look_up(event_ids); }
  void forget_look_ups() { ledger_.forget_look_ups(); }

 private:
  // Dedupe, then ordering and projection: a valid event's path, live or retried.
  DeliveryResult accept(const InventoryEvent& event, std::string_view body, std::string_view received_at);
  DeliveryResult apply_new(const InventoryEvent& event, std::string_view body, std::string_view received_at);
  void warn_if_redelivered_differently(const InventoryEvent& event, std::string_view body);
  // Runs `write` in a savepoint: on an exception only its own changes are undone.
  template <typename Write>
  auto in_savepoint(Write write);

  sql::Connection& db_;
  EventLedger ledger_;
  SeatFeeProjector seat_fees_;
  SeatClassProjector seat_classes_;
  SeatmapProjector seatmaps_;
  SeatEventLedger seat_events_;
  EntitlementStore entitlements_;
  std::unique_ptr<sql::Statement> savepoint_;
  std::unique_ptr<sql::Statement> release_;
  std::unique_ptr<sql::Statement> rollback_to_;
  bool isolate_writes_ = true;
};

// The keys apply() will lock for an input (lock_keys.hpp), so that a writer can take a whole
// batch's locks first, sorted: two writers' batches then never wait on each other in a cycle.
void add_lock_keys(const Delivery& delivery, std::vector<std::string>& keys);
void add_lock_keys(const SeatEventPost& post, std::vector<std::string>& keys);
void add_lock_keys(const SeatChangeRequest& change, std::vector<std::string>& keys);

// The webhook event id of an input, if it has one: what look_up_events() takes.
void add_event_id(const Delivery& delivery, std::vector<std::string>& ids);
inline void add_event_id(const SeatEventPost&, std::vector<std::string>&) {}
inline void add_event_id(const SeatChangeRequest&, std::vector<std::string>&) {}

struct RebuildReport {
  std::int64_t events = 0;
  std::int64_t applied = 0;
  std::int64_t stale = 0;
  std::int64_t ignored = 0;
  // Ledger entries whose recomputed outcome differs from the one recorded at arrival
  // (only possible after a change to the projection rules).
  std::int64_t changed_outcomes = 0;
  std::int64_t seat_events = 0;   // re-read from their bodies
  std::int64_t entitlements = 0;  // re-read from their docs
};

// Empties the read models and re-applies the ledger in arrival order, inside the caller's
// transaction (a migration's, or rebuild_read_models').
RebuildReport reproject_ledger(sql::Connection& db);

// `options` with the step an upgrade needing re-projection runs (database.hpp): every writer
// opens its store with it.
DatabaseOptions with_reprojection(DatabaseOptions options = {});

// reproject_ledger, then seat_events and entitlements re-read from what was recorded, in one
// transaction of its own: readers see the old state or the new one, never a half-built one.
RebuildReport rebuild_read_models(sql::Connection& db);

}  // namespace seatmirror
