// `seatmirror rejected retry` on a real SQLite file: valid bodies that an older, stricter
// build left in rejected_events are applied with their original arrival time, next to bodies
// that are still invalid and stay, with today's reason. Run through the real binary.
#include "receiver/signature.hpp"
#include "receiver/webhook_client.hpp"
#include "storage/database.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_database.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include <fstream>

using namespace seatmirror;

namespace {

constexpr const char* kOldArrival = "2026-01-02T03:04:05.000Z";

void store_rejection(SQLite::Database& db, const std::string& body, const char* source, const char* reason,
                     const char* headers = nullptr) {
  SQLite::Statement insert{db,
                           "INSERT INTO rejected_events (received_at, reason, field, message, body, source, headers) "
                           "VALUES (?, ?, 'data.something', 'refused by an older rule', ?, ?, ?)"};
  insert.bind(1, kOldArrival);
  insert.bind(2, reason);
  insert.bind(3, body.data(), static_cast<int>(body.size()));
  insert.bind(4, source);
  headers ? insert.bind(5, headers) : insert.bind(5);
  insert.exec();
}

std::int64_t count(SQLite::Database& db, const std::string& sql) { return db.execAndGet(sql).getInt64(); }

}  // namespace

TEST_CASE("rejected retry applies what passes today's rules and keeps what does not", "[cli][rejected]") {
  test::TempDir dir;
  const auto path = dir.path() / "dead-letters.db";
  const auto deliveries = test::load_scenario("in-order-lifecycle").deliveries;
  const std::string seat_event =
      R"({"customerAlias":"c","seatType":"admin","eventTimestamp":"2024-03-01T00:00:00Z","total":4})";
  {
    auto db = open_database(path);
    for (const auto& body : deliveries) store_rejection(db, body, "inventory_webhook", "invalid_data");
    store_rejection(db, R"({"id": "not json)", "inventory_webhook", "malformed_json");
    store_rejection(db, R"({"id":"x"})", "inventory_webhook", "invalid_data");
    store_rejection(db, seat_event, "seat_event", "invalid_seat_event", R"({"sequence-version":"2024-07-30"})");
    store_rejection(db, seat_event, "seat_event", "unsupported_version", R"({"sequence-version":"1999-01-01"})");
  }
  const auto db_arg = fmt::format("--db '{}'", path.string());
  CHECK(test::run_cli(dir, "rejected retry " + db_arg) == 2);          // no selection
  CHECK(test::run_cli(dir, "rejected retry --all 3 " + db_arg) == 2);  // two selections
  CHECK(test::run_cli(dir, "rejected retry 999 " + db_arg) == 2);
  CHECK_THAT(test::read_file(dir.path() / "cli.err"), Catch::Contains("no rejected delivery with seq 999"));
  {
    SQLite::Database db{path.string(), SQLite::OPEN_READONLY};
    CHECK(count(db, "SELECT count(*) FROM webhook_events") == 0);
  }

  CHECK(test::run_cli(dir, "rejected retry --all " + db_arg) == 1);  // some are still invalid
  const auto out = test::read_file(dir.path() / "cli.out");
  CHECK_THAT(out,
             Catch::Contains(fmt::format("retried {}: {} accepted", deliveries.size() + 4, deliveries.size() + 1)));
  CHECK_THAT(out, Catch::Contains("3 still rejected"));
  SQLite::Database db{path.string(), SQLite::OPEN_READONLY};
  // The valid bodies took the normal path, with their original arrival time.
  CHECK(count(db, "SELECT count(*) FROM webhook_events") == static_cast<std::int64_t>(deliveries.size()));
  CHECK(count(db, fmt::format("SELECT count(*) FROM webhook_events WHERE received_at = '{}'", kOldArrival)) ==
        static_cast<std::int64_t>(deliveries.size()));
  auto fresh = open_database(dir.path() / "fresh.db");
  test::deliver(fresh, deliveries);
  CHECK(test::read_model_snapshot(db) == test::read_model_snapshot(fresh));
  CHECK(count(db, fmt::format("SELECT count(*) FROM seat_events WHERE received_at = '{}' AND total = 4",
                              kOldArrival)) == 1);
  // The others stay, with today's reasons.
  CHECK(count(db, "SELECT count(*) FROM rejected_events") == 3);
  CHECK(count(db,
              "SELECT count(*) FROM rejected_events WHERE reason = 'malformed_json' AND message != "
              "'refused by an older rule'") == 1);
  CHECK(count(db, "SELECT count(*) FROM rejected_events WHERE reason = 'invalid_envelope'") == 1);
  CHECK(count(db,
              "SELECT count(*) FROM rejected_events WHERE reason = 'unsupported_version' AND "
              "field = 'Sequence-Version'") == 1);

  // Retrying again changes nothing; a selection by reason touches only those rows.
  CHECK(test::run_cli(dir, "rejected retry --reason malformed_json " + db_arg) == 1);
  CHECK_THAT(test::read_file(dir.path() / "cli.out"), Catch::Contains("retried 1: 0 accepted, 1 still rejected"));
  CHECK(count(db, "SELECT count(*) FROM rejected_events") == 3);
  CHECK(count(db, "SELECT count(*) FROM webhook_events") == static_cast<std::int64_t>(deliveries.size()));
}

TEST_CASE("a refused delivery keeps the headers that bear on it, never Authorization", "[e2e][rejected]") {
  test::TempDir dir;
  std::ofstream{dir.path() / "seat-credentials"} << "k:s-0000000000000001\n";
  test::ServerProcess server{dir, {"--seat-api-credentials-file", (dir.path() / "seat-credentials").string()}};
  receiver::WebhookClient client{server.webhook_url(), {.insecure = true}};
  CHECK(client.post_webhook("{\"id\": ", test::kTestSecret).result_int() == 400);
  receiver::WebhookClient::Request seat{boost::beast::http::verb::post, "/api/seat-events", 11};
  seat.set(boost::beast::http::field::authorization, "Basic " + receiver::encode_base64("k:s-0000000000000001"));
  seat.set(boost::beast::http::field::content_type, "application/json");
  seat.set("Sequence-Version", "1999-01-01");
  seat.body() = R"({"customerAlias":"c","seatType":"a","eventTimestamp":"2024-03-01T00:00:00Z","total":1})";
  seat.prepare_payload();
  CHECK(client.send(std::move(seat)).result_int() == 400);
  REQUIRE(test::run_cli(dir, fmt::format("rejected --json --db '{}'", server.db_path().string())) == 0);
  const auto listed = boost::json::parse(test::read_file(dir.path() / "cli.out")).as_array();
  REQUIRE(listed.size() == 2);
  const auto& webhook_headers = listed[0].at("headers").as_object();
  CHECK(webhook_headers.at("x-btrz-signature").as_string().starts_with("t="));
  CHECK(webhook_headers.at("content-type") == "application/json");
  const auto& seat_headers = listed[1].at("headers").as_object();
  CHECK(seat_headers.at("sequence-version") == "1999-01-01");
  CHECK_FALSE(seat_headers.contains("authorization"));
  CHECK_THAT(test::read_file(dir.path() / "cli.out"), !Catch::Contains("Basic "));
}
