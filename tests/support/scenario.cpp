#include "tests/support/scenario.hpp"

#include "app/payload_reader.hpp"
#include "projection/projection_engine.hpp"
#include "storage/sqlite_connection.hpp"
#include "tests/support/test_database.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>

namespace seatmirror::test {

std::filesystem::path fixtures_dir() { return SEATMIRROR_FIXTURES_DIR; }

Scenario load_scenario(const std::string& name) {
  const auto dir = fixtures_dir() / "scenarios" / name;
  Scenario scenario{name, {}, boost::json::parse(read_file(dir / "expected.json")).as_object()};
  // The same reader replay uses, so the tests see exactly the bodies a user's replay sends.
  PayloadReader reader{{dir / "deliveries.ndjson"}};
  Payload payload;
  while (reader.next(payload)) scenario.deliveries.push_back(payload.body);
  return scenario;
}

std::vector<DeliveryResult> deliver(SQLite::Database& db, const std::vector<std::string>& bodies) {
  sql::SqliteConnection connection{db};
  ProjectionEngine engine{connection};
  std::vector<DeliveryResult> results;
  for (const auto& body : bodies) results.push_back(engine.apply(body, "2026-01-01T00:00:00.000Z"));
  return results;
}

std::vector<Scenario> load_scenarios() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator{fixtures_dir() / "scenarios"}) {
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  std::vector<Scenario> scenarios;
  for (const auto& name : names) scenarios.push_back(load_scenario(name));
  return scenarios;
}

}  // namespace seatmirror::test
