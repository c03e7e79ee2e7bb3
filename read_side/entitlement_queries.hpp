// Reading the entitlements and their seat changes, for `entitlements list|show`.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <optional>
#include <string>

namespace seatmirror::sql {
class Connection;
}

namespace seatmirror {

// Every entitlement's columns but doc, in id order.
boost::json::array list_entitlements(sql::Connection& db);
// One entitlement's columns, doc as JSON, and "seat_changes": its changes in order.
std::optional<boost::json::object> find_entitlement(sql::Connection& db, const std::string& id);

}  // namespace seatmirror
