#include "projection/database.hpp"
#include "projection/projection_engine.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/test_database.hpp"

#include <SQLiteCpp/Statement.h>
#include <catch2/catch.hpp>

#include <sys/stat.h>

using namespace seatmirror;

TEST_CASE("a version-1 file (event log only) upgrades in place and rebuilds its read models", "[schema]") {
  test::TempDir dir;
  const auto path = dir.path() / "old.db";
  const auto deliveries = test::load_scenario("in-order-lifecycle").deliveries;
  {
    auto old = open_database(path, {.migrate_to_version = 1});
    REQUIRE(schema_version(old) == 1);
    SQLite::Statement insert{old,
                             "INSERT INTO webhook_events (id, arrival_seq, event, created, attempt_id, livemode, "
                             "received_at, outcome, body) VALUES (?, ?, 'x', 0, 'a', 0, 't', 'applied', ?)"};
    for (std::size_t i = 0; i < deliveries.size(); ++i) {
      insert.reset();
      insert.bind(1, "event-" + std::to_string(i));
      insert.bind(2, static_cast<int64_t>(i + 1));
      insert.bind(3, deliveries[i]);
      insert.exec();
    }
  }
  auto upgraded = open_database(path);
  CHECK(schema_version(upgraded) == latest_schema_version());
  CHECK(upgraded.execAndGet("SELECT COUNT(*) FROM webhook_events").getInt() == 7);
  CHECK(upgraded.execAndGet("SELECT COUNT(*) FROM seat_fees").getInt() == 0);

  const auto report = rebuild_read_models(upgraded);
  CHECK(report.applied == 7);
  auto fresh = open_database(dir.path() / "fresh.db");
  test::deliver(fresh, deliveries);
  CHECK(test::read_model_snapshot(upgraded) == test::read_model_snapshot(fresh));
}

TEST_CASE("a version-4 file keeps its computed seats when they move to a clustered table", "[schema]") {
  test::TempDir dir;
  const auto path = dir.path() / "v4.db";
  std::vector<std::string> before;
  {
    auto old = open_database(path, {.migrate_to_version = 4});
    test::deliver(old, test::load_scenario("in-order-lifecycle").deliveries);
    REQUIRE(old.execAndGet("SELECT COUNT(*) FROM seatmap_seats").getInt() == 57);
    before = test::read_model_snapshot(old);
  }
  auto upgraded = open_database(path);
  CHECK(schema_version(upgraded) == latest_schema_version());
  CHECK_THAT(upgraded.execAndGet("SELECT sql FROM sqlite_master WHERE name = 'seatmap_seats'").getString(),
             Catch::Contains("WITHOUT ROWID"));
  CHECK(upgraded.execAndGet("SELECT COUNT(*) FROM seatmap_seats").getInt() == 57);
  CHECK(test::read_model_snapshot(upgraded) == before);
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
