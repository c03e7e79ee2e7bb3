#include "read_side/entitlement_queries.hpp"

#include "read_side/row_json.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

namespace seatmirror {

boost::json::array list_entitlements(SQLite::Database& db) {
  SQLite::Statement select{db, "SELECT id, organization_id, partner, status, buyer_id, product_id, quantity, "
                               "last_update_time FROM entitlements ORDER BY id"};
  return all_rows(select);
}

std::optional<boost::json::object> find_entitlement(SQLite::Database& db, const std::string& id) {
  SQLite::Statement select{db, "SELECT * FROM entitlements WHERE id = ?"};
  select.bind(1, id);
  if (!select.executeStep()) return std::nullopt;
  auto entitlement = row_object(select);
  SQLite::Statement changes{db, "SELECT seq, old_quantity, new_quantity, changed_at, seat_event_id "
                                "FROM entitlement_seat_changes WHERE entitlement_id = ? ORDER BY seq"};
  changes.bind(1, id);
  entitlement["seat_changes"] = all_rows(changes);
  return entitlement;
}

}  // namespace seatmirror
