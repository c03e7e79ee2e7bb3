// End to end: the real `seatmirror serve` binary over real TLS on loopback, a real SQLite file,
// the real fixtures, and `seatmirror replay --to` or our own client as the sender.
#include "receiver/signature.hpp"
#include "receiver/webhook_client.hpp"
#include "storage/database.hpp"
#include "storage/postgres_database.hpp"
#include "storage/store.hpp"
#include "tests/support/alert_rules.hpp"
#include "tests/support/ed25519_signer.hpp"
#include "tests/support/expectations.hpp"
#include "tests/support/postgres_cluster.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_stores.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

#include <signal.h>

#include <atomic>
#include <cmath>
#include <fstream>
#include <functional>
#include <mutex>
#include <set>
#include <thread>

using namespace seatmirror;
using receiver::WebhookClient;
namespace http = boost::beast::http;

namespace {

std::string seed(const std::string& name) { return test::read_file(test::fixtures_dir() / "seeds" / name); }

WebhookClient client_for(const test::ServerProcess& server) {
  return WebhookClient{server.webhook_url(), {.insecure = true}};
}

boost::json::object json_of(const WebhookClient::Response& response) {
  return boost::json::parse(response.body()).as_object();
}

WebhookClient::Request webhook_request(const std::string& body) {
  WebhookClient::Request request{http::verb::post, "/webhooks/inventory", 11};
  request.set(http::field::content_type, "application/json");
  request.body() = body;
  return request;
}

std::int64_t count(const test::ServerProcess& server, const std::string& table) {
  return test::count_rows(server.db_path().string(), table);
}

// A seat-fee delivery with its own event id and fee id, for load.
std::string distinct_fee(int n) {
  auto body = boost::json::parse(seed("001-seatfees.created.json")).as_object();
  body["id"] = fmt::format("00000000-0000-4000-8000-{:012x}", n);
  body["data"].as_object()["_id"] = fmt::format("{:024x}", n);
  return boost::json::serialize(body);
}

}  // namespace

// Every fixture scenario sent over TLS with replay --to to a receiver on `db` (empty: a fresh
// SQLite file in the scenario's folder) ends in its expected state.
void check_scenarios_over_tls(const std::function<std::string(const std::string& scenario)>& db_for) {
  for (const auto& scenario : test::load_scenarios()) {
    DYNAMIC_SECTION(scenario.name) {
      test::TempDir dir;
      const auto db = db_for(scenario.name);
      {
        test::ServerProcess server{dir, {}, db};
        const int exit_code = test::run_cli(
            dir, fmt::format("replay -q --to {} --insecure --secret-file '{}' '{}'", server.webhook_url(),
                             server.secret_file().string(),
                             (test::fixtures_dir() / "scenarios" / scenario.name / "deliveries.ndjson").string()));
        INFO(test::read_file(dir.path() / "cli.out") << test::read_file(dir.path() / "cli.err"));
        const bool any_rejected = !scenario.expected.at("rejected").as_array().empty();
        CHECK(exit_code == (any_rejected ? 1 : 0));
        CHECK(server.stop(SIGTERM) == 0);
      }
      auto store = open_store(db.empty() ? (dir.path() / "seatmirror.db").string() : db, {.read_only = true});
      test::check_end_state(*store, scenario);
    }
  }
}

TEST_CASE("every fixture scenario sent over TLS with replay --to ends in its expected state", "[e2e]") {
  check_scenarios_over_tls([](const std::string&) { return std::string{}; });
}

TEST_CASE("every fixture scenario sent over TLS ends in its expected state, the receiver on PostgreSQL",
          "[e2e][postgres]") {
  SKIP_WITHOUT_POSTGRES();
  test::PostgresCluster cluster;
  auto admin = open_postgres(cluster.url());
  int databases = 0;
  check_scenarios_over_tls([&](const std::string&) {  // a fresh database per scenario, in one cluster
    const auto name = fmt::format("scenario_{}", ++databases);
    admin->exec("CREATE DATABASE " + name);
    return cluster.url(name);
  });
}

TEST_CASE("the receiver answers every kind of request with its documented status", "[e2e][postgres]") {
  const auto store = GENERATE(from_range(test::store_kinds()));
  INFO("store: " << store);
  test::TempDir dir;
  test::ServerProcess server{dir, {"--max-body", "8192"}, test::fresh_store(store)};
  auto client = client_for(server);
  const auto fee = seed("001-seatfees.created.json");

  SECTION("a signed delivery is applied, a second time it is a duplicate") {
    auto first = client.post_webhook(fee, test::kTestSecret);
    CHECK(first.result() == http::status::ok);
    CHECK(json_of(first) == boost::json::object{{"status", "applied"}, {"id", "0b8f6e52-3c1d-4a4f-9a57-2f1e0c9d8b71"}});
    CHECK(json_of(client.post_webhook(fee, test::kTestSecret)).at("status") == "duplicate");
    CHECK(count(server, "seat_fees") == 1);
  }
  SECTION("a secret still live after rotation is accepted") {
    CHECK(client.post_webhook(fee, test::kRotatedSecret).result() == http::status::ok);
  }
  SECTION("Standard Webhooks headers are accepted") {
    auto request = webhook_request(fee);
    const auto ts = std::to_string(
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
    request.set("webhook-id", "msg_1");
    request.set("webhook-timestamp", ts);
    request.set("webhook-signature", "v1," + receiver::encode_base64(receiver::hmac_sha256(
                                                 test::kTestSecret, {"msg_1", ".", ts, ".", fee})));
    CHECK(client.send(request).result() == http::status::ok);
  }
  SECTION("401 for missing, wrong and stale signatures, and nothing is written") {
    auto unsigned_response = client.send(webhook_request(fee));
    CHECK(unsigned_response.result() == http::status::unauthorized);
    CHECK(json_of(unsigned_response).at("error") == "signature_missing");
    CHECK(json_of(client.post_webhook(fee, "not-our-secret")).at("error") == "signature_mismatch");
    auto stale = webhook_request(fee);
    const auto old = std::chrono::system_clock::now() - std::chrono::hours(8 * 24);  // beyond the resend window
    stale.set("x-btrz-signature", receiver::sign_betterez(test::kTestSecret, fee, old));
    CHECK(json_of(client.send(stale)).at("error") == "signature_expired");
    auto garbled = webhook_request(fee);
    garbled.set("x-btrz-signature", "t=now,s2=?");
    CHECK(json_of(client.send(garbled)).at("error") == "signature_malformed");
    CHECK(count(server, "webhook_events") == 0);
    CHECK(count(server, "rejected_events") == 0);
  }
  SECTION("400 for malformed JSON, 422 for broken data, both recorded as rejected") {
    auto malformed = client.post_webhook("{\"id\": ", test::kTestSecret);
    CHECK(malformed.result() == http::status::bad_request);
    CHECK(json_of(malformed).at("error") == "malformed_json");
    auto bad_fee = boost::json::parse(fee).as_object();
    bad_fee["data"].as_object()["shortName"] = "LONG";
    auto invalid = client.post_webhook(boost::json::serialize(bad_fee), test::kTestSecret);
    CHECK(invalid.result() == http::status::unprocessable_entity);
    CHECK(json_of(invalid).at("field") == "data.shortName");
    CHECK(count(server, "rejected_events") == 2);
    CHECK(count(server, "webhook_events") == 0);
  }
  SECTION("413 for a body over --max-body, 415 for a non-JSON content type, nothing written") {
    const std::string huge(9000, ' ');
    CHECK(client.post_webhook(fee + huge, test::kTestSecret).result() == http::status::payload_too_large);
    auto form = webhook_request(fee);
    form.set(http::field::content_type, "application/x-www-form-urlencoded");
    form.set("x-btrz-signature", receiver::sign_betterez(test::kTestSecret, fee, std::chrono::system_clock::now()));
    CHECK(client.send(form).result() == http::status::unsupported_media_type);
    CHECK(count(server, "rejected_events") == 0);
    CHECK(count(server, "webhook_events") == 0);
  }
  SECTION("404 elsewhere, 405 with Allow for other methods") {
    CHECK(client.send(WebhookClient::Request{http::verb::get, "/webhooks", 11}).result() == http::status::not_found);
    auto get = client.send(WebhookClient::Request{http::verb::get, "/webhooks/inventory", 11});
    CHECK(get.result() == http::status::method_not_allowed);
    CHECK(get[http::field::allow] == "POST");
  }
  SECTION("health and metrics") {
    auto health = client.send(WebhookClient::Request{http::verb::get, "/healthz", 11});
    CHECK(health.result() == http::status::ok);
    client.post_webhook(fee, test::kTestSecret);
    client.post_webhook(fee, "wrong");
    const auto metrics = client.send(WebhookClient::Request{http::verb::get, "/metrics", 11}).body();
    CHECK_THAT(metrics,
               Catch::Contains(R"(seatmirror_webhook_events_total{event="seatfees.created",outcome="applied"} 1)"));
    CHECK_THAT(metrics, Catch::Contains(R"(seatmirror_signature_failures_total{reason="signature_mismatch"} 1)"));
    CHECK_THAT(metrics, Catch::Contains(R"(seatmirror_http_responses_total{code="401"} 1)"));
    CHECK_THAT(metrics, Catch::Contains("seatmirror_commit_batch_size_bucket"));
    CHECK_THAT(metrics, Catch::Contains("seatmirror_request_duration_seconds_bucket"));
    CHECK_THAT(metrics, Catch::Contains("seatmirror_open_connections 1"));
  }
  const int exit_code = server.stop(SIGTERM);
  INFO(server.stderr_text());  // a failed shutdown says why
  CHECK(exit_code == 0);
  // One JSON line per request on stdout, never a secret or a body.
  const auto log = server.stdout_text();
  CHECK_THAT(log, Catch::Contains("\"status\":"));
  CHECK(log.find(test::kTestSecret) == std::string::npos);
  CHECK(log.find("lexiconKeys") == std::string::npos);
}

TEST_CASE("concurrent deliveries of one event: exactly one is applied", "[e2e][postgres]") {
  const auto store = GENERATE(from_range(test::store_kinds()));
  INFO("store: " << store);
  test::TempDir dir;
  test::ServerProcess server{dir, {}, test::fresh_store(store)};
  const auto body = seed("006-seatmap.created.json");
  std::vector<std::string> statuses(8);
  std::vector<std::thread> senders;
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    senders.emplace_back([&, i] {
      auto client = client_for(server);
      statuses[i] = std::string{json_of(client.post_webhook(body, test::kTestSecret)).at("status").as_string()};
    });
  }
  for (auto& sender : senders) sender.join();
  CHECK(std::count(statuses.begin(), statuses.end(), "applied") == 1);
  CHECK(std::count(statuses.begin(), statuses.end(), "duplicate") == 7);
  CHECK(count(server, "webhook_events") == 1);
}

TEST_CASE("SIGTERM under load: exit 0 quickly, and every acknowledged delivery is stored", "[e2e][postgres]") {
  const auto store = GENERATE(from_range(test::store_kinds()));
  INFO("store: " << store);
  test::TempDir dir;
  test::ServerProcess server{dir, {}, test::fresh_store(store)};
  std::mutex mutex;
  std::set<std::string> acknowledged;
  std::atomic<int> next{1};
  std::atomic<bool> stop{false};
  std::vector<std::thread> senders;
  for (int t = 0; t < 4; ++t) {
    senders.emplace_back([&] {
      try {
        auto client = client_for(server);
        while (!stop) {
          const auto response = client.post_webhook(distinct_fee(next++), test::kTestSecret);
          if (response.result() == http::status::ok) {
            std::lock_guard lock{mutex};
            acknowledged.insert(std::string{json_of(response).at("id").as_string()});
          }
        }
      } catch (const std::exception&) {
        // The server went away: expected once it shuts down.
      }
    });
  }
  while (next < 200) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::chrono::milliseconds took{};
  const int exit_code = server.stop(SIGTERM, &took);
  stop = true;
  for (auto& sender : senders) sender.join();
  CHECK(exit_code == 0);
  CHECK(took < std::chrono::seconds(10));
  REQUIRE(acknowledged.size() >= 100);
  auto db = test::open_for_reading(server.db_path().string());
  const auto find = db->prepare("SELECT COUNT(*) FROM webhook_events WHERE id = ?");
  std::size_t missing = 0;
  for (const auto& id : acknowledged) {
    find->reset();
    find->bind(1, id);
    find->step();
    missing += find->column_int64(0) != 1;
  }
  CHECK(missing == 0);
}

TEST_CASE("serve refuses to start without a certificate or a secret, and says what to pass", "[e2e]") {
  test::TempDir dir;
  CHECK(test::run_cli(dir, "serve --listen 127.0.0.1:0 --db " + (dir.path() / "x.db").string()) == 2);
  CHECK_THAT(test::read_file(dir.path() / "cli.err"), Catch::Contains("--tls-cert FILE --tls-key FILE, or --dev"));
  CHECK(test::run_cli(dir, "serve --plain-http --listen 127.0.0.1:0 --db " + (dir.path() / "x.db").string()) == 2);
  CHECK_THAT(test::read_file(dir.path() / "cli.err"), Catch::Contains("no webhook secret: pass --secret-file FILE"));
}

TEST_CASE("a delivery resent days later: 2 days old is applied and counted late, 8 days old is 401",
          "[e2e][signature][postgres]") {
  const auto store = GENERATE(from_range(test::store_kinds()));
  INFO("store: " << store);
  test::TempDir dir;
  test::ServerProcess server{dir, {}, test::fresh_store(store)};
  auto client = client_for(server);
  const auto now = std::chrono::system_clock::now();
  auto request_signed_at = [](const std::string& body, std::chrono::system_clock::time_point at) {
    auto request = webhook_request(body);
    request.set("x-btrz-signature", receiver::sign_betterez(test::kTestSecret, body, at));
    return request;
  };
  const auto late = client.send(request_signed_at(distinct_fee(1), now - std::chrono::hours(48)));
  CHECK(late.result() == http::status::ok);
  CHECK(json_of(late).at("status") == "applied");
  const auto too_old = client.send(request_signed_at(distinct_fee(2), now - std::chrono::hours(8 * 24)));
  CHECK(too_old.result() == http::status::unauthorized);
  CHECK(json_of(too_old).at("error") == "signature_expired");
  CHECK(count(server, "webhook_events") == 1);
  WebhookClient::Request metrics{http::verb::get, "/metrics", 11};
  CHECK_THAT(client.send(metrics).body(), Catch::Contains("seatmirror_late_signature_total 1"));
  CHECK(server.stop(SIGTERM) == 0);
  CHECK_THAT(server.stderr_text(), Catch::Contains("accepted a delivery signed 172800 s ago"));
}

TEST_CASE("a resend window of 0 refuses what is older than --tolerance", "[e2e][signature]") {
  test::TempDir dir;
  test::ServerProcess server{dir, {"--resend-window", "0"}};
  auto client = client_for(server);
  auto request = webhook_request(distinct_fee(1));
  request.set("x-btrz-signature", receiver::sign_betterez(test::kTestSecret, distinct_fee(1),
                                                          std::chrono::system_clock::now() - std::chrono::hours(48)));
  CHECK(client.send(request).result() == http::status::unauthorized);
}

TEST_CASE("Standard Webhooks v1a over HTTPS: a whpk_ key in --secret-file verifies, a wrong signature is 401",
          "[e2e][signature][postgres]") {
  const auto store = GENERATE(from_range(test::store_kinds()));
  INFO("store: " << store);
  test::TempDir dir;
  const test::Ed25519Signer sender;
  std::ofstream{dir.path() / "keys"} << sender.whpk() << "\n";
  test::ServerProcess server{dir, {"--secret-file", (dir.path() / "keys").string()}, test::fresh_store(store)};
  auto client = client_for(server);
  auto standard_request = [&](const std::string& body, const std::string& signature_of) {
    auto request = webhook_request(body);
    const auto ts = std::to_string(
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
    request.set("webhook-id", "msg_v1a");
    request.set("webhook-timestamp", ts);
    request.set("webhook-signature", sender.sign_v1a("msg_v1a." + ts + "." + signature_of));
    return request;
  };
  const auto body = distinct_fee(7);
  CHECK(client.send(standard_request(body, body)).result() == http::status::ok);
  const auto wrong = client.send(standard_request(distinct_fee(8), body));  // signed another body
  CHECK(wrong.result() == http::status::unauthorized);
  CHECK(json_of(wrong).at("error") == "signature_mismatch");
  CHECK(count(server, "webhook_events") == 1);
}

TEST_CASE(
    "lag an operator can see: event age, newest applied per family, queue depth, last commit, and the alert rules "
    "name only metrics that exist",
    "[e2e][metrics][postgres]") {
  const auto store = GENERATE(from_range(test::store_kinds()));
  INFO("store: " << store);
  test::TempDir dir;
  test::ServerProcess server{dir, {}, test::fresh_store(store)};
  auto client = client_for(server);
  REQUIRE(client.post_webhook(distinct_fee(1), test::kTestSecret).result() == http::status::ok);
  REQUIRE(client.post_webhook(distinct_fee(1), test::kTestSecret).result() == http::status::ok);  // duplicate
  WebhookClient::Request health{http::verb::get, "/healthz", 11};
  const auto healthy = client.send(health);
  REQUIRE(healthy.result() == http::status::ok);
  CHECK(json_of(healthy).at("last_commit").as_string().size() == 24);  // 2026-11-26T23:40:00.000Z
  WebhookClient::Request scrape{http::verb::get, "/metrics", 11};
  const auto metrics = client.send(scrape).body();
  CHECK_THAT(metrics, Catch::Contains("seatmirror_event_age_seconds_count 2"));
  const auto fee_created = boost::json::parse(distinct_fee(1)).at("created").as_int64();
  CHECK_THAT(metrics, Catch::Contains(fmt::format("seatmirror_newest_applied_created_seconds{{family=\"seatfees\"}} {}",
                                                  fee_created)));
  CHECK_THAT(metrics, Catch::Contains("seatmirror_writer_queue_depth 0"));
  CHECK_THAT(metrics, Catch::Contains("seatmirror_build_info{") && Catch::Contains(R"(sqlite_schema="8")") &&
                          Catch::Contains(R"(version="0.1.0")"));
  CHECK_THAT(metrics, !Catch::Contains("seatmirror_last_commit_timestamp_seconds 0\n"));

  // Every seatmirror_ metric docs/prometheus-alerts.yml uses is one /metrics exposes (the
  // sync ones with --sync-every: sync_test.cpp).
  auto named = test::metrics_named_in_alert_rules();
  std::erase_if(named, [](const std::string& name) { return name.starts_with("seatmirror_sync_"); });
  CHECK(named.size() >= 7);
  for (const auto& name : named) {
    INFO(name);
    CHECK_THAT(metrics, Catch::Contains("# TYPE " + name + " "));
  }
}

// The value of the one sample of `series` (its name with labels) in a scrape; NaN when absent.
double sample(const std::string& scrape, const std::string& series) {
  const auto at = scrape.find("\n" + series + " ");
  if (at == std::string::npos) return std::nan("");
  return std::stod(scrape.substr(at + series.size() + 2));
}

TEST_CASE("a fresh server exposes the standard process metrics and its known series at 0", "[e2e][metrics]") {
  test::TempDir dir;
  test::ServerProcess server{dir};
  auto client = client_for(server);
  WebhookClient::Request scrape{http::verb::get, "/metrics", 11};
  const auto metrics = client.send(scrape).body();

  CHECK(sample(metrics, "process_cpu_seconds_total") > 0);
  CHECK(sample(metrics, "process_resident_memory_bytes") > 1e6);
  CHECK(sample(metrics, "process_virtual_memory_bytes") >= sample(metrics, "process_resident_memory_bytes"));
  const auto open_fds = sample(metrics, "process_open_fds");
  CHECK(open_fds >= 4);  // stdin..stderr, the listening socket, the database
  CHECK(open_fds < sample(metrics, "process_max_fds"));
  const auto now_s = static_cast<double>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  const auto started_s = sample(metrics, "process_start_time_seconds");
  CHECK(started_s <= now_s + 1);
  CHECK(started_s > now_s - 120);
  CHECK_THAT(metrics, Catch::Contains("# TYPE process_cpu_seconds_total counter"));

  for (const auto* series :
       {R"(seatmirror_webhook_events_total{event="seatmap.deleted",outcome="applied"})",
        R"(seatmirror_webhook_events_total{event="seatfees.created",outcome="duplicate"})",
        R"(seatmirror_webhook_events_total{event="other",outcome="ignored"})",
        R"(seatmirror_webhook_events_total{event="unparsed",outcome="rejected"})",
        R"(seatmirror_seat_api_writes_total{operation="seat_event",outcome="created"})",
        R"(seatmirror_seat_api_writes_total{operation="entitlement_seat",outcome="conflict"})",
        R"(seatmirror_commits_total{result="failed"})", R"(seatmirror_http_responses_total{code="401"})",
        R"(seatmirror_newest_applied_created_seconds{family="seatclass"})"}) {
    INFO(series);
    CHECK(sample(metrics, series) == 0);
  }

  // An event seatmirror does not project is counted as "other", and so is its duplicate: the
  // sender's names never become labels.
  auto unknown = boost::json::parse(distinct_fee(7)).as_object();
  unknown["event"] = "seatfees.exploded";
  const auto body = boost::json::serialize(unknown);
  REQUIRE(client.post_webhook(body, test::kTestSecret).result() == http::status::ok);
  REQUIRE(client.post_webhook(body, test::kTestSecret).result() == http::status::ok);
  const auto after = client.send(scrape).body();
  CHECK(sample(after, R"(seatmirror_webhook_events_total{event="other",outcome="ignored"})") == 1);
  CHECK(sample(after, R"(seatmirror_webhook_events_total{event="other",outcome="duplicate"})") == 1);
  CHECK_THAT(after, !Catch::Contains("seatfees.exploded"));
}

TEST_CASE("replay --to sends every file after --secret-file, and refuses a payload where the secret file goes",
          "[e2e]") {
  test::TempDir dir;
  test::ServerProcess server{dir};
  std::string files;
  for (int n = 1; n <= 3; ++n) {
    const auto file = dir.path() / fmt::format("fee-{}.json", n);
    std::ofstream{file} << distinct_fee(n);
    files += " '" + file.string() + "'";
  }
  const auto replay = [&](const std::string& secret_file, const std::string& payloads) {
    return test::run_cli(dir, fmt::format("replay -q --to {} --insecure --secret-file '{}' {}", server.webhook_url(),
                                          secret_file, payloads));
  };
  CHECK(replay(server.secret_file().string(), files) == 0);
  CHECK_THAT(test::read_file(dir.path() / "cli.out"),
             Catch::Contains("sent 3 payloads") && Catch::Contains("3 accepted"));
  CHECK(count(server, "seat_fees") == 3);

  // The secret file forgotten: the first payload would have been taken as the secret.
  CHECK(replay((dir.path() / "fee-1.json").string(), files) == 2);
  CHECK_THAT(test::read_file(dir.path() / "cli.err"),
             Catch::Contains("fee-1.json: this looks like a payload (JSON), not a secret"));
}

TEST_CASE("backup while serve takes deliveries: every delivery acknowledged before it is in the copy", "[e2e]") {
  test::TempDir dir;
  test::ServerProcess server{dir};
  std::mutex mutex;
  std::vector<std::string> acknowledged;  // event ids answered 200, in order
  std::atomic<bool> stop{false};
  std::thread sender{[&] {
    auto client = client_for(server);
    for (int n = 1; !stop; ++n) {
      const auto body = distinct_fee(n);
      if (client.post_webhook(body, test::kTestSecret).result() == http::status::ok) {
        std::lock_guard lock{mutex};
        acknowledged.push_back(std::string{boost::json::parse(body).at("id").as_string()});
      }
    }
  }};
  while (true) {  // some deliveries in before the backup starts
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
    std::lock_guard lock{mutex};
    if (acknowledged.size() >= 50) break;
  }
  std::vector<std::string> before;
  {
    std::lock_guard lock{mutex};
    before = acknowledged;
  }
  const auto copy = dir.path() / "copy.db";
  const int backed_up =
      test::run_cli(dir, fmt::format("backup --db '{}' '{}'", server.db_path().string(), copy.string()));
  stop = true;
  sender.join();
  REQUIRE(backed_up == 0);
  CHECK_THAT(test::read_file(dir.path() / "cli.out"), Catch::Contains("integrity ok"));
  SQLite::Database db{copy.string(), SQLite::OPEN_READONLY};
  SQLite::Statement find{db, "SELECT count(*) FROM webhook_events WHERE id = ?"};
  std::size_t missing = 0;
  for (const auto& id : before) {
    find.bind(1, id);
    find.executeStep();
    missing += find.getColumn(0).getInt() == 0;
    find.reset();
  }
  CHECK(missing == 0);
  CHECK(test::count_rows(copy.string(), "seat_fees") >= static_cast<std::int64_t>(before.size()));
  CHECK(test::run_cli(dir, fmt::format("backup --db '{}' '{}'", server.db_path().string(), copy.string())) == 2);
  CHECK_THAT(test::read_file(dir.path() / "cli.err"), Catch::Contains("exists: give the path of a new file"));
}
