#include "read_side/inventory_stats.hpp"

#include "projection/database.hpp"

#include <SQLiteCpp/Statement.h>

namespace seatmirror {

const std::vector<std::string>& read_model_tables() {
  static const std::vector<std::string> tables = {
      "seat_fees", "seat_classes", "seatmaps", "seatmap_sections", "seatmap_facilities", "seatmap_seats"};
  return tables;
}

InventoryStats collect_stats(SQLite::Database& db) {
  InventoryStats stats;
  stats.schema_version = schema_version(db);
  auto count = [&](const std::string& sql) { return db.execAndGet(sql).getInt64(); };
  for (const auto& table : read_model_tables()) {
    stats.read_model_rows.emplace_back(table, count("SELECT COUNT(*) FROM " + table));
  }
  stats.read_model_rows.emplace_back("seat_classes (deleted)",
                                     count("SELECT COUNT(*) FROM seat_classes WHERE deleted = 1"));
  stats.read_model_rows.emplace_back("seatmaps (deleted)",
                                     count("SELECT COUNT(*) FROM seatmaps WHERE deleted = 1"));
  SQLite::Statement outcomes{db, "SELECT outcome, COUNT(*) FROM webhook_events GROUP BY outcome ORDER BY outcome"};
  while (outcomes.executeStep()) {
    stats.ledger_outcomes.emplace_back(outcomes.getColumn(0).getString(), outcomes.getColumn(1).getInt64());
    stats.ledger_events += outcomes.getColumn(1).getInt64();
  }
  stats.rejected = count("SELECT COUNT(*) FROM rejected_events");
  return stats;
}

}  // namespace seatmirror
