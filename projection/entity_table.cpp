#include "projection/entity_table.hpp"

#include "storage/sql_binding.hpp"

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

EntityKeys::EntityKeys(sql::Connection& db, const std::string& table)
    : select_(db.prepare("SELECT order_created, order_updated_at FROM " + table + " WHERE id = ?")) {}

std::optional<OrderingKey> EntityKeys::find(const std::string& id) {
  StatementReset reset{*select_};
  bind_all(*select_, id);
  if (!select_->step()) return std::nullopt;
  return OrderingKey{select_->column_int64(0), select_->column_optional_text(1)};
}

}  // namespace seatmirror
