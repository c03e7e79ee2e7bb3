// The fixture scenarios under fixtures/scenarios/NAME/: deliveries.ndjson (one body per line,
// in delivery order) and expected.json (outcomes, rejection reasons and end-state rows).
#pragma once

#include "projection/outcome.hpp"

#include <SQLiteCpp/Database.h>
#include <boost/json/value.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace seatmirror::test {

struct Scenario {
  std::string name;
  std::vector<std::string> deliveries;  // exact bytes of each body
  boost::json::object expected;
};

std::filesystem::path fixtures_dir();
std::vector<Scenario> load_scenarios();
Scenario load_scenario(const std::string& name);

// Applies each body through a ProjectionEngine, one delivery per transaction, like live traffic.
std::vector<DeliveryResult> deliver(SQLite::Database& db, const std::vector<std::string>& bodies);

}  // namespace seatmirror::test
