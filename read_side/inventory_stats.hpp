// Counts that tell an operator what a database holds: rows per read model, ledger outcomes,
// rejections.
#pragma once

#include "storage/sql_connection.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace seatmirror {

struct InventoryStats {
  int schema_version = 0;
  std::vector<std::pair<std::string, std::int64_t>> read_model_rows;  // table → rows
  std::vector<std::pair<std::string, std::int64_t>> ledger_outcomes;  // outcome → events
  std::int64_t ledger_events = 0;
  std::int64_t rejected = 0;
};

InventoryStats collect_stats(sql::Connection& db);

// The read-model tables, in the order `stats` counts them and the tests compare databases (a
// rebuild empties them through the projectors, not by this list).
const std::vector<std::string>& read_model_tables();

}  // namespace seatmirror
