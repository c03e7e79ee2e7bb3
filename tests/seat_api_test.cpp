// The seat usage API end to end: the real binary over real TLS, with Basic credentials, admin
// tokens and read tokens from files. Every status of POST/GET /api/seat-events and of the
// entitlement PATCH, the supersede and retry rules, concurrent supersedes, and usage figures
// against the fixture scenarios through GET /v1/seat-usage and `seatmirror seats usage`.
#include "decode/json_fields.hpp"
#include "projection/uuid_v7.hpp"
#include "receiver/signature.hpp"
#include "receiver/webhook_client.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_stores.hpp"

#include <SQLiteCpp/Database.h>
#include <fmt/format.h>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <regex>
#include <thread>

using namespace seatmirror;
using receiver::WebhookClient;
namespace http = boost::beast::http;

namespace {

constexpr const char* kCredential = "billing-sync:s3cret-one-0000001";
constexpr const char* kOtherCredential = "backfill:s3cret-two-000000001";

struct SeatApi {
  test::TempDir dir;
  std::unique_ptr<test::ServerProcess> server;
  std::unique_ptr<WebhookClient> client;

  // `db`: what test::fresh_store gives (empty: an SQLite file in dir).
  explicit SeatApi(const std::string& db) {
    std::ofstream{dir.path() / "seat-credentials"} << kCredential << "\n" << kOtherCredential << "\n";
    std::ofstream{dir.path() / "admin-tokens"} << "admin-token-00000001\n";
    std::ofstream{dir.path() / "read-tokens"} << "reader-token-00000001\n";
    server = std::make_unique<test::ServerProcess>(
        dir,
        std::vector<std::string>{"--seat-api-credentials-file", (dir.path() / "seat-credentials").string(),
                                 "--admin-token-file", (dir.path() / "admin-tokens").string(), "--read-token-file",
                                 (dir.path() / "read-tokens").string()},
        db);
    client = connect();
  }

  std::unique_ptr<WebhookClient> connect() const {
    return std::make_unique<WebhookClient>(server->base_url(), receiver::ClientOptions{.insecure = true});
  }

  static WebhookClient::Response post_event(WebhookClient& client, const std::string& body,
                                            const std::string& credential = kCredential,
                                            const std::string& content_type = "application/json",
                                            const std::string& version = "") {
    WebhookClient::Request request{http::verb::post, "/api/seat-events", 11};
    if (!credential.empty()) request.set(http::field::authorization, "Basic " + receiver::encode_base64(credential));
    request.set(http::field::content_type, content_type);
    if (!version.empty()) request.set("Sequence-Version", version);
    request.body() = body;
    request.prepare_payload();
    return client.send(std::move(request));
  }
  WebhookClient::Response post_event(const std::string& body, const std::string& credential = kCredential) {
    return post_event(*client, body, credential);
  }

  WebhookClient::Response send(http::verb verb, const std::string& target, const std::string& authorization) {
    WebhookClient::Request request{verb, target, 11};
    if (!authorization.empty()) request.set(http::field::authorization, authorization);
    request.prepare_payload();
    return client->send(std::move(request));
  }

  boost::json::value get_json(const std::string& target) {
    const auto response = send(http::verb::get, target, "Bearer reader-token-00000001");
    INFO(target << ": " << response.body());
    REQUIRE(response.result_int() == 200);
    return boost::json::parse(response.body());
  }

  std::int64_t count(const std::string& sql) const {
    auto db = test::open_for_reading(server->db_path().string());
    const auto query = db->prepare(sql);
    query->step();
    return query->column_int64(0);
  }

  // An entitlement's stored document, parsed here: the stores' JSON functions differ.
  boost::json::value entitlement_doc(const std::string& id) const {
    auto db = test::open_for_reading(server->db_path().string());
    const auto query = db->prepare("SELECT doc FROM entitlements WHERE id = ?");
    query->bind(1, id);
    REQUIRE(query->step());
    return boost::json::parse(query->column_text(0));
  }
};

std::string error_of(const WebhookClient::Response& response) {
  return std::string{boost::json::parse(response.body()).at("error").as_string()};
}

std::vector<std::filesystem::path> scenario_posts(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> posts;
  for (const auto& file : std::filesystem::directory_iterator{folder}) {
    if (file.path().filename() != "expected.json") posts.push_back(file.path());
  }
  std::sort(posts.begin(), posts.end());
  return posts;
}

}  // namespace

TEST_CASE("seed 000: the documented request gets 201 with the documented answer's shape", "[seat-api][e2e][postgres]") {
  const auto store = GENERATE(from_range(test::store_kinds()));
  INFO("store: " << store);
  SeatApi api{test::fresh_store(store)};
  const auto seed = test::fixtures_dir() / "seat-usage" / "seed-000";
  const auto response = api.post_event(test::read_file(seed / "request.json"));
  INFO(response.body());
  REQUIRE(response.result_int() == 201);
  const auto answer = boost::json::parse(response.body()).as_object();
  const auto documented = boost::json::parse(test::read_file(seed / "answer.json")).as_object();
  REQUIRE(answer.size() == documented.size());
  for (const auto& [key, value] : documented) {
    INFO(std::string_view{key});
    REQUIRE(answer.contains(key));
    if (key == "id") {
      CHECK(is_uuid_v7(answer.at(key).as_string()));
    } else if (key == "sequenceAccountId") {
      CHECK(is_uuid(answer.at(key).as_string()));
    } else {
      CHECK(answer.at(key) == value);
    }
  }
  // GET returns it as created, plus supersededBy; the account id stays the same across answers.
  const auto id = std::string{answer.at("id").as_string()};
  const auto got =
      api.send(http::verb::get, "/api/seat-events/" + id, "Basic " + receiver::encode_base64(kOtherCredential));
  REQUIRE(got.result_int() == 200);
  auto got_json = boost::json::parse(got.body()).as_object();
  CHECK(got_json.at("supersededBy").is_null());
  got_json.erase("supersededBy");
  CHECK(got_json == answer);
  CHECK(api.count("SELECT count(*) FROM seat_events") == 1);
}

TEST_CASE("seat event requests get precise statuses and refused ones change nothing", "[seat-api][e2e][postgres]") {
  const auto store = GENERATE(from_range(test::store_kinds()));
  INFO("store: " << store);
  SeatApi api{test::fresh_store(store)};
  const std::string valid =
      R"({"customerAlias":"c","seatType":"admin","eventTimestamp":"2024-03-01T00:00:00Z","total":2})";
  SECTION("credentials") {
    for (const auto& credential :
         {std::string{}, std::string{"billing-sync:wrong"}, std::string{"nobody:s3cret-one-0000001"}}) {
      const auto response = api.post_event(valid, credential);
      CHECK(response.result_int() == 401);
      CHECK(response[http::field::www_authenticate] == R"(Basic realm="seatmirror")");
    }
    CHECK(api.send(http::verb::get, "/api/seat-events/" + std::string(36, '0'), "Bearer reader-token-00000001")
              .result_int() == 401);
    CHECK(api.count("SELECT count(*) FROM seat_events") == 0);
    CHECK(api.count("SELECT count(*) FROM rejected_events") == 0);
    CHECK(api.post_event(valid, kOtherCredential).result_int() == 201);  // both credentials are live
  }
  SECTION("bodies and headers") {
    auto& client = *api.client;
    CHECK(SeatApi::post_event(client, valid, kCredential, "text/plain").result_int() == 415);
    const auto version = SeatApi::post_event(client, valid, kCredential, "application/json", "2023-01-01");
    CHECK(version.result_int() == 400);
    CHECK(boost::json::parse(version.body()).at("field") == "Sequence-Version");
    CHECK(SeatApi::post_event(client, valid, kCredential, "application/json", "2024-07-30").result_int() == 201);
    const auto malformed = api.post_event(R"({"customerAlias":)");
    CHECK(malformed.result_int() == 400);
    CHECK(error_of(malformed) == "malformed_json");
    for (const auto& [body, field] :
         {std::pair{R"({"seatType":"a","eventTimestamp":"2024-03-01T00:00:00Z","total":1})", "customerAlias"},
          std::pair{R"({"customerAlias":"c","seatType":"a","eventTimestamp":"yesterday","total":1})", "eventTimestamp"},
          std::pair{R"({"customerAlias":"c","seatType":"a","eventTimestamp":"2024-03-01T00:00:00Z","total":-3})",
                    "total"},
          std::pair{R"({"customerAlias":"c","seatType":"a","eventTimestamp":"2024-03-01T00:00:00Z","total":"3"})",
                    "total"}}) {
      const auto response = api.post_event(body);
      INFO(body);
      CHECK(response.result_int() == 400);
      const auto json = boost::json::parse(response.body());
      CHECK(json.at("error") == "invalid_seat_event");
      CHECK(json.at("field") == field);
      CHECK(!json.at("message").as_string().empty());
    }
    // Refused on its Content-Length, before the body is read.
    const auto port =
        static_cast<unsigned short>(std::stoi(api.server->base_url().substr(api.server->base_url().rfind(':') + 1)));
    const auto oversized = test::raw_exchange(
        port, true,
        {fmt::format("POST /api/seat-events HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic {}\r\n"
                     "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                     receiver::encode_base64(kCredential), 2 << 20)});
    CHECK(oversized.status == 413);
    CHECK(api.count("SELECT count(*) FROM seat_events") == 1);
    CHECK(api.count("SELECT count(*) FROM rejected_events WHERE source = 'seat_event'") == 6);
    // `seatmirror rejected` shows them, with their source.
    REQUIRE(test::run_cli(api.dir, fmt::format("rejected --json --db '{}'", api.server->db_path().string())) == 0);
    const auto listed = boost::json::parse(test::read_file(api.dir.path() / "cli.out")).as_array();
    CHECK(listed.size() == 6);
    CHECK(listed.front().at("source") == "seat_event");
  }
  SECTION("methods and unknown ids") {
    const auto auth = "Basic " + receiver::encode_base64(kCredential);
    CHECK(api.send(http::verb::get, "/api/seat-events", auth).result_int() == 405);
    CHECK(api.send(http::verb::delete_, "/api/seat-events/x", auth).result_int() == 405);
    CHECK(api.send(http::verb::get, "/api/seat-events/not-a-uuid", auth).result_int() == 404);
    CHECK(api.send(http::verb::get, "/api/seat-events/0184421a-8202-70ea-a729-30308a40bbf7", auth).result_int() == 404);
  }
}

TEST_CASE("supersede and retry over HTTPS, and concurrent posts of one customerEventId", "[seat-api][e2e][postgres]") {
  const auto store = GENERATE(from_range(test::store_kinds()));
  INFO("store: " << store);
  SeatApi api{test::fresh_store(store)};
  auto body = [](int total) {
    return fmt::format(
        R"({{"customerEventId":"sync-1","customerAlias":"c","seatType":"admin","eventTimestamp":"2024-03-01T00:00:00Z","total":{}}})",
        total);
  };
  const auto first = api.post_event(body(1));
  REQUIRE(first.result_int() == 201);
  const auto retry = api.post_event(body(1));
  CHECK(retry.result_int() == 200);
  CHECK(retry.body() == first.body());
  const auto second = api.post_event(body(2));
  REQUIRE(second.result_int() == 201);
  const auto first_id = std::string{boost::json::parse(first.body()).at("id").as_string()};
  const auto second_id = std::string{boost::json::parse(second.body()).at("id").as_string()};
  const auto old =
      api.send(http::verb::get, "/api/seat-events/" + first_id, "Basic " + receiver::encode_base64(kCredential));
  CHECK(boost::json::parse(old.body()).at("supersededBy") == second_id.c_str());

  // Eight clients post different totals for one customerEventId at once: each gets 201 (or 200
  // for a content another already made current), and exactly one version ends current.
  std::vector<std::thread> threads;
  std::vector<unsigned> statuses(8);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      auto client = api.connect();
      statuses[i] = SeatApi::post_event(*client, body(100 + i % 4)).result_int();
    });
  }
  for (auto& thread : threads) thread.join();
  for (auto status : statuses) CHECK((status == 201 || status == 200));
  CHECK(api.count("SELECT count(*) FROM seat_events WHERE customer_event_id = 'sync-1' AND superseded_by IS NULL") ==
        1);
  // Every version but the current one points to the version after it.
  CHECK(api.count("SELECT count(*) FROM seat_events a JOIN seat_events b ON b.id = a.superseded_by "
                  "WHERE b.arrival_seq <= a.arrival_seq") == 0);
  CHECK(api.count("SELECT count(*) FROM seat_events WHERE superseded_by IS NOT NULL") ==
        api.count("SELECT count(*) FROM seat_events") - 1);
}

TEST_CASE("usage over HTTPS and from the command line matches the fixture scenarios", "[seat-api][e2e][postgres]") {
  const auto store = GENERATE(from_range(test::store_kinds()));
  INFO("store: " << store);
  SeatApi api{test::fresh_store(store)};
  const auto root = test::fixtures_dir() / "seat-usage" / "scenarios";
  std::vector<boost::json::object> queries;
  for (const auto& folder : std::filesystem::directory_iterator{root}) {
    const auto expected = boost::json::parse(test::read_file(folder.path() / "expected.json")).as_object();
    const auto posts = scenario_posts(folder.path());
    for (std::size_t i = 0; i < posts.size(); ++i) {
      INFO(posts[i].string());
      CHECK(api.post_event(test::read_file(posts[i])).result_int() == expected.at("statuses").as_array()[i].as_int64());
    }
    for (const auto& q : expected.at("usage").as_array()) queries.push_back(q.as_object());
  }
  REQUIRE(queries.size() >= 5);
  for (const auto& q : queries) {
    auto target = fmt::format("/v1/seat-usage?customer={}&from={}&to={}", q.at("customer").as_string().c_str(),
                              q.at("from").as_string().c_str(), q.at("to").as_string().c_str());
    std::string type_argument;
    if (q.contains("type")) {
      target += fmt::format("&type={}", q.at("type").as_string().c_str());
      type_argument = fmt::format("--type {}", q.at("type").as_string().c_str());
    }
    const auto api_answer = api.get_json(target).as_object();
    REQUIRE(test::run_cli(api.dir, fmt::format("seats usage --json --db '{}' --customer {} --from {} --to {} {}",
                                               api.server->db_path().string(), q.at("customer").as_string().c_str(),
                                               q.at("from").as_string().c_str(), q.at("to").as_string().c_str(),
                                               type_argument)) == 0);
    const auto cli_text = test::read_file(api.dir.path() / "cli.out");
    const auto cli_answer = boost::json::parse(cli_text).as_object();
    CHECK(cli_answer == api_answer);  // one computation, two doors
    // Numbers as people write them (3.6551724137931036, not Boost's 3.6551724137931036E0).
    const auto api_text = api.send(http::verb::get, target, "Bearer reader-token-00000001").body();
    for (const auto* text : {&cli_text, &api_text}) {
      CHECK_FALSE(std::regex_search(*text, std::regex{R"([:,\[]\s*-?[0-9.]+E[-+]?[0-9]+)"}));
    }
    CHECK(api_answer.at("customer") == q.at("customer"));
    const auto& got = api_answer.at("types").as_array();
    const auto& want = q.at("types").as_array();
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      INFO(target);
      for (const auto* key : {"seatType", "seats_at_start", "seats_at_end", "max_seats"}) {
        CHECK(got[i].at(key) == want[i].at(key));
      }
      for (const auto* key : {"average_seats", "seat_days"}) {
        CHECK(got[i].at(key).to_number<double>() == Approx(want[i].at(key).to_number<double>()).epsilon(1e-12));
      }
    }
  }
  // The list, paginated, with filters.
  const auto page = api.get_json("/v1/seat-events?customer=acme&type=admin&limit=4").as_object();
  CHECK(page.at("items").as_array().size() == 4);
  const auto cursor = std::string{page.at("next_cursor").as_string()};
  const auto rest = api.get_json("/v1/seat-events?customer=acme&type=admin&limit=4&cursor=" + cursor).as_object();
  CHECK(rest.at("items").as_array().size() == 2);
  CHECK(rest.at("next_cursor").is_null());
  CHECK(api.send(http::verb::get, "/v1/seat-usage?customer=acme&from=2024-03-01T00:00:00Z&to=2024-02-01T00:00:00Z",
                 "Bearer reader-token-00000001")
            .result_int() == 400);
  CHECK(api.send(http::verb::get, "/v1/seat-usage?customer=acme&from=2024-03-01T00:00&to=2024-04-01T00:00:00Z",
                 "Bearer reader-token-00000001")
            .result_int() == 400);  // a time without seconds or zone
  // A date is its midnight UTC, through both doors (as `events --since` takes one).
  const auto by_time = api.get_json("/v1/seat-usage?customer=acme&from=2024-02-01T00:00:00Z&to=2024-03-01T00:00:00Z");
  CHECK(api.get_json("/v1/seat-usage?customer=acme&from=2024-02-01&to=2024-03-01") == by_time);
  REQUIRE(test::run_cli(api.dir,
                        fmt::format("seats usage --json --db '{}' --customer acme --from 2024-02-01 --to 2024-03-01",
                                    api.server->db_path().string())) == 0);
  CHECK(boost::json::parse(test::read_file(api.dir.path() / "cli.out")) == by_time);
  CHECK(api.send(http::verb::get, "/v1/seat-usage?customer=acme&from=2024-02-01T00:00:00Z&to=2024-03-01T00:00:00Z", "")
            .result_int() == 401);
}

TEST_CASE("PATCH an entitlement's seats: statuses, the answer is the entitlement before, usage follows",
          "[seat-api][e2e][postgres]") {
  const auto store = GENERATE(from_range(test::store_kinds()));
  INFO("store: " << store);
  SeatApi api{test::fresh_store(store)};
  const auto fixtures = test::fixtures_dir() / "entitlements";
  REQUIRE(test::run_cli(api.dir,
                        fmt::format("entitlements import --db '{}' '{}' '{}' '{}'", api.server->db_path().string(),
                                    (fixtures / "azure-active.json").string(), (fixtures / "aws-active.json").string(),
                                    (fixtures / "azure-cancelled.json").string())) == 0);
  const std::string admin = "Bearer admin-token-00000001";
  const std::string base = "/org/org-seatmirror-demo/entitlement/";
  CHECK(api.send(http::verb::patch, base + "ent-azure-0001/seat?newSeat=12", "").result_int() == 401);
  CHECK(api.send(http::verb::patch, base + "ent-azure-0001/seat?newSeat=12", "Bearer reader-token-00000001")
            .result_int() == 401);
  CHECK(api.send(http::verb::get, base + "ent-azure-0001/seat?newSeat=12", admin).result_int() == 405);
  for (const auto* query : {"", "?newSeat=", "?newSeat=abc", "?newSeat=0", "?newSeat=-4", "?newSeat=1.5",
                            "?newSeat=3&newSeat=4", "?newSeat=99999999999"}) {
    INFO(query);
    CHECK(api.send(http::verb::patch, base + "ent-azure-0001/seat" + query, admin).result_int() == 400);
  }
  CHECK(api.send(http::verb::patch, "/org/other-org/entitlement/ent-azure-0001/seat?newSeat=12", admin).result_int() ==
        404);
  CHECK(api.send(http::verb::patch, base + "no-such-entitlement/seat?newSeat=12", admin).result_int() == 404);
  const auto aws = api.send(http::verb::patch, base + "ent-aws-0002/seat?newSeat=12", admin);
  CHECK(aws.result_int() == 409);
  CHECK(boost::json::parse(aws.body()).at("message").as_string().find("AWS") != boost::json::string::npos);
  const auto cancelled = api.send(http::verb::patch, base + "ent-azure-0003/seat?newSeat=12", admin);
  CHECK(cancelled.result_int() == 409);
  CHECK(boost::json::parse(cancelled.body()).at("message").as_string().find("CANCELLED") != boost::json::string::npos);
  CHECK(api.count("SELECT count(*) FROM entitlement_seat_changes") == 0);

  const auto before_patch = api.count("SELECT count(*) FROM seat_events");
  const auto changed = api.send(http::verb::patch, base + "ent-azure-0001/seat?newSeat=12", admin);
  INFO(changed.body());
  REQUIRE(changed.result_int() == 200);
  // The answer is the entitlement exactly as it was: the imported fixture.
  CHECK(boost::json::parse(changed.body()) == boost::json::parse(test::read_file(fixtures / "azure-active.json")));
  CHECK(api.count("SELECT quantity FROM entitlements WHERE id = 'ent-azure-0001'") == 12);
  const auto subscriptions = api.entitlement_doc("ent-azure-0001").at("info").at("azureSubscriptions");
  CHECK(subscriptions.at(1).at("quantity") == 12);  // the Subscribed one, not the first
  CHECK(subscriptions.at(0).at("quantity") == 2);
  CHECK(api.count("SELECT count(*) FROM entitlements WHERE id = 'ent-azure-0001' AND "
                  "last_update_time > '2024-02-01T10:00:00.000Z'") == 1);
  CHECK(api.count("SELECT count(*) FROM entitlement_seat_changes WHERE old_quantity = 10 AND new_quantity = 12") == 1);
  CHECK(api.count("SELECT count(*) FROM seat_events") == before_patch + 1);
  CHECK(api.count(
            "SELECT count(*) FROM seat_events e JOIN entitlement_seat_changes c ON c.seat_event_id = e.id "
            "WHERE e.customer_alias = 'buyer-azure-contoso' AND e.seat_type = 'prod-seat-suite' AND e.total = 12") ==
        1);

  // The same newSeat again: 200 with the current state, nothing recorded.
  const auto again = api.send(http::verb::patch, base + "ent-azure-0001/seat?newSeat=12", admin);
  CHECK(again.result_int() == 200);
  CHECK(boost::json::parse(again.body()).at("info").at("azureSubscriptions").at(1).at("quantity") == 12);
  CHECK(api.count("SELECT count(*) FROM entitlement_seat_changes") == 1);

  // Concurrent PATCHes are serialised: each answer is the state before its own change, so the
  // quantities the answers show, with the final one, form one chain.
  std::vector<std::thread> threads;
  std::vector<std::int64_t> answered_before(6);
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] {
      auto client = api.connect();
      WebhookClient::Request request{http::verb::patch, base + fmt::format("ent-azure-0001/seat?newSeat={}", 20 + i),
                                     11};
      request.set(http::field::authorization, admin);
      const auto response = client->send(std::move(request));
      answered_before[i] =
          boost::json::parse(response.body()).at("info").at("azureSubscriptions").at(1).at("quantity").as_int64();
    });
  }
  for (auto& thread : threads) thread.join();
  const auto final_quantity = api.count("SELECT quantity FROM entitlements WHERE id = 'ent-azure-0001'");
  auto seen = answered_before;
  seen.push_back(final_quantity);
  std::sort(seen.begin(), seen.end());
  std::vector<std::int64_t> chain{12, 20, 21, 22, 23, 24, 25};
  CHECK(seen == chain);
  CHECK(api.count("SELECT count(*) FROM entitlement_seat_changes") == 7);

  // Usage reflects the new seats from now on.
  const auto usage = api.get_json(
      "/v1/seat-usage?customer=buyer-azure-contoso&type=prod-seat-suite"
      "&from=2024-01-01T00:00:00Z&to=2999-01-01T00:00:00Z");
  CHECK(usage.at("types").at(0).at("seats_at_end") == final_quantity);
  CHECK(usage.at("types").at(0).at("seats_at_start") == 0);

  // The list and show commands see the change.
  REQUIRE(test::run_cli(api.dir, fmt::format("entitlements show ent-azure-0001 --json --db '{}'",
                                             api.server->db_path().string())) == 0);
  const auto shown = boost::json::parse(test::read_file(api.dir.path() / "cli.out")).as_object();
  CHECK(shown.at("seat_changes").as_array().size() == 7);
  CHECK(shown.at("doc").at("info").at("azureSubscriptions").at(1).at("quantity") == final_quantity);
}
