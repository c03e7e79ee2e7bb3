#include "projection/projection_engine.hpp"
#include "storage/database.hpp"
#include "storage/sqlite_connection.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/test_database.hpp"

#include <catch2/catch.hpp>

using namespace seatmirror;

TEST_CASE("rebuild reproduces the live read models row for row", "[rebuild]") {
  // All scenarios into one database: many entities, stale events, ignored events, tombstones.
  test::TempDir dir;
  auto db = open_database(dir.path() / "live.db");
  std::int64_t accepted = 0;
  for (const auto& scenario : test::load_scenarios()) {
    for (const auto& result : test::deliver(db, scenario.deliveries)) {
      accepted += result.outcome != Outcome::rejected && result.outcome != Outcome::duplicate;
    }
  }
  const auto live = test::read_model_snapshot(db);
  const auto ledger = test::table_rows(db, "webhook_events");
  const auto rejected = test::table_rows(db, "rejected_events");
  REQUIRE(live.size() >= 5);
  REQUIRE(ledger.size() > 15);

  sql::SqliteConnection rebuild_connection{db};

  const auto report = rebuild_read_models(rebuild_connection);
  CHECK(report.events == accepted);
  CHECK(report.changed_outcomes == 0);
  CHECK(report.applied + report.stale + report.ignored == report.events);
  CHECK(test::read_model_snapshot(db) == live);
  CHECK(test::table_rows(db, "webhook_events") == ledger);
  CHECK(test::table_rows(db, "rejected_events") == rejected);
}

TEST_CASE("rebuild restores read models that were damaged by hand", "[rebuild]") {
  test::TempDir dir;
  auto db = open_database(dir.path() / "damaged.db");
  test::deliver(db, test::load_scenario("in-order-lifecycle").deliveries);
  const auto live = test::read_model_snapshot(db);
  db.exec(
      "UPDATE seatmaps SET layout = '[]', computed_capacity = NULL; UPDATE seat_fees SET value = 0.5; "
      "INSERT INTO seat_fees (id, doc, last_event_id, order_created) VALUES ('x', '{}', 'y', 0)");
  REQUIRE(test::read_model_snapshot(db) != live);
  sql::SqliteConnection rebuild_connection{db};
  rebuild_read_models(rebuild_connection);
  CHECK(test::read_model_snapshot(db) == live);
}
