// Replays every fixture scenario into a real SQLite file and compares outcomes, the ledger,
// rejected_events and every read-model table with the scenario's expected.json.
#include "tests/support/scenario.hpp"
#include "projection/projection_engine.hpp"
#include "storage/database.hpp"
#include "storage/sqlite_connection.hpp"
#include "tests/support/expectations.hpp"
#include "tests/support/test_database.hpp"

#include <SQLiteCpp/Statement.h>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

using namespace seatmirror;

namespace {

void check_ledger(SQLite::Database& db, const test::Scenario& scenario, const std::vector<DeliveryResult>& results) {
  // Each event id once, holding the exact bytes of its first delivery and its outcome.
  std::set<std::string> seen;
  std::int64_t expected_rows = 0;
  SQLite::Statement find{db, "SELECT body, outcome FROM webhook_events WHERE id = ?"};
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto& result = results[i];
    if (result.outcome == Outcome::rejected || result.outcome == Outcome::duplicate) continue;
    REQUIRE(seen.insert(result.event_id).second);
    ++expected_rows;
    find.reset();
    find.bind(1, result.event_id);
    REQUIRE(find.executeStep());
    CHECK(find.getColumn(0).getString() == scenario.deliveries[i]);
    CHECK(find.getColumn(1).getString() == to_string(result.outcome));
  }
  CHECK(db.execAndGet("SELECT COUNT(*) FROM webhook_events").getInt64() == expected_rows);
}

void check_rejections(SQLite::Database& db, const test::Scenario& scenario,
                      const std::vector<DeliveryResult>& results) {
  std::vector<std::string> expected_bodies;
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (results[i].outcome == Outcome::rejected) expected_bodies.push_back(scenario.deliveries[i]);
  }
  SQLite::Statement rows{db, "SELECT reason, message, body FROM rejected_events ORDER BY seq"};
  std::size_t i = 0;
  const auto& reasons = scenario.expected.at("rejected").as_array();
  while (rows.executeStep()) {
    REQUIRE(i < reasons.size());
    CHECK(rows.getColumn(0).getString() == reasons[i].as_string().c_str());
    CHECK_FALSE(rows.getColumn(1).getString().empty());
    CHECK(rows.getColumn(2).getString() == expected_bodies[i]);
    ++i;
  }
  CHECK(i == reasons.size());
}

}  // namespace

TEST_CASE("every fixture scenario ends in its expected state", "[scenario]") {
  const auto scenarios = test::load_scenarios();
  REQUIRE(scenarios.size() >= 8);
  for (const auto& scenario : scenarios) {
    DYNAMIC_SECTION(scenario.name) {
      test::TempDir dir;
      auto db = open_database(dir.path() / "scenario.db");
      const auto results = test::deliver(db, scenario.deliveries);

      const auto& outcomes = scenario.expected.at("outcomes").as_array();
      REQUIRE(outcomes.size() == results.size());
      for (std::size_t i = 0; i < results.size(); ++i) {
        INFO("delivery " << i + 1 << (results[i].rejection ? ": " + results[i].rejection->message : ""));
        CHECK(to_string(results[i].outcome) == outcomes[i].as_string().c_str());
      }
      sql::SqliteConnection connection{db};
      test::check_end_state(connection, scenario);
      check_ledger(db, scenario, results);
      check_rejections(db, scenario, results);
    }
  }
}

TEST_CASE("the seatmap views show only live rows", "[scenario]") {
  test::TempDir dir;
  auto db = open_database(dir.path() / "views.db");
  test::deliver(db, test::load_scenario("delete-then-late-update").deliveries);
  CHECK(db.execAndGet("SELECT COUNT(*) FROM seat_classes").getInt() == 1);
  CHECK(db.execAndGet("SELECT COUNT(*) FROM active_seat_classes").getInt() == 0);
  CHECK(db.execAndGet("SELECT COUNT(*) FROM active_seatmaps").getInt() == 0);
  test::deliver(db, test::load_scenario("delete-then-newer-create").deliveries);
  CHECK(db.execAndGet("SELECT name FROM active_seat_classes").getString() == "Business Plus");
  CHECK(db.execAndGet("SELECT name FROM active_seatmaps").getString() == "Recreated");
}
