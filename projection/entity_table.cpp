#include "projection/entity_table.hpp"

#include "projection/sql_binding.hpp"

namespace seatmirror {

std::string entity_upsert_sql(const std::string& table, const std::vector<std::string>& content,
                              const std::vector<std::pair<std::string, std::string>>& fixed) {
  std::vector<std::pair<std::string, std::string>> columns{{"id", "?"}};
  for (const auto& column : content) columns.emplace_back(column, "?");
  columns.insert(columns.end(), fixed.begin(), fixed.end());
  for (const char* column : {"last_event_id", "order_created", "order_updated_at"}) columns.emplace_back(column, "?");
  std::string names, values, updates;
  for (const auto& [column, value] : columns) {
    const char* separator = names.empty() ? "" : ", ";
    names += separator + column;
    values += separator + value;
    if (column != "id") updates += (updates.empty() ? "" : ", ") + column + " = excluded." + column;
  }
  return "INSERT INTO " + table + " (" + names + ") VALUES (" + values + ") ON CONFLICT (id) DO UPDATE SET " + updates;
}

std::string tombstone_upsert_sql(const std::string& table) {
  return entity_upsert_sql(table, {}, {{"deleted", "1"}, {"deleted_at", "?"}});
}

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
