// The Inventory API client against a fake API over HTTPS with its own test CA: the key sent
// only as x-api-key and never echoed in an error, the certificate verified, Retry-After
// honoured, 5xx retried a bounded number of times, and 401 not retried at all.
#include "sync/inventory_client.hpp"
#include "tests/support/fake_inventory_api.hpp"

#include <catch2/catch.hpp>

#include <chrono>

using namespace seatmirror;
using sync::InventoryApiError;
using sync::InventoryClient;

namespace {

constexpr const char* kKey = "key-0123456789abcdef-secret";

sync::InventoryClientOptions options_for(const test::FakeInventoryApi& api) {
  return {.base_url = api.base_url(), .api_key = kKey, .ca_file = api.ca_file(), .first_backoff_ms = 20};
}

std::string error_of(InventoryClient& client, std::string_view path) {
  try {
    client.get(path);
  } catch (const InventoryApiError& e) {
    return e.what();
  }
  FAIL("no error");
  return {};
}

}  // namespace

TEST_CASE("the client sends the key as x-api-key, trusts the given CA and returns the answer", "[sync]") {
  test::FakeInventoryApi api{[](const test::FakeRequest& request) {
    return test::FakeAnswer{.body = request.target == "/inventory/seatmaps?page=2" ? R"({"seatmaps":[]})" : "{}"};
  }};
  InventoryClient client{options_for(api)};
  CHECK(client.get("/seatmaps?page=2") == R"({"seatmaps":[]})");
  CHECK(client.get("/seat-classes") == "{}");
  const auto requests = api.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].api_key == kKey);
  CHECK(requests[1].target == "/inventory/seat-classes");
}

TEST_CASE("a certificate the client cannot trust fails at once and says how to trust it", "[sync]") {
  test::FakeInventoryApi api{[](const test::FakeRequest&) { return test::FakeAnswer{.body = "[]"}; }};
  auto options = options_for(api);
  options.ca_file.reset();  // the system's CAs do not know the test CA
  InventoryClient client{options};
  const auto error = error_of(client, "/seat-fees");
  CHECK_THAT(error, Catch::Contains("not trusted") && Catch::Contains("--inventory-ca-file") &&
                        Catch::Contains(api.base_url() + "/seat-fees"));
  CHECK(client.requests_made() == 1);
  CHECK(api.requests().empty());
}

TEST_CASE("a refused key is not retried and never appears in the error", "[sync]") {
  test::FakeInventoryApi api{[](const test::FakeRequest&) {
    return test::FakeAnswer{.status = 401, .body = R"({"message":"Unauthorized"})"};
  }};
  InventoryClient client{options_for(api)};
  const auto error = error_of(client, "/seat-fees");
  CHECK_THAT(error, Catch::Contains("HTTP 401") && Catch::Contains("--api-key-file"));
  CHECK_THAT(error, !Catch::Contains(kKey));
  CHECK(api.requests().size() == 1);
}

TEST_CASE("429 with Retry-After is waited out, then the answer is taken", "[sync]") {
  int asked = 0;
  test::FakeInventoryApi api{[&](const test::FakeRequest&) {
    return ++asked == 1 ? test::FakeAnswer{.status = 429, .headers = {{"Retry-After", "1"}}}
                        : test::FakeAnswer{.body = "[]"};
  }};
  InventoryClient client{options_for(api)};
  const auto started = std::chrono::steady_clock::now();
  CHECK(client.get("/seat-fees") == "[]");
  CHECK(std::chrono::steady_clock::now() - started >=
        std::chrono::milliseconds(900));  // the second, not backoff's 20 ms
  CHECK(api.requests().size() == 2);
}

TEST_CASE("5xx is retried up to the attempt limit, then fails saying how often", "[sync]") {
  test::FakeInventoryApi api{[](const test::FakeRequest&) { return test::FakeAnswer{.status = 502}; }};
  auto options = options_for(api);
  options.max_attempts = 3;
  InventoryClient client{options};
  CHECK_THAT(error_of(client, "/seatmaps?page=1"), Catch::Contains("HTTP 502") && Catch::Contains("after 3 tries"));
  CHECK(api.requests().size() == 3);
}

TEST_CASE("an address nobody answers on fails after its tries, naming the URL", "[sync]") {
  std::string url;
  {
    test::FakeInventoryApi gone{[](const test::FakeRequest&) { return test::FakeAnswer{}; }};
    url = gone.base_url();
  }
  InventoryClient client{{.base_url = url, .api_key = kKey, .max_attempts = 2, .first_backoff_ms = 10}};
  CHECK_THAT(error_of(client, "/seat-fees"), Catch::Contains(url + "/seat-fees") && Catch::Contains("after 2 tries"));
  CHECK(client.requests_made() == 2);
}

TEST_CASE("the client refuses a URL that is not http(s) and a CA file it cannot read", "[sync]") {
  CHECK_THROWS_WITH(InventoryClient({.base_url = "ftp://example.test", .api_key = kKey}),
                    Catch::Contains("expected an https:// URL"));
  CHECK_THROWS_WITH(
      InventoryClient({.base_url = "https://127.0.0.1:1", .api_key = kKey, .ca_file = "/nonexistent/ca.pem"}),
      Catch::Contains("/nonexistent/ca.pem: cannot be read"));
  CHECK_THROWS_WITH(InventoryClient({.base_url = "https://127.0.0.1:1", .api_key = "key\r\nx-admin: 1"}),
                    Catch::Contains("control characters") && !Catch::Contains("x-admin"));
}
