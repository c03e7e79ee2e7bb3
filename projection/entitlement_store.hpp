// EntitlementStore: the entitlements and entitlement_seat_changes tables. Imports replace an
// entitlement only with a newer one (by lastUpdateTime); a seat change rewrites the stored
// entitlement, records the change, and records a seat event for seat usage (customerAlias =
// buyerID, seatType = productID, total = the new quantity), all in the caller's transaction.
// Seat changes run on the writer's connection, so changes to one entitlement are serialised.
#pragma once

#include "decode/entitlement.hpp"
#include "projection/seat_event_ledger.hpp"

#include "storage/sql_connection.hpp"

namespace seatmirror {

enum class ImportOutcome { added, replaced, kept };  // kept: the stored one is as new or newer

class EntitlementStore {
 public:
  explicit EntitlementStore(sql::Connection& db);

  ImportOutcome import(const Entitlement& entitlement);
  SeatChangeResult change_seats(const SeatChangeRequest& request, SeatEventLedger& seat_events);
  // Re-reads every stored doc into its columns (rebuild). Returns the rows re-read.
  std::int64_t reproject();

 private:
  void write(const Entitlement& entitlement);

  sql::Connection& db_;
  std::unique_ptr<sql::Statement> find_;
  std::unique_ptr<sql::Statement> upsert_;
  std::unique_ptr<sql::Statement> insert_change_;
};

}  // namespace seatmirror
