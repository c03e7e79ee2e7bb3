#include "read_side/inventory_stats.hpp"

#include "storage/store.hpp"

namespace seatmirror {

const std::vector<std::string>& read_model_tables() {
  static const std::vector<std::string> tables = {"seat_fees",        "seat_classes",       "seatmaps",
                                                  "seatmap_sections", "seatmap_facilities", "seatmap_seats"};
  return tables;
}

InventoryStats collect_stats(sql::Connection& db) {
  InventoryStats stats;
  stats.schema_version = db.schema_version();
  auto count = [&](const std::string& sql) {
    const auto select = db.prepare(sql);
    select->step();
    return select->column_int64(0);
  };
  for (const auto& table : read_model_tables()) {
    stats.read_model_rows.emplace_back(table, count("SELECT COUNT(*) FROM " + table));
  }
  stats.read_model_rows.emplace_back("seat_classes (deleted)",
                                     count("SELECT COUNT(*) FROM seat_classes WHERE deleted = 1"));
  stats.read_model_rows.emplace_back("seatmaps (deleted)", count("SELECT COUNT(*) FROM seatmaps WHERE deleted = 1"));
  const auto outcomes = db.prepare("SELECT outcome, COUNT(*) FROM webhook_events GROUP BY outcome ORDER BY outcome");
  while (outcomes->step()) {
    stats.ledger_outcomes.emplace_back(outcomes->column_text(0), outcomes->column_int64(1));
    stats.ledger_events += outcomes->column_int64(1);
  }
  stats.rejected = count("SELECT COUNT(*) FROM rejected_events");
  return stats;
}

}  // namespace seatmirror
