// The event log: webhook_events (every accepted delivery once, with its exact bytes) and
// rejected_events. It is the source of truth; read models are derived from it and can be
// rebuilt from it at any time.
#pragma once

#include "projection/inventory_event.hpp"
#include "projection/outcome.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace seatmirror {

struct LedgerEntry {
  std::string id;
  std::string body;
  Outcome outcome;
};

class EventLedger {
 public:
  explicit EventLedger(SQLite::Database& db);

  // The body first recorded under this event id, or nullopt when the id is new.
  std::optional<std::string> recorded_body(const std::string& event_id);

  void record(const InventoryEvent& event, Outcome outcome, std::string_view received_at,
              std::string_view body);
  void record_rejection(const Rejection& rejection, std::string_view received_at,
                        std::string_view body);

  // Visits every ledger entry in arrival order, reading one row at a time.
  void for_each_in_arrival_order(const std::function<void(const LedgerEntry&)>& visit);

 private:
  SQLite::Database& db_;
  SQLite::Statement find_body_;
  SQLite::Statement insert_event_;
  SQLite::Statement insert_rejection_;
};

}  // namespace seatmirror
