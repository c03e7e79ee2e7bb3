// Seat events and seat usage on a real SQLite file, through the ProjectionEngine the writer
// uses: validation, supersede and retry rules, usage figures against the fixture scenarios,
// a property (usage does not depend on the arrival order of events with distinct timestamps),
// entitlement seat changes, and rebuild.
#include "read_side/seat_usage.hpp"
#include "decode/bz_date.hpp"
#include "projection/projection_engine.hpp"
#include "projection/uuid_v7.hpp"
#include "storage/database.hpp"
#include "storage/sqlite_connection.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_database.hpp"

#include <fmt/format.h>
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <numeric>
#include <random>

using namespace seatmirror;

namespace {

SeatEventResult post(ProjectionEngine& engine, const std::string& body, std::string_view version = "") {
  return engine.apply(prepare_seat_event_post(body, version, std::chrono::system_clock::now()));
}

std::string event_body(const std::string& customer, const std::string& type, const std::string& at, std::int64_t total,
                       const std::string& customer_event_id = "") {
  auto body = fmt::format(R"({{"customerAlias":"{}","seatType":"{}","eventTimestamp":"{}","total":{})", customer, type,
                          at, total);
  if (!customer_event_id.empty()) body += fmt::format(R"(,"customerEventId":"{}")", customer_event_id);
  return body + "}";
}

std::int64_t count(SQLite::Database& db, const std::string& sql) { return db.execAndGet(sql).getInt64(); }

}  // namespace

TEST_CASE("seat event bodies are validated field by field", "[seat-usage]") {
  auto rejected_field = [](std::string_view body) {
    const auto decoded = decode_seat_event(body);
    REQUIRE(std::holds_alternative<Rejection>(decoded));
    return std::get<Rejection>(decoded);
  };
  CHECK(rejected_field("{").reason == RejectionReason::malformed_json);
  CHECK(rejected_field("[1]").reason == RejectionReason::malformed_json);
  const auto valid =
      std::string{R"({"customerAlias":"c","seatType":"admin","eventTimestamp":"2022-10-01T00:00:00Z","total":1)"};
  CHECK(std::holds_alternative<SeatEvent>(decode_seat_event(valid + "}")));
  CHECK(rejected_field(R"({"seatType":"a","eventTimestamp":"2022-10-01T00:00:00Z","total":1})").field ==
        "customerAlias");
  CHECK(rejected_field(R"({"customerAlias":"","seatType":"a","eventTimestamp":"2022-10-01T00:00:00Z","total":1})")
            .field == "customerAlias");
  CHECK(
      rejected_field(R"({"customerAlias":"c","seatType":7,"eventTimestamp":"2022-10-01T00:00:00Z","total":1})").field ==
      "seatType");
  CHECK(rejected_field(R"({"customerAlias":"c","seatType":"a","eventTimestamp":"2022-10-01T00:00:00","total":1})")
            .field == "eventTimestamp");  // no zone: its instant would be a guess
  // U+0000 cannot be stored as text on PostgreSQL: refused, naming the field (nested too).
  const auto nul = rejected_field(
      R"({"customerAlias":"a\u0000b","seatType":"a","eventTimestamp":"2022-10-01T00:00:00Z","total":1})");
  CHECK(nul.reason == RejectionReason::invalid_seat_event);
  CHECK(nul.field == "customerAlias");
  CHECK_THAT(nul.message, Catch::Contains("U+0000"));
  CHECK(rejected_field(valid + R"(,"extra":{"list":[1,"x\u0000"]}})").field == "extra.list[1]");
  CHECK(
      std::holds_alternative<SeatEvent>(decode_seat_event(valid + R"(,"note":"a\\u0000b"})")));  // an escaped backslash
  CHECK(rejected_field(R"({"customerAlias":"c","seatType":"a","eventTimestamp":"2022-10-01T00:00:00.0001Z","total":1})")
            .field == "eventTimestamp");  // finer than a millisecond
  CHECK(rejected_field(R"({"customerAlias":"c","seatType":"a","eventTimestamp":"2022-10-01T00:00:00Z","total":-1})")
            .field == "total");
  CHECK(rejected_field(R"({"customerAlias":"c","seatType":"a","eventTimestamp":"2022-10-01T00:00:00Z","total":1.5})")
            .field == "total");
  CHECK(rejected_field(R"({"customerAlias":"c","seatType":"a","eventTimestamp":"2022-10-01T00:00:00Z"})").field ==
        "total");
  CHECK(rejected_field(valid + R"(,"customerEventId":""})").field == "customerEventId");
  CHECK(rejected_field(valid + R"(,"customerEventId":5})").field == "customerEventId");
  CHECK(rejected_field(valid + R"(,"total":2})").reason == RejectionReason::malformed_json);  // repeated key
  const auto kept = decode_seat_event(valid + R"(,"unknownMember":{"kept":true}})");
  CHECK(std::holds_alternative<SeatEvent>(kept));
  CHECK(std::get<SeatEvent>(
            decode_seat_event(
                R"({"customerAlias":"c","seatType":"a","eventTimestamp":"2022-10-01T02:00:00+02:00","total":1})"))
            .event_timestamp == "2022-10-01T00:00:00.000Z");
}

TEST_CASE("UUIDv7 ids are well formed and strictly increasing, even within one millisecond", "[seat-usage]") {
  UuidV7Generator ids;
  const auto now = std::chrono::system_clock::now();
  std::string previous;
  for (int i = 0; i < 10'000; ++i) {
    const auto id = ids.next(now);  // the clock stands still
    INFO(id);
    REQUIRE(is_uuid_v7(id));
    REQUIRE(id > previous);
    previous = id;
  }
  CHECK(ids.next(now - std::chrono::hours{1}) > previous);  // and when it steps back
}

TEST_CASE("a new version of a customerEventId supersedes the current one, and the same content is a retry",
          "[seat-usage]") {
  test::TempDir dir;
  auto db = open_database(dir.path() / "seats.db");
  sql::SqliteConnection connection{db};
  ProjectionEngine engine{connection};
  const auto first = post(engine, event_body("c", "admin", "2024-03-01T00:00:00Z", 5, "e1"));
  REQUIRE(first.outcome == SeatEventOutcome::created);
  const auto retry = post(engine, event_body("c", "admin", "2024-03-01T01:00:00+01:00", 5, "e1"));
  CHECK(retry.outcome == SeatEventOutcome::retry);
  CHECK(retry.event->id == first.event->id);
  const auto second = post(engine, event_body("c", "admin", "2024-03-01T00:00:00Z", 7, "e1"));
  REQUIRE(second.outcome == SeatEventOutcome::created);
  CHECK(second.event->id != first.event->id);
  const auto stored_first = find_seat_event(connection, first.event->id);
  REQUIRE(stored_first);
  CHECK(stored_first->superseded_by == second.event->id);  // kept, pointing to its successor
  CHECK_FALSE(find_seat_event(connection, second.event->id)->superseded_by);
  // Going back to the first content is a new version too: only the current version is a retry target.
  CHECK(post(engine, event_body("c", "admin", "2024-03-01T00:00:00Z", 5, "e1")).outcome == SeatEventOutcome::created);
  CHECK(count(db, "SELECT count(*) FROM seat_events") == 3);
  CHECK(count(db, "SELECT count(*) FROM seat_events WHERE superseded_by IS NULL") == 1);
  // Without a customerEventId every post is an event of its own.
  CHECK(post(engine, event_body("c", "admin", "2024-03-02T00:00:00Z", 1)).outcome == SeatEventOutcome::created);
  CHECK(post(engine, event_body("c", "admin", "2024-03-02T00:00:00Z", 1)).outcome == SeatEventOutcome::created);
  CHECK(count(db, "SELECT count(*) FROM seat_events") == 5);
}

TEST_CASE("refused seat events are recorded as seat_event rejections and change nothing else", "[seat-usage]") {
  test::TempDir dir;
  auto db = open_database(dir.path() / "seats.db");
  sql::SqliteConnection connection{db};
  ProjectionEngine engine{connection};
  const auto wrong_version = post(engine, event_body("c", "admin", "2024-03-01T00:00:00Z", 5), "2023-01-01");
  CHECK(wrong_version.outcome == SeatEventOutcome::rejected);
  CHECK(wrong_version.rejection->reason == RejectionReason::unsupported_version);
  CHECK(wrong_version.rejection->field == "Sequence-Version");
  CHECK(post(engine, event_body("c", "admin", "2024-03-01T00:00:00Z", 5), kSequenceApiVersion).outcome ==
        SeatEventOutcome::created);
  CHECK(post(engine, R"({"customerAlias":"c"})").outcome == SeatEventOutcome::rejected);
  CHECK(count(db, "SELECT count(*) FROM seat_events") == 1);
  CHECK(count(db, "SELECT count(*) FROM rejected_events WHERE source = 'seat_event'") == 2);
  CHECK(count(db, "SELECT count(*) FROM webhook_events") == 0);
}

TEST_CASE("usage figures match the fixture scenarios worked out by hand", "[seat-usage]") {
  const auto root = test::fixtures_dir() / "seat-usage" / "scenarios";
  for (const auto& folder : std::filesystem::directory_iterator{root}) {
    SECTION(folder.path().filename().string()) {
      test::TempDir dir;
      auto db = open_database(dir.path() / "seats.db");
      sql::SqliteConnection connection{db};
      ProjectionEngine engine{connection};
      std::vector<std::filesystem::path> posts;
      for (const auto& file : std::filesystem::directory_iterator{folder}) {
        if (file.path().filename() != "expected.json") posts.push_back(file.path());
      }
      std::sort(posts.begin(), posts.end());
      const auto expected = boost::json::parse(test::read_file(folder.path() / "expected.json")).as_object();
      const auto& statuses = expected.at("statuses").as_array();
      REQUIRE(statuses.size() == posts.size());
      for (std::size_t i = 0; i < posts.size(); ++i) {
        const auto result = post(engine, test::read_file(posts[i]));
        INFO(posts[i].filename().string());
        CHECK((result.outcome == SeatEventOutcome::created ? 201 : 200) == statuses[i].as_int64());
      }
      CHECK(count(db, "SELECT count(*) FROM seat_events WHERE superseded_by IS NULL") ==
            expected.at("current_events").as_int64());
      for (const auto& query_value : expected.at("usage").as_array()) {
        const auto& q = query_value.as_object();
        UsageQuery query{.customer = std::string{q.at("customer").as_string()},
                         .from = *canonical_utc(q.at("from").as_string()),
                         .to = *canonical_utc(q.at("to").as_string())};
        if (q.contains("type")) query.seat_type = std::string{q.at("type").as_string()};
        const auto usage = seat_usage(connection, query);
        const auto& types = q.at("types").as_array();
        REQUIRE(usage.size() == types.size());
        for (std::size_t i = 0; i < usage.size(); ++i) {
          const auto& want = types[i].as_object();
          INFO(query.from << " " << usage[i].seat_type);
          CHECK(usage[i].seat_type == want.at("seatType").as_string());
          CHECK(usage[i].seats_at_start == want.at("seats_at_start").as_int64());
          CHECK(usage[i].seats_at_end == want.at("seats_at_end").as_int64());
          CHECK(usage[i].max_seats == want.at("max_seats").as_int64());
          CHECK(usage[i].average_seats == Approx(want.at("average_seats").to_number<double>()).epsilon(1e-12));
          CHECK(usage[i].seat_days == Approx(want.at("seat_days").to_number<double>()).epsilon(1e-12));
        }
      }
    }
  }
}

TEST_CASE("usage figures do not depend on the arrival order of events with distinct timestamps",
          "[seat-usage][property]") {
  std::mt19937_64 random{20261126};
  for (int round = 0; round < 25; ++round) {
    // Distinct timestamps (whole minutes in March 2024), random totals, two seat types.
    std::vector<std::string> bodies;
    std::vector<int> minutes(31 * 24 * 60);
    std::iota(minutes.begin(), minutes.end(), 0);
    std::shuffle(minutes.begin(), minutes.end(), random);
    const int events = 2 + static_cast<int>(random() % 40);
    for (int i = 0; i < events; ++i) {
      const auto at = format_unix_seconds(1'709'251'200 + minutes[i] * 60);  // 2024-03-01T00:00:00Z + minutes
      bodies.push_back(
          event_body("prop", i % 3 == 0 ? "editor" : "admin", at, static_cast<std::int64_t>(random() % 1000)));
    }
    auto shuffled = bodies;
    std::shuffle(shuffled.begin(), shuffled.end(), random);
    const UsageQuery query{.customer = "prop",
                           .from = format_unix_seconds(1'709'251'200 + (random() % 20'000) * 60),
                           .to = format_unix_seconds(1'709'251'200 + 20'000 * 60 + (random() % 30'000) * 60)};
    std::vector<std::vector<SeatTypeUsage>> results;
    for (const auto* order : {&bodies, &shuffled}) {
      test::TempDir dir;
      auto db = open_database(dir.path() / "seats.db");
      sql::SqliteConnection connection{db};
      ProjectionEngine engine{connection};
      for (const auto& body : *order) REQUIRE(post(engine, body).outcome == SeatEventOutcome::created);
      results.push_back(seat_usage(connection, query));
    }
    REQUIRE(results[0].size() == results[1].size());
    for (std::size_t i = 0; i < results[0].size(); ++i) {
      INFO("round " << round << ", " << results[0][i].seat_type);
      CHECK(results[0][i].seats_at_start == results[1][i].seats_at_start);
      CHECK(results[0][i].seats_at_end == results[1][i].seats_at_end);
      CHECK(results[0][i].max_seats == results[1][i].max_seats);
      CHECK(results[0][i].seat_days == results[1][i].seat_days);  // exactly: the same sums in the same order
      CHECK(results[0][i].average_seats == results[1][i].average_seats);
    }
  }
}

TEST_CASE("rebuild re-reads seat events and entitlements from what was recorded", "[seat-usage][rebuild]") {
  test::TempDir dir;
  auto db = open_database(dir.path() / "seats.db");
  {
    sql::SqliteConnection connection{db};
    ProjectionEngine engine{connection};
    for (const auto& [at, total, id] :
         {std::tuple{"2024-03-01T00:00:00Z", 5, "e1"}, std::tuple{"2024-03-02T00:00:00Z", 6, "e1"},
          std::tuple{"2024-03-03T00:00:00Z", 7, ""}, std::tuple{"2024-03-01T00:00:00Z", 8, "e2"},
          std::tuple{"2024-03-04T00:00:00Z", 9, "e1"}}) {
      REQUIRE(post(engine, event_body("r", "admin", at, total, id)).outcome == SeatEventOutcome::created);
    }
  }
  const auto live = test::table_rows(db, "seat_events");
  db.exec("UPDATE seat_events SET total = 0, superseded_by = NULL WHERE customer_event_id IS NULL");
  db.exec("UPDATE seat_events SET customer_alias = 'damaged'");
  sql::SqliteConnection rebuild_connection{db};
  const auto report = rebuild_read_models(rebuild_connection);
  CHECK(report.seat_events == 5);
  CHECK(test::table_rows(db, "seat_events") == live);
}

TEST_CASE("entitlements import reads objects, arrays and NDJSON, keeps newer ones, and is all or nothing",
          "[seat-usage][cli]") {
  test::TempDir dir;
  const auto db = (dir.path() / "seats.db").string();
  const auto fixtures = test::fixtures_dir() / "entitlements";
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream{dir.path() / name} << text;
    return (dir.path() / name).string();
  };
  auto doc = [](const char* id, const char* updated, int quantity) {
    return fmt::format(R"({{"id":"{}","organizationID":"org-1","partner":"AZURE","status":"ACTIVE","buyerID":"b",)"
                       R"("productID":"p","lastUpdateTime":"{}","info":{{"azureSubscriptions":[{{"quantity":{},)"
                       R"("saasSubscriptionStatus":"Subscribed"}}]}}}})",
                       id, updated, quantity);
  };
  REQUIRE(test::run_cli(dir, fmt::format("entitlements import --db '{}' '{}'", db,
                                         (fixtures / "azure-active.json").string())) == 0);
  const auto array = write(
      "array.json", "[" + doc("e-1", "2024-01-01T00:00:00Z", 1) + "," + doc("e-2", "2024-01-01T00:00:00Z", 2) + "]");
  const auto ndjson = write("more.ndjson", doc("e-3", "2024-01-01T00:00:00Z", 3) + "\n\n" +
                                               doc("e-1", "2024-06-01T00:00:00+02:00", 10) + "\n" +
                                               doc("e-2", "2023-12-31T00:00:00Z", 20) + "\n");
  REQUIRE(test::run_cli(dir, fmt::format("entitlements import --db '{}' '{}' '{}'", db, array, ndjson)) == 0);
  const auto out = test::read_file(dir.path() / "cli.out");
  CHECK(out.find("3 added, 1 replaced, 1 kept") != std::string::npos);
  SQLite::Database check{db, SQLite::OPEN_READONLY};
  CHECK(count(check, "SELECT count(*) FROM entitlements") == 4);
  CHECK(count(check, "SELECT quantity FROM entitlements WHERE id = 'e-1'") == 10);  // newer: replaced
  CHECK(count(check, "SELECT quantity FROM entitlements WHERE id = 'e-2'") == 2);   // older: kept
  CHECK(count(check, "SELECT quantity FROM entitlements WHERE id = 'ent-azure-0001'") == 10);
  // One invalid object: nothing from the file is imported, and the error names the field.
  const auto mixed = write("mixed.json", "[" + doc("e-9", "2024-01-01T00:00:00Z", 9) + R"(,{"id":"e-10"}])");
  CHECK(test::run_cli(dir, fmt::format("entitlements import --db '{}' '{}'", db, mixed)) == 1);
  CHECK(test::read_file(dir.path() / "cli.err").find("[1].organizationID") != std::string::npos);
  CHECK(count(check, "SELECT count(*) FROM entitlements") == 4);
  CHECK(test::run_cli(dir, fmt::format("entitlements import --db '{}' '{}'", db, write("bad.json", "{nope"))) == 2);
  REQUIRE(test::run_cli(dir, fmt::format("entitlements list --db '{}'", db)) == 0);
  CHECK(test::read_file(dir.path() / "cli.out").find("ent-azure-0001") != std::string::npos);
  CHECK(test::run_cli(dir, fmt::format("entitlements show nope --db '{}'", db)) == 1);
}
