// The PostgreSQL store (issue 11) against a private cluster started by the test: the same
// engine, projectors and seat rules as SQLite, through the same storage seam, must leave the
// same rows (read models, views, ledger, seat events), and two connections working at once
// must keep dedupe and ordering exact.
#include "projection/database.hpp"
#include "projection/postgres_database.hpp"
#include "projection/projection_engine.hpp"
#include "projection/sqlite_connection.hpp"
#include "tests/support/postgres_cluster.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/test_database.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <thread>

using namespace seatmirror;

namespace {

// Every row of `table` as text (NULL marked), ordered by all columns, read through the seam
// so that both stores are read by the same code.
std::vector<std::string> rows_of(sql::Connection& db, const std::string& table, const std::string& columns = "*") {
  auto probe = db.prepare(fmt::format("SELECT {} FROM {}", columns, table));
  std::vector<std::string> rows;
  while (probe->step()) {
    std::string row;
    for (int i = 0; i < probe->column_count(); ++i) {
      switch (probe->column_type(i)) {
        case sql::ColumnType::null: row += "NULL"; break;
        case sql::ColumnType::integer: row += std::to_string(probe->column_int64(i)); break;
        case sql::ColumnType::real: row += fmt::format("{}", probe->column_double(i)); break;
        default: row += probe->column_text(i);
      }
      row += '|';
    }
    rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

void deliver_each(sql::Connection& db, const std::vector<std::string>& bodies) {
  ProjectionEngine engine{db};
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    sql::WriteTransaction transaction{db};
    engine.apply(bodies[i], fmt::format("2026-11-26T10:00:{:02}.000Z", i % 60));
    transaction.commit();
  }
}

#define REQUIRE_POSTGRES()                                          \
  if (const auto reason = test::PostgresCluster::unavailable_reason()) { \
    WARN("skipped: " << *reason);                                   \
    return;                                                         \
  }

}  // namespace

TEST_CASE("PostgreSQL: the same rules leave the same rows as SQLite, views and rebuild included", "[postgres]") {
  REQUIRE_POSTGRES();
  test::PostgresCluster cluster;
  test::TempDir dir;
  auto sqlite_file = open_database(dir.path() / "reference.db");
  sql::SqliteConnection sqlite{sqlite_file};
  auto postgres = open_postgres(cluster.url());
  CHECK(postgres_schema_version(*postgres) == postgres_migrations().back().version);

  std::vector<std::string> bodies;
  for (const auto& scenario : test::load_scenarios()) bodies.insert(bodies.end(), scenario.deliveries.begin(), scenario.deliveries.end());
  REQUIRE(bodies.size() > 20);
  deliver_each(sqlite, bodies);
  deliver_each(*postgres, bodies);
  for (const auto* table : {"seat_fees", "seat_classes", "seatmaps", "seatmap_sections", "seatmap_facilities",
                            "seatmap_seats", "webhook_events", "rejected_events"}) {
    INFO(table);
    const auto expected = rows_of(sqlite, table);
    CHECK(expected.size() > 0);
    CHECK(rows_of(*postgres, table) == expected);
  }
  // rebuild on PostgreSQL reproduces what live projection wrote.
  const auto live = rows_of(*postgres, "seatmaps");
  postgres->exec("UPDATE seatmaps SET layout = '[]', name = 'damaged'");
  const auto report = rebuild_read_models(*postgres);
  CHECK(report.changed_outcomes == 0);
  CHECK(rows_of(*postgres, "seatmaps") == live);
}

TEST_CASE("PostgreSQL: seat events supersede and rebuild the same way as on SQLite", "[postgres]") {
  REQUIRE_POSTGRES();
  test::PostgresCluster cluster;
  test::TempDir dir;
  auto sqlite_file = open_database(dir.path() / "reference.db");
  sql::SqliteConnection sqlite{sqlite_file};
  auto postgres = open_postgres(cluster.url());
  const auto root = test::fixtures_dir() / "seat-usage" / "scenarios";
  std::vector<std::string> posts;
  for (const auto* name : {"supersede", "retries", "out-of-order", "month"}) {
    std::vector<std::filesystem::path> files;
    for (const auto& file : std::filesystem::directory_iterator{root / name}) {
      if (file.path().filename() != "expected.json") files.push_back(file.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) posts.push_back(test::read_file(file));
  }
  for (auto* db : std::vector<sql::Connection*>{&sqlite, postgres.get()}) {
    ProjectionEngine engine{*db};
    for (const auto& body : posts) {
      sql::WriteTransaction transaction{*db};
      SeatEventPost post{body, "2026-11-26T10:00:00.000Z", decode_seat_event(body), {}};
      engine.apply(post);
      transaction.commit();
    }
  }
  // Ids are fresh UUIDv7s in each store: compare what the rules decide, not the random parts.
  const std::string columns = "customer_event_id, customer_alias, seat_type, event_timestamp, total, "
                              "superseded_by IS NULL AS current, body";
  CHECK(rows_of(*postgres, "seat_events", columns) == rows_of(sqlite, "seat_events", columns));
  const auto before = rows_of(*postgres, "seat_events");
  rebuild_read_models(*postgres);
  CHECK(rows_of(*postgres, "seat_events") == before);
}

TEST_CASE("PostgreSQL: two connections at once keep dedupe and ordering exact", "[postgres]") {
  REQUIRE_POSTGRES();
  test::PostgresCluster cluster;
  open_postgres(cluster.url());  // the schema, once
  // 300 updates of 10 seat fees, each with its own event id and a later `created` than the
  // one before. Two writers apply all of them, one in order and one in reverse, at once, each
  // delivery in its own transaction: every event must be applied once and be a duplicate
  // once, and each fee must end in the state of its newest event.
  const auto seed = boost::json::parse(test::read_file(test::fixtures_dir() / "seeds" / "001-seatfees.created.json"))
                        .as_object();
  std::vector<std::string> bodies;
  for (int n = 0; n < 300; ++n) {
    auto body = seed;
    body["id"] = fmt::format("00000000-0000-4000-8000-{:012x}", n);
    body["created"] = 1'764'000'000 + n;
    body["data"].as_object()["_id"] = fmt::format("{:024x}", n % 10);
    body["data"].as_object()["name"] = fmt::format("version {}", n);
    bodies.push_back(boost::json::serialize(body));
  }
  auto writer = [&](bool reversed, std::vector<Outcome>& outcomes) {
    auto db = open_postgres(cluster.url());
    ProjectionEngine engine{*db};
    auto mine = bodies;
    if (reversed) std::reverse(mine.begin(), mine.end());
    for (const auto& body : mine) {
      sql::WriteTransaction transaction{*db};
      outcomes.push_back(engine.apply(body, "2026-11-26T10:00:00.000Z").outcome);
      transaction.commit();
    }
  };
  std::vector<Outcome> first, second;
  std::thread a{writer, false, std::ref(first)};
  std::thread b{writer, true, std::ref(second)};
  a.join();
  b.join();
  auto postgres = open_postgres(cluster.url());
  const auto duplicates = std::count(first.begin(), first.end(), Outcome::duplicate) +
                          std::count(second.begin(), second.end(), Outcome::duplicate);
  CHECK(duplicates == 300);
  CHECK(rows_of(*postgres, "webhook_events", "id").size() == 300);
  const auto fees = rows_of(*postgres, "seat_fees", "id, name");
  REQUIRE(fees.size() == 10);
  for (int k = 0; k < 10; ++k) {
    CHECK(fees[static_cast<std::size_t>(k)] == fmt::format("{:024x}|version {}|", k, 290 + k));
  }
  // The writers really overlapped: each saw some of the other's events as duplicates.
  CHECK(std::count(first.begin(), first.end(), Outcome::duplicate) > 0);
  CHECK(std::count(second.begin(), second.end(), Outcome::duplicate) > 0);
}
