// The event log: webhook_events (every accepted delivery once, with its exact bytes, in
// arrival order) and rejected_events. It is the source of truth; read models are derived from
// it and can be rebuilt from it at any time.
#pragma once

#include "decode/inventory_event.hpp"
#include "projection/outcome.hpp"

#include "storage/sql_connection.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace seatmirror {

struct LedgerEntry {
  std::string id;
  std::string body;
  Outcome outcome;
};

// A row of rejected_events, for `rejected retry`.
struct StoredRejection {
  std::int64_t seq = 0;
  RejectionSource source = RejectionSource::inventory_webhook;
  std::string reason, received_at, body, headers;
};

// What the ledger already holds under an event id.
enum class Recorded { no, same_bytes, other_bytes };

class EventLedger {
 public:
  explicit EventLedger(sql::Connection& db);

  // One index lookup; the stored body is compared inside the database, never copied out.
  // Ids look_up() found absent answer `no` without one.
  Recorded find(const std::string& event_id, std::string_view body);
  // A batch's event ids looked up together (one statement per kLookUpChunk ids, where find()
  // would take one each): those not recorded are remembered as absent until record() records
  // one or forget_look_ups(). Sound only while no other writer can record them: the caller
  // holds their locks (Connection::lock_keys) until it calls forget_look_ups().
  void look_up(const std::vector<std::string>& event_ids);
  void forget_look_ups() { known_absent_.clear(); }
  static constexpr std::size_t kLookUpChunk = 64;
  // The body first recorded under this event id (only read to explain a redelivery).
  std::string recorded_body(const std::string& event_id);

  void record(const InventoryEvent& event, Outcome outcome, std::string_view received_at, std::string_view body);
  void record_rejection(const Rejection& rejection, std::string_view received_at, std::string_view body,
                        RejectionSource source = RejectionSource::inventory_webhook, std::string_view headers = {});
  // Whether rejected_events already holds this body from this source (a scan: rejections are few).
  bool holds_rejection(RejectionSource source, std::string_view body);
  // For `rejected retry`: a stored rejection judged again.
  void update_rejection(std::int64_t seq, const Rejection& rejection);
  void remove_rejection(std::int64_t seq);

  // Every stored rejection, in seq order.
  std::vector<StoredRejection> stored_rejections();

  // Visits every ledger entry in arrival order, reading one row at a time.
  void for_each_in_arrival_order(const std::function<void(const LedgerEntry&)>& visit);

 private:
  sql::Connection& db_;
  std::unique_ptr<sql::Statement> find_;
  std::unique_ptr<sql::Statement> find_many_;  // kLookUpChunk placeholders; unused ones NULL
  std::unordered_set<std::string> known_absent_;
  std::unique_ptr<sql::Statement> find_body_;
  std::unique_ptr<sql::Statement> insert_event_;
  std::unique_ptr<sql::Statement> insert_rejection_;
  std::unique_ptr<sql::Statement> find_rejection_;
  std::unique_ptr<sql::Statement> update_rejection_;
  std::unique_ptr<sql::Statement> remove_rejection_;
};

}  // namespace seatmirror
