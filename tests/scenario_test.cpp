// Replays every fixture scenario into a real SQLite file and compares outcomes, the ledger,
// rejected_events and every read-model table with the scenario's expected.json.
#include "projection/database.hpp"
#include "projection/projection_engine.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/test_database.hpp"

#include <SQLiteCpp/Statement.h>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

using namespace seatmirror;

namespace {

boost::json::value column_value(const SQLite::Column& column) {
  if (column.isNull()) return nullptr;
  if (column.isInteger()) return column.getInt64();
  if (column.isFloat()) return column.getDouble();
  return boost::json::string{column.getString()};
}

// The rows of `table`, restricted to the columns the expectation names, as sorted JSON text.
std::vector<std::string> actual_rows(SQLite::Database& db, const std::string& table,
                                     const boost::json::object& example) {
  std::string columns;
  for (const auto& member : example) columns += (columns.empty() ? "" : ", ") + std::string{member.key()};
  SQLite::Statement select{db, "SELECT " + columns + " FROM " + table};
  std::vector<std::string> rows;
  while (select.executeStep()) {
    boost::json::object row;
    int i = 0;
    for (const auto& member : example) row[member.key()] = column_value(select.getColumn(i++));
    rows.push_back(boost::json::serialize(row));
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

std::vector<std::string> expected_rows(const boost::json::array& rows) {
  std::vector<std::string> result;
  for (const auto& row : rows) result.push_back(boost::json::serialize(row));
  std::sort(result.begin(), result.end());
  return result;
}

void check_tables(SQLite::Database& db, const boost::json::object& tables) {
  for (const auto& [table, rows] : tables) {
    INFO("table " << table);
    const auto& expected = rows.as_array();
    const auto count = db.execAndGet("SELECT COUNT(*) FROM " + std::string{table}).getInt64();
    CHECK(count == static_cast<std::int64_t>(expected.size()));
    if (!expected.empty()) {
      CHECK(actual_rows(db, table, expected[0].as_object()) == expected_rows(expected));
    }
  }
}

void check_ledger(SQLite::Database& db, const test::Scenario& scenario,
                  const std::vector<DeliveryResult>& results) {
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
      check_tables(db, scenario.expected.at("tables").as_object());
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
