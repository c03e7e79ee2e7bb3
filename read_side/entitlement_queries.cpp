#include "read_side/entitlement_queries.hpp"

#include "read_side/row_json.hpp"

#include "storage/sql_binding.hpp"

namespace seatmirror {

boost::json::array list_entitlements(sql::Connection& db) {
  const auto select = db.prepare(
      "SELECT id, organization_id, partner, status, buyer_id, product_id, quantity, "
      "last_update_time FROM entitlements ORDER BY id");
  return all_rows(*select);
}

std::optional<boost::json::object> find_entitlement(sql::Connection& db, const std::string& id) {
  const auto select = db.prepare("SELECT * FROM entitlements WHERE id = ?");
  bind_all(*select, id);
  if (!select->step()) return std::nullopt;
  auto entitlement = row_object(*select);
  const auto changes = db.prepare(
      "SELECT seq, old_quantity, new_quantity, changed_at, seat_event_id "
      "FROM entitlement_seat_changes WHERE entitlement_id = ? ORDER BY seq");
  bind_all(*changes, id);
  entitlement["seat_changes"] = all_rows(*changes);
  return entitlement;
}

}  // namespace seatmirror
