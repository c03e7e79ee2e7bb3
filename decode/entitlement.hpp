// Marketplace entitlements as Suger describes them (seed 004): an object with id,
// organizationID, partner (AZURE, AWS, …), status (ACTIVE, CANCELLED, …), buyerID, productID,
// lastUpdateTime and, for Azure, info.azureSubscriptions[] with quantity and
// saasSubscriptionStatus. seatmirror stores the object whole and reads these members from it.
#pragma once

#include "decode/rejection.hpp"
#include "decode/seat_event.hpp"

#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

namespace seatmirror {

struct Entitlement {
  std::string id, organization_id;
  std::optional<std::string> partner, status, buyer_id, product_id;
  std::optional<std::string> last_update_time;  // canonical ISO-8601 UTC
  // The Azure subscription whose seats change: the one Subscribed, else the first.
  std::optional<std::size_t> active_azure_subscription;
  std::optional<std::int64_t> quantity;  // that subscription's quantity
  boost::json::object doc;               // the object, whole
};

struct SeatChangeRequest {
  std::string organization_id, entitlement_id;
  std::int64_t new_seat = 0;
  std::chrono::system_clock::time_point at;
};

enum class SeatChangeOutcome {
  changed,    // stored, with a change row and a seat event
  unchanged,  // the quantity already was new_seat: nothing recorded
  not_found,  // no entitlement with that id in that organization
  conflict,   // its seats cannot change (seat_change_conflict says why)
};

struct SeatChangeResult {
  SeatChangeOutcome outcome = SeatChangeOutcome::not_found;
  boost::json::object previous;  // the entitlement as stored before this request
  std::string reason;            // for a conflict
  std::optional<StoredSeatEvent> seat_event;
};

// Validates the members seatmirror reads; `path` prefixes field names in a rejection
// ("[3].id" for the fourth object of an array).
std::variant<Entitlement, Rejection> read_entitlement(const boost::json::value& value, const std::string& path = "");

// Why an entitlement's seats cannot be changed (partner not AZURE, status not ACTIVE, no Azure
// subscription), or nullopt when they can.
std::optional<std::string> seat_change_conflict(const Entitlement& entitlement);

// The entitlement with `quantity` on its active Azure subscription and lastUpdateTime `at`.
Entitlement with_quantity(const Entitlement& entitlement, std::int64_t quantity,
                          std::chrono::system_clock::time_point at);

}  // namespace seatmirror
