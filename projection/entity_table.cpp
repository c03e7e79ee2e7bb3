#include "projection/entity_table.hpp"

#include "projection/sql_binding.hpp"

namespace seatmirror {

EntityKeys::EntityKeys(SQLite::Database& db, const std::string& table)
    : select_(db, "SELECT order_created, order_updated_at FROM " + table + " WHERE id = ?") {}

std::optional<OrderingKey> EntityKeys::find(const std::string& id) {
  StatementReset reset{select_};
  select_.bind(1, id);
  if (!select_.executeStep()) return std::nullopt;
  OrderingKey key{select_.getColumn(0).getInt64(), std::nullopt};
  if (!select_.getColumn(1).isNull()) key.updated_at = select_.getColumn(1).getString();
  return key;
}

}  // namespace seatmirror
