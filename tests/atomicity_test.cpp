// A delivery's ledger row and read-model change commit together or not at all. Failures are
// provoked inside real SQLite with triggers that abort a write part-way through a delivery.
#include "projection/database.hpp"
#include "projection/projection_engine.hpp"
#include "projection/sqlite_connection.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/test_database.hpp"

#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Transaction.h>
#include <catch2/catch.hpp>

using namespace seatmirror;

namespace {

std::string seed(const std::string& name) { return test::read_file(test::fixtures_dir() / "seeds" / name); }

std::int64_t count(SQLite::Database& db, const std::string& table) {
  return db.execAndGet("SELECT COUNT(*) FROM " + table).getInt64();
}

}  // namespace

TEST_CASE("a failure part-way through a seatmap write leaves no trace", "[atomicity]") {
  test::TempDir dir;
  auto db = open_database(dir.path() / "atomic.db");
  sql::SqliteConnection connection{db};
  ProjectionEngine engine{connection};
  // The seatmap row is written before its ledger row; the ledger row fails.
  db.exec("CREATE TRIGGER fail_facility BEFORE INSERT ON webhook_events "
          "WHEN NEW.event = 'seatmap.created' BEGIN SELECT RAISE(ABORT, 'disk trouble'); END");
  CHECK_THROWS_AS(engine.apply(seed("006-seatmap.created.json"), "2026-01-01T00:00:00.000Z"),
                  SQLite::Exception);
  for (const char* table : {"seatmaps", "seatmap_sections", "seatmap_facilities", "webhook_events",
                            "rejected_events"}) {
    INFO(table);
    CHECK(count(db, table) == 0);
  }
  // Once the fault is gone the same delivery applies: it was never recorded as seen.
  db.exec("DROP TRIGGER fail_facility");
  CHECK(engine.apply(seed("006-seatmap.created.json"), "2026-01-01T00:00:00.000Z").outcome == Outcome::applied);
  CHECK(count(db, "seatmap_facilities") == 2);
}

TEST_CASE("a failure to record the ledger row undoes the read-model change", "[atomicity]") {
  test::TempDir dir;
  auto db = open_database(dir.path() / "atomic.db");
  sql::SqliteConnection connection{db};
  ProjectionEngine engine{connection};
  db.exec("CREATE TRIGGER fail_ledger BEFORE INSERT ON webhook_events BEGIN SELECT RAISE(ABORT, 'full'); END");
  CHECK_THROWS(engine.apply(seed("001-seatfees.created.json"), "2026-01-01T00:00:00.000Z"));
  CHECK(count(db, "seat_fees") == 0);
  CHECK(count(db, "webhook_events") == 0);
}

TEST_CASE("one failing delivery does not spoil the others in its batch", "[atomicity]") {
  test::TempDir dir;
  auto db = open_database(dir.path() / "batch.db");
  sql::SqliteConnection connection{db};
  ProjectionEngine engine{connection};
  db.exec("CREATE TRIGGER fail_seatmaps BEFORE INSERT ON seatmaps BEGIN SELECT RAISE(ABORT, 'no'); END");
  SQLite::Transaction batch{db};
  CHECK(engine.apply(seed("001-seatfees.created.json"), "t").outcome == Outcome::applied);
  CHECK_THROWS(engine.apply(seed("006-seatmap.created.json"), "t"));
  CHECK(engine.apply(seed("003-seatclass.created.json"), "t").outcome == Outcome::applied);
  batch.commit();
  CHECK(count(db, "seat_fees") == 1);
  CHECK(count(db, "seat_classes") == 1);
  CHECK(count(db, "seatmaps") == 0);
  CHECK(count(db, "webhook_events") == 2);
}
