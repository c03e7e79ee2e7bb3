// serve --read-db (issue 11): a receiver writes to a PostgreSQL primary and answers its read API
// from a hot-standby replica of it, both started by the test (initdb, pg_basebackup). The
// replica's replay is paused to prove where each read comes from: the read API shows what the
// replica has, the seat API reads back from the primary what a client has just posted.
#include "receiver/signature.hpp"
#include "receiver/webhook_client.hpp"
#include "storage/postgres_database.hpp"
#include "storage/sql_connection.hpp"
#include "tests/support/postgres_cluster.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/server_process.hpp"

#include <fmt/format.h>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

#include <signal.h>

#include <fstream>
#include <thread>

using namespace seatmirror;
using receiver::WebhookClient;
namespace http = boost::beast::http;

namespace {

constexpr const char* kSeatCredential = "billing-sync:s3cret-0000000001";

std::string fee_body(const std::string& fee_id, const std::string& event_id) {
  auto body =
      boost::json::parse(test::read_file(test::fixtures_dir() / "seeds" / "001-seatfees.created.json")).as_object();
  body["id"] = event_id;
  body["data"].as_object()["_id"] = fee_id;
  return boost::json::serialize(body);
}

WebhookClient::Response read(WebhookClient& client, const std::string& target, const std::string& authorization) {
  WebhookClient::Request request{http::verb::get, target, 11};
  request.set(http::field::authorization, authorization);
  return client.send(std::move(request));
}

// Polls until `done` or 30 s pass; the replica follows the primary a moment later.
template <typename Done>
bool eventually(Done done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

}  // namespace

TEST_CASE(
    "serve --read-db: the read API answers from a hot-standby replica, the seat API and writes from the "
    "primary, and a replica that goes away is 503 for reads only",
    "[postgres][e2e]") {
  SKIP_WITHOUT_POSTGRES();
  test::PostgresCluster primary;
  open_postgres(primary.url());  // the schema exists before the copy, as after any writer's first start
  test::PostgresCluster replica{test::PostgresCluster::StandbyOf{primary}};
  test::TempDir dir;
  std::ofstream{dir.path() / "read-tokens"} << "reader-token-00000001\n";
  std::ofstream{dir.path() / "seat-credentials"} << kSeatCredential << "\n";
  test::ServerProcess server{dir,
                             {"--read-db", replica.url(), "--read-token-file", (dir.path() / "read-tokens").string(),
                              "--seat-api-credentials-file", (dir.path() / "seat-credentials").string()},
                             primary.url()};
  WebhookClient webhooks{server.webhook_url(), {.insecure = true}};
  WebhookClient api{server.base_url(), {.insecure = true}};
  const std::string reader = "Bearer reader-token-00000001";
  const std::string fee_id = "5f0c6a3e2b1d4c0012345678";

  REQUIRE(
      webhooks.post_webhook(fee_body(fee_id, "00000000-0000-4000-8000-000000000001"), test::kTestSecret).result_int() ==
      200);
  CHECK(eventually([&] { return read(api, "/v1/seat-fees/" + fee_id, reader).result_int() == 200; }));

  // Replay paused on the replica: writes still commit on the primary, the read API does not see them.
  auto standby = open_postgres(replica.url(), {.read_only = true});
  standby->exec("SELECT pg_wal_replay_pause()");
  const std::string second_fee = "5f0c6a3e2b1d4c0012345679";
  REQUIRE(webhooks.post_webhook(fee_body(second_fee, "00000000-0000-4000-8000-000000000002"), test::kTestSecret)
              .result_int() == 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(read(api, "/v1/seat-fees/" + second_fee, reader).result_int() == 404);
  {
    const auto on_primary = open_postgres(primary.url(), {.read_only = true});
    const auto fees = on_primary->prepare("SELECT count(*) FROM seat_fees");
    fees->step();
    CHECK(fees->column_int64(0) == 2);
  }
  // A posted seat event is read back at once: the seat API reads the primary.
  WebhookClient::Request post{http::verb::post, "/api/seat-events", 11};
  post.set(http::field::authorization, "Basic " + receiver::encode_base64(kSeatCredential));
  post.set(http::field::content_type, "application/json");
  post.body() = R"({"customerEventId":"replica-1","customerAlias":"c-1","seatType":"admin",)"
                R"("eventTimestamp":"2026-11-01T00:00:00Z","total":3})";
  const auto posted = api.send(post);
  REQUIRE(posted.result_int() == 201);
  const std::string seat_event_id{boost::json::parse(posted.body()).at("id").as_string()};
  CHECK(read(api, "/api/seat-events/" + seat_event_id, "Basic " + receiver::encode_base64(kSeatCredential))
            .result_int() == 200);
  CHECK(read(api, "/v1/seat-events", reader).body().find(seat_event_id) == std::string::npos);

  standby->exec("SELECT pg_wal_replay_resume()");
  CHECK(eventually([&] { return read(api, "/v1/seat-fees/" + second_fee, reader).result_int() == 200; }));
  CHECK(
      eventually([&] { return read(api, "/v1/seat-events", reader).body().find(seat_event_id) != std::string::npos; }));

  // The replica goes away: reads are 503 with Retry-After, webhooks are still acknowledged.
  standby.reset();
  replica.stop();
  const auto refused = read(api, "/v1/seat-fees/" + fee_id, reader);
  CHECK(refused.result_int() == 503);
  CHECK(boost::json::parse(refused.body()).at("error") == "read_store_unavailable");
  CHECK(refused[http::field::retry_after] == "5");
  const std::string third_fee = "5f0c6a3e2b1d4c001234567a";
  CHECK(webhooks.post_webhook(fee_body(third_fee, "00000000-0000-4000-8000-000000000003"), test::kTestSecret)
            .result_int() == 200);
  WebhookClient health{server.base_url(), {.insecure = true}};
  CHECK(health.send({http::verb::get, "/healthz", 11}).result_int() == 200);
  // Back, it catches up and reads resume without a restart of the receiver.
  replica.start();
  CHECK(eventually([&] { return read(api, "/v1/seat-fees/" + third_fee, reader).result_int() == 200; }));
  CHECK(server.stop(SIGTERM) == 0);
  CHECK_THAT(server.stderr_text(), Catch::Contains("read of /v1/seat-fees/" + fee_id + " not answered, 503"));
}

TEST_CASE(
    "a replica is read-only to every command: query answers from it, rebuild is refused, and serve "
    "--read-db needs PostgreSQL on both sides",
    "[postgres][e2e]") {
  SKIP_WITHOUT_POSTGRES();
  test::PostgresCluster primary;
  test::TempDir dir;
  open_postgres(primary.url());
  test::PostgresCluster replica{test::PostgresCluster::StandbyOf{primary}};
  // A fee written through the primary reaches the replica, where query finds it.
  test::ServerProcess server{dir, {}, primary.url()};
  WebhookClient webhooks{server.webhook_url(), {.insecure = true}};
  REQUIRE(
      webhooks
          .post_webhook(fee_body("5f0c6a3e2b1d4c00000000aa", "00000000-0000-4000-8000-0000000000aa"), test::kTestSecret)
          .result_int() == 200);
  CHECK(eventually([&] {
    return test::run_cli(dir, fmt::format("query seat-fees --json --db '{}'", replica.url())) == 0 &&
           test::read_file(dir.path() / "cli.out").find("5f0c6a3e2b1d4c00000000aa") != std::string::npos;
  }));
  CHECK(test::run_cli(dir, fmt::format("rebuild --db '{}'", replica.url())) != 0);
  CHECK_THAT(test::read_file(dir.path() / "cli.err"), Catch::Contains("read-only"));

  CHECK(test::run_cli(
            dir, fmt::format("serve --db '{}' --read-db '{}'", (dir.path() / "x.db").string(), replica.url())) == 2);
  CHECK_THAT(test::read_file(dir.path() / "cli.err"), Catch::Contains("--read-db names a PostgreSQL replica"));
  CHECK(server.stop(SIGTERM) == 0);
}
