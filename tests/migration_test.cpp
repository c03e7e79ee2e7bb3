#include "projection/projection_engine.hpp"
#include "storage/database.hpp"
#include "storage/sqlite_connection.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/test_database.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <sys/stat.h>

using namespace seatmirror;

namespace {

// Ledger rows as an older seatmirror wrote them (explicit arrival_seq from `first_seq` on).
void write_old_ledger(SQLite::Database& old, const std::vector<std::string>& bodies, std::int64_t first_seq) {
  SQLite::Statement insert{old,
                           "INSERT INTO webhook_events (id, arrival_seq, event, created, attempt_id, livemode, "
                           "received_at, outcome, body) VALUES (?, ?, 'x', 0, 'a', 0, 't', 'applied', ?)"};
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    insert.reset();
    insert.bind(1, "event-" + std::to_string(i));
    insert.bind(2, first_seq + static_cast<std::int64_t>(i));
    insert.bind(3, bodies[i]);
    insert.exec();
  }
}

}  // namespace

TEST_CASE("a version-1 file (event log only) upgrades in place and rebuilds its read models", "[schema]") {
  test::TempDir dir;
  const auto path = dir.path() / "old.db";
  const auto deliveries = test::load_scenario("in-order-lifecycle").deliveries;
  {
    auto old = open_database(path, {.migrate_to_version = 1});
    REQUIRE(schema_version(old) == 1);
    write_old_ledger(old, deliveries, 1);
  }
  // Schema 6 re-projects the ledger as part of the upgrade: the read models appear at once.
  auto upgraded = open_database(path, with_reprojection());
  CHECK(schema_version(upgraded) == latest_schema_version());
  CHECK(upgraded.execAndGet("SELECT COUNT(*) FROM webhook_events").getInt() == 7);
  auto fresh = open_database(dir.path() / "fresh.db");
  test::deliver(fresh, deliveries);
  CHECK(test::read_model_snapshot(upgraded) == test::read_model_snapshot(fresh));

  sql::SqliteConnection rebuild_connection{upgraded};

  const auto report = rebuild_read_models(rebuild_connection);
  CHECK(report.applied == 7);
  CHECK(test::read_model_snapshot(upgraded) == test::read_model_snapshot(fresh));
}

TEST_CASE("a version-5 file is re-projected: seats, sections and facilities become views over one row per seatmap",
          "[schema]") {
  test::TempDir dir;
  const auto path = dir.path() / "v5.db";
  const auto deliveries = test::load_scenario("in-order-lifecycle").deliveries;
  {
    // What seatmirror at version 5 left: the ledger, and a deleted class's content-less tombstone.
    auto old = open_database(path, {.migrate_to_version = 5});
    write_old_ledger(old, deliveries, 10);
    old.exec(
        "INSERT INTO seat_classes (id, deleted, deleted_at, last_event_id, order_created) "
        "VALUES ('64b7f0c2a1d3e4f5a6b7c8e0', 1, '2021-08-03T21:08:20.000Z', 'e', 0)");
  }
  auto upgraded = open_database(path, with_reprojection());
  CHECK(schema_version(upgraded) == latest_schema_version());
  for (const char* view : {"seatmap_seats", "seatmap_sections", "seatmap_facilities"}) {
    INFO(view);
    CHECK(upgraded.execAndGet(fmt::format("SELECT type FROM sqlite_master WHERE name = '{}'", view)).getString() ==
          "view");
  }
  CHECK(upgraded.execAndGet("SELECT COUNT(*) FROM seatmap_seats").getInt() == 57);
  CHECK(upgraded.execAndGet("SELECT COUNT(*) FROM seatmap_facilities").getInt() == 2);
  CHECK(upgraded.execAndGet("SELECT group_concat(arrival_seq) FROM webhook_events").getString() ==
        "10,11,12,13,14,15,16");
  // The re-projection gives the deleted class the content the new rules keep.
  CHECK(upgraded.execAndGet("SELECT name FROM seat_classes WHERE deleted = 1").getString() == "Business");
  auto fresh = open_database(dir.path() / "fresh.db");
  test::deliver(fresh, deliveries);
  CHECK(test::read_model_snapshot(upgraded) == test::read_model_snapshot(fresh));
  CHECK(upgraded.execAndGet("PRAGMA integrity_check").getString() == "ok");
}

TEST_CASE("a file from a newer seatmirror is refused, not damaged", "[schema]") {
  test::TempDir dir;
  const auto path = dir.path() / "newer.db";
  { open_database(path).exec("PRAGMA user_version = 999"); }
  CHECK_THROWS_WITH(open_database(path), Catch::Contains("newer"));
}

TEST_CASE("the database is created owner-only and in WAL mode", "[schema]") {
  test::TempDir dir;
  const auto path = dir.path() / "private.db";
  auto db = open_database(path);
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  CHECK(db.execAndGet("PRAGMA journal_mode").getString() == "wal");
  CHECK(db.execAndGet("PRAGMA synchronous").getInt() == 2);  // FULL
}
