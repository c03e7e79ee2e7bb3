// The read-only JSON API against the real server over TLS: bearer tokens, cursor pagination,
// filters, ETags, computed layouts (JSON and SVG), and every route of docs/openapi.json.
#include "read_side/inventory_queries.hpp"
#include "receiver/webhook_client.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_stores.hpp"

#include <fmt/format.h>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include <signal.h>
#include <fstream>

using namespace seatmirror;
using receiver::WebhookClient;
namespace http = boost::beast::http;

namespace {

constexpr const char* kCoach = "6744a1b2c3d4e5f6a7b8cb01";

struct ApiFixture {
  test::TempDir dir;
  std::unique_ptr<test::ServerProcess> server;
  std::unique_ptr<WebhookClient> client;

  // `db`: what test::fresh_store gives (empty: an SQLite file in dir).
  explicit ApiFixture(const std::string& db) {
    std::ofstream{dir.path() / "read-tokens"} << "old-reader-token-0001\nreader-token-00000001\n";
    server = std::make_unique<test::ServerProcess>(
        dir, std::vector<std::string>{"--read-token-file", (dir.path() / "read-tokens").string()}, db);
    const int replayed =
        test::run_cli(dir, fmt::format("replay -q --to {} --insecure --secret-file '{}' '{}'", server->webhook_url(),
                                       server->secret_file().string(), (test::fixtures_dir() / "inventory").string()));
    REQUIRE(replayed == 0);
    client = std::make_unique<WebhookClient>(server->base_url(), receiver::ClientOptions{.insecure = true});
  }

  WebhookClient::Response get(const std::string& target, const std::string& token = "reader-token-00000001",
                              const std::string& if_none_match = "") {
    WebhookClient::Request request{http::verb::get, target, 11};
    if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
    if (!if_none_match.empty()) request.set(http::field::if_none_match, if_none_match);
    return client->send(std::move(request));
  }
  boost::json::value get_json(const std::string& target) {
    const auto response = get(target);
    INFO(target << ": " << response.body());
    REQUIRE(response.result_int() == 200);
    return boost::json::parse(response.body());
  }
};

}  // namespace

TEST_CASE("the API writes numbers as people write them", "[api]") {
  ApiFixture api{""};
  const auto body = api.get("/v1/seat-fees/6744a1b2c3d4e5f6a7b8c901").body();
  CHECK_THAT(body, Catch::Contains(R"("value":4.5)"));
  CHECK_THAT(body, !Catch::Contains("E0"));
}

TEST_CASE("the read API needs a bearer token", "[api][postgres]") {
  const auto store = GENERATE(from_range(test::store_kinds()));
  INFO("store: " << store);
  ApiFixture api{test::fresh_store(store)};
  CHECK(api.get("/v1/seat-fees", "").result_int() == 401);
  CHECK(api.get("/v1/seat-fees", "wrong").result_int() == 401);
  CHECK(api.get("/v1/seat-fees", "old-reader-token-0001").result_int() == 200);  // every listed token is live
  // serve says where the page is, and never logs a token.
  const auto log = api.server->stderr_text();
  CHECK_THAT(log, Catch::Contains("browse the copy: " + api.server->base_url() + "/ "));
  CHECK_THAT(log, !Catch::Contains("reader-token-00000001"));
  CHECK(api.get("/v1/openapi.json", "").result_int() == 200);
}

TEST_CASE("lists are paginated by cursor and filtered", "[api][postgres]") {
  const auto store = GENERATE(from_range(test::store_kinds()));
  INFO("store: " << store);
  ApiFixture api{test::fresh_store(store)};
  const auto first = api.get_json("/v1/seat-fees?limit=2").as_object();
  REQUIRE(first.at("items").as_array().size() == 2);
  const auto cursor = std::string{first.at("next_cursor").as_string()};
  const auto second = api.get_json("/v1/seat-fees?limit=2&cursor=" + cursor).as_object();
  CHECK(second.at("items").as_array().size() == 1);
  CHECK(second.at("next_cursor").is_null());
  CHECK(api.get_json("/v1/seatmaps?account_id=6526d94dbb4c1206536da021").at("items").as_array().size() == 2);
  CHECK(api.get_json("/v1/seat-classes?name=Economy").at("items").as_array().size() == 1);
  CHECK(api.get_json("/v1/seat-fees?disabled=true").at("items").as_array().empty());
  CHECK(api.get("/v1/seat-fees?limit=0").result_int() == 400);
  CHECK(api.get("/v1/seat-fees?colour=red").result_int() == 400);
  CHECK(api.get("/v1/seat-fees?disabled=maybe").result_int() == 400);
}

// The filters are named once, in read_side (filterable_columns); the document a client reads
// must name the same ones, and each must be accepted with the type the document gives it.
TEST_CASE("the OpenAPI document lists exactly the filters each list accepts", "[api]") {
  ApiFixture api{test::fresh_store(test::kSqlite)};
  const auto document = api.get_json("/v1/openapi.json").as_object();
  for (const std::string name : {"seat-fees", "seat-classes", "seatmaps"}) {
    const auto path = "/v1/" + name;
    const auto kind = inventory_kind(name);
    INFO(path);
    REQUIRE(kind);
    std::vector<std::pair<std::string, bool>> documented, served;
    for (const auto& parameter : document.at("paths").at(path).at("get").at("parameters").as_array()) {
      if (!parameter.as_object().contains("name")) continue;  // limit and cursor, by $ref
      const std::string filter{parameter.at("name").as_string()};
      const bool flag = parameter.at("schema").at("type") == "boolean";
      documented.emplace_back(filter, flag);
      CHECK(api.get(fmt::format("{}?{}={}", path, filter, flag ? "true" : "x")).result_int() == 200);
      if (flag) CHECK(api.get(fmt::format("{}?{}=x", path, filter)).result_int() == 400);
    }
    for (const auto& filter : filterable_columns(*kind)) served.emplace_back(filter.column, filter.is_flag);
    CHECK(documented == served);
  }
}

TEST_CASE("single resources carry an ETag and answer 304 when unchanged", "[api][postgres]") {
  const auto store = GENERATE(from_range(test::store_kinds()));
  INFO("store: " << store);
  ApiFixture api{test::fresh_store(store)};
  const auto response = api.get(std::string{"/v1/seatmaps/"} + kCoach);
  REQUIRE(response.result_int() == 200);
  const auto etag = std::string{response[http::field::etag]};
  CHECK_FALSE(etag.empty());
  CHECK(api.get(std::string{"/v1/seatmaps/"} + kCoach, "reader-token-00000001", etag).result_int() == 304);
  CHECK(api.get(std::string{"/v1/seatmaps/"} + kCoach, "reader-token-00000001", "\"stale\"").result_int() == 200);
  CHECK(api.get("/v1/seatmaps/000000000000000000000000").result_int() == 404);
  CHECK(api.get("/v1/seatmaps/not-an-id").result_int() == 400);
}

TEST_CASE("layouts: the coach has 57 seats in JSON and in SVG", "[api][postgres]") {
  const auto store = GENERATE(from_range(test::store_kinds()));
  INFO("store: " << store);
  ApiFixture api{test::fresh_store(store)};
  const auto layout = api.get_json(std::string{"/v1/seatmaps/"} + kCoach + "/layout").as_object();
  CHECK(layout.at("seat_count").as_int64() == 57);
  const auto& section = layout.at("sections").at(0).as_object();
  CHECK(section.at("rows").as_int64() == 15);
  CHECK(section.at("seats").as_array().size() == 57);
  const auto svg = api.get(std::string{"/v1/seatmaps/"} + kCoach + "/layout.svg");
  REQUIRE(svg.result_int() == 200);
  CHECK(svg[http::field::content_type] == "image/svg+xml");
  std::size_t seats = 0;
  for (auto at = svg.body().find("class=\"seat\""); at != std::string::npos;
       at = svg.body().find("class=\"seat\"", at + 1))
    ++seats;
  CHECK(seats == 57);
  // Each seat has a tooltip naming it, its place, its class or fee and its status.
  std::size_t tooltips = 0;
  for (auto at = svg.body().find("<title>Seat "); at != std::string::npos; at = svg.body().find("<title>Seat ", at + 1))
    ++tooltips;
  CHECK(tooltips == 57);
  CHECK_THAT(svg.body(), Catch::Contains("<title>Seat 4 · row 1, column 1 · Premium · available</title>") &&
                             Catch::Contains("<title>Seat 4 · row 4, column 1 · Window fee · available</title>"));
  // The door beside the driver is drawn over the full-width driver, not hidden under it.
  const auto driver = svg.body().find("facility driver");
  const auto door = svg.body().find("facility door");
  REQUIRE(driver != std::string::npos);
  REQUIRE(door != std::string::npos);
  CHECK(driver < door);
}

TEST_CASE("every GET route of the OpenAPI document answers as described", "[api][postgres]") {
  const auto store = GENERATE(from_range(test::store_kinds()));
  INFO("store: " << store);
  ApiFixture api{test::fresh_store(store)};
  const auto document = api.get_json("/v1/openapi.json").as_object();
  CHECK(document.at("openapi") == "3.1.0");
  int checked = 0;
  for (const auto& [path, operations] : document.at("paths").as_object()) {
    const auto& ops = operations.as_object();
    // The webhook and the seat API's own routes take other credentials (receiver_test,
    // seat_api_test); every route of the document has an operation.
    if (!ops.contains("get") || path.starts_with("/api/") || path.starts_with("/org/")) {
      CHECK((ops.contains("get") || ops.contains("post") || ops.contains("patch")));
      continue;
    }
    std::string target{path};
    if (path == "/v1/seat-usage") target += "?customer=nobody&from=2024-01-01T00:00:00Z&to=2024-02-01T00:00:00Z";
    if (const auto at = target.find("{id}"); at != std::string::npos) target.replace(at, 4, kCoach);
    if (target.find("/seat-fees/") != std::string::npos) target = "/v1/seat-fees/6744a1b2c3d4e5f6a7b8c901";
    if (target.find("/seat-classes/") != std::string::npos) target = "/v1/seat-classes/6744a1b2c3d4e5f6a7b8ca01";
    const auto response = api.get(target);
    INFO(target);
    CHECK(response.result_int() == 200);
    CHECK(ops.at("get").at("responses").as_object().contains("200"));
    ++checked;
  }
  CHECK(checked == 13);
  CHECK(api.get("/v1/nothing").result_int() == 404);
  WebhookClient::Request post{http::verb::post, "/v1/seat-fees", 11};
  post.set(http::field::authorization, "Bearer reader-token-00000001");
  CHECK(api.client->send(std::move(post)).result_int() == 405);
}
