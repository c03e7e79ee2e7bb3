// The bad-input matrix: each bad request, sent to the real server over real TLS, gets its
// precise status and reason, and changes nothing but what it should (a rejected_events row for
// 400/422 content errors; nothing at all for 401/413/415 and transport errors).
#include "receiver/signature.hpp"
#include "storage/store.hpp"
#include "tests/support/postgres_cluster.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/server_process.hpp"

#include <fmt/format.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

#include <functional>

#include <openssl/ssl.h>
#include <signal.h>

using namespace seatmirror;

namespace {

constexpr std::size_t kMaxBody = 65536;

struct BadInput {
  std::string name;
  std::vector<std::string> pieces;  // the raw request, possibly in trickled pieces
  unsigned status;
  std::string error;
  int rejected_rows;  // rows it should add to rejected_events
  int ledger_rows = 0;
  bool plain_tcp = false;
  std::chrono::milliseconds gap{0};
};

std::string seed_fee() { return test::read_file(test::fixtures_dir() / "seeds" / "001-seatfees.created.json"); }

// The seat-fee seed with one change made to its parsed form, serialised again.
std::string fee_with(const std::function<void(boost::json::object&)>& change) {
  auto body = boost::json::parse(seed_fee()).as_object();
  change(body);
  return boost::json::serialize(body);
}
std::string data_with(const char* key, boost::json::value value) {
  return fee_with([&](auto& body) { body["data"].as_object()[key] = std::move(value); });
}
std::string envelope_with(const char* key, boost::json::value value) {
  return fee_with([&](auto& body) { body[key] = std::move(value); });
}

std::string signed_request(const std::string& body, const std::string& extra_headers = "",
                           const std::string& content_type = "application/json") {
  const auto signature = receiver::sign_betterez(test::kTestSecret, body, std::chrono::system_clock::now());
  return fmt::format(
      "POST /webhooks/inventory HTTP/1.1\r\nHost: localhost\r\n{}x-btrz-signature: {}\r\n"
      "Content-Length: {}\r\nConnection: close\r\n{}\r\n{}",
      content_type.empty() ? "" : "Content-Type: " + content_type + "\r\n", signature, body.size(), extra_headers,
      body);
}

BadInput content(std::string name, std::string body, unsigned status, std::string error) {
  return BadInput{std::move(name), {signed_request(body)}, status, std::move(error), 1};
}

std::vector<BadInput> bad_inputs() {
  const auto fee = seed_fee();
  std::vector<BadInput> inputs = {
      content("truncated JSON", fee.substr(0, fee.size() / 2), 400, "malformed_json"),
      content("JSON array", "[1, 2, 3]", 400, "malformed_json"),
      content("JSON number", "42", 400, "malformed_json"),
      content("JSON string", R"("seatfees.created")", 400, "malformed_json"),
      content("empty body", "", 400, "malformed_json"),
      content("duplicate keys", fee.substr(0, fee.rfind('}')) + R"(,"event":"seatfees.updated"})", 400,
              "malformed_json"),
      content("10,000 levels of nesting", std::string(10000, '[') + std::string(10000, ']'), 400, "malformed_json"),
      content("number beyond double", data_with("value", 1) + "", 0, ""),  // placeholder, replaced below
      content("NaN token", R"({"id": NaN})", 400, "malformed_json"),
      content("Infinity token", R"({"created": Infinity})", 400, "malformed_json"),
      content("invalid UTF-8", "{\"id\": \"\xc3\x28\"}", 400, "malformed_json"),
      content("id is a number", envelope_with("id", 12345), 400, "invalid_envelope"),
      content("id is not a UUID", envelope_with("id", "not-a-uuid"), 400, "invalid_envelope"),
      content("attemptId is a number", envelope_with("attemptId", 7), 400, "invalid_envelope"),
      content("created is a string", envelope_with("created", "1628024835"), 400, "invalid_envelope"),
      content("created has a fraction", envelope_with("created", 1628024835.5), 400, "invalid_envelope"),
      content("created is huge", envelope_with("created", 1e29), 400, "invalid_envelope"),
      content("event is a number", envelope_with("event", 3), 400, "invalid_envelope"),
      content("livemode is a string", envelope_with("livemode", "true"), 400, "invalid_envelope"),
      content("data is an array", envelope_with("data", boost::json::array{1}), 400, "invalid_envelope"),
      content("data is missing", fee_with([](auto& body) { body.erase("data"); }), 400, "invalid_envelope"),
      content("_id of 23 characters", data_with("_id", "64b7f0c2a1d3e4f5a6b7c8d"), 422, "invalid_data"),
      content("_id of 25 characters", data_with("_id", "64b7f0c2a1d3e4f5a6b7c8d9a"), 422, "invalid_data"),
      content("_id not hex", data_with("_id", "64b7f0c2a1d3e4f5a6b7c8zz"), 422, "invalid_data"),
      content("shortName of 4 characters", data_with("shortName", "PRMX"), 422, "invalid_data"),
      content("shortName empty", data_with("shortName", ""), 422, "invalid_data"),
      content("value 0", data_with("value", 0), 422, "invalid_data"),
      content("value negative", data_with("value", -5), 422, "invalid_data"),
      content("value a string", data_with("value", "10"), 422, "invalid_data"),
      content("type #", data_with("type", "#"), 422, "invalid_data"),
      content("BzDate unparseable", data_with("updatedAt", boost::json::object{{"offset", 0}, {"value", "yesterday"}}),
              422, "invalid_data"),
      content("BzDate a plain string", data_with("updatedAt", "2021-08-03T21:07:15.000Z"), 422, "invalid_data"),
      content("createdBy not an id", data_with("createdBy", "someone"), 422, "invalid_data"),
      content("sections not an array", fee_with([](auto& body) {
                body["event"] = "seatmap.created";
                body["data"].as_object()["sections"] = boost::json::object{{"_id", "667c46598d5daa05239b40da"}};
              }),
              422, "invalid_data"),
      content("section not an object", fee_with([](auto& body) {
                body["event"] = "seatmap.created";
                body["data"].as_object()["sections"] = boost::json::array{"main"};
              }),
              422, "invalid_data"),
      content("capacity negative", fee_with([](auto& body) {
                body["event"] = "seatmap.created";
                body["data"].as_object()["capacity"] = -1;
              }),
              422, "invalid_data"),
      // Text with U+0000 cannot be stored as sent on PostgreSQL (it was cut at the NUL).
      content("shortName with U+0000", data_with("shortName", boost::json::string_view{"a\0b", 3}), 422,
              "invalid_data"),
      content("attemptId with U+0000", envelope_with("attemptId", boost::json::string_view{"x\0", 2}), 400,
              "invalid_envelope"),
      content("seatclass.deleted without seatClassId", fee_with([](auto& body) {
                body["event"] = "seatclass.deleted";
                body["data"] = boost::json::object{{"id", "64b7f0c2a1d3e4f5a6b7c8d9"}};
              }),
              422, "invalid_data"),
  };
  inputs[7] = content(
      "number beyond double",
      fee.substr(0, fee.find("\"value\":")) + "\"value\": 1e999" + fee.substr(fee.find(',', fee.find("\"value\":"))),
      400, "malformed_json");

  const auto old = std::chrono::system_clock::now() - std::chrono::hours(8 * 24);  // beyond the resend window
  const std::string head = "POST /webhooks/inventory HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n";
  auto nothing = [](std::string name, std::vector<std::string> pieces, unsigned status, std::string error) {
    return BadInput{std::move(name), std::move(pieces), status, std::move(error), 0};
  };
  inputs.push_back(nothing("no signature",
                           {fmt::format("{}Content-Length: {}\r\nConnection: close\r\n\r\n{}", head, fee.size(), fee)},
                           401, "signature_missing"));
  inputs.push_back(
      nothing("garbled signature",
              {fmt::format("{}x-btrz-signature: t=;s2=%%%\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}", head,
                           fee.size(), fee)},
              401, "signature_malformed"));
  inputs.push_back(
      nothing("signed with another secret",
              {fmt::format("{}x-btrz-signature: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}", head,
                           receiver::sign_betterez("another", fee, std::chrono::system_clock::now()), fee.size(), fee)},
              401, "signature_mismatch"));
  inputs.push_back(nothing("replayed old timestamp",
                           {fmt::format("{}x-btrz-signature: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
                                        head, receiver::sign_betterez(test::kTestSecret, fee, old), fee.size(), fee)},
                           401, "signature_expired"));
  inputs.push_back(nothing("body one byte over the limit", {signed_request(std::string(kMaxBody - 1, ' ') + "{}")}, 413,
                           "payload_too_large"));
  auto slow = nothing("oversized body sent slowly",
                      {head + fmt::format("Content-Length: {}\r\nConnection: close\r\n\r\n", 4 * kMaxBody), "{",
                       "\"a\"", ":", std::string(1000, ' ')},
                      413, "payload_too_large");
  slow.gap = std::chrono::milliseconds{100};
  inputs.push_back(slow);
  std::string chunked = head + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
  for (int i = 0; i < 20; ++i) chunked += fmt::format("{:x}\r\n{}\r\n", 8192, std::string(8192, ' '));
  inputs.push_back(nothing("chunked body over the limit", {chunked + "0\r\n\r\n"}, 413, "payload_too_large"));
  inputs.push_back(nothing("headers over 8 KiB",
                           {head + "X-Padding: " + std::string(9000, 'a') + "\r\nContent-Length: 2\r\n\r\n{}"}, 431,
                           "headers_too_large"));
  inputs.push_back(
      nothing("Content-Length with Transfer-Encoding (smuggling)",
              {head + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n"
                      "POST /webhooks/inventory HTTP/1.1\r\nHost: x\r\n\r\n"},
              400, "bad_request"));
  inputs.push_back(nothing("two different Content-Lengths",
                           {head + "Content-Length: 2\r\nContent-Length: 3\r\nConnection: close\r\n\r\n{}"}, 400,
                           "bad_request"));
  inputs.push_back(nothing("Content-Length not a number", {head + "Content-Length: ten\r\nConnection: close\r\n\r\n{}"},
                           400, "bad_request"));
  inputs.push_back(nothing("header line without a colon", {head + "Bad Header Line\r\nContent-Length: 2\r\n\r\n{}"},
                           400, "bad_request"));
  inputs.push_back(nothing("not HTTP at all", {"HELLO\r\n\r\n"}, 400, "bad_request"));
  inputs.push_back(nothing("text/plain body", {signed_request(fee, "", "text/plain")}, 415, "unsupported_media_type"));
  inputs.push_back(nothing("no Content-Type", {signed_request(fee, "", "")}, 415, "unsupported_media_type"));
  inputs.push_back(nothing("GET on the webhook",
                           {"GET /webhooks/inventory HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"}, 405,
                           "method_not_allowed"));
  inputs.push_back(nothing("unknown path",
                           {"POST /admin HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"}, 404,
                           "not_found"));
  auto plain = nothing("plain HTTP to the TLS port", {signed_request(fee)}, 400, "tls_required");
  plain.plain_tcp = true;
  inputs.push_back(plain);
  // Not bad, but old: an HTTP/1.0 delivery is valid and is applied, answered as HTTP/1.0.
  auto http10 = nothing("HTTP/1.0 request", {}, 200, "");
  auto http10_body = data_with("_id", "64b7f0c2a1d3e4f5a6b7c8ff");
  http10.pieces = {
      fmt::format("POST /webhooks/inventory HTTP/1.0\r\nContent-Type: application/json\r\n"
                  "x-btrz-signature: {}\r\nContent-Length: {}\r\n\r\n{}",
                  receiver::sign_betterez(test::kTestSecret, http10_body, std::chrono::system_clock::now()),
                  http10_body.size(), http10_body)};
  http10.ledger_rows = 1;
  inputs.push_back(http10);
  return inputs;
}

std::int64_t rows(const test::ServerProcess& server, const char* table) {
  auto db = open_store(server.db_path().string(), {.read_only = true});
  const auto count = db->prepare(std::string{"SELECT COUNT(*) FROM "} + table);
  count->step();
  return count->column_int64(0);
}

// Every bad input against one running server, whatever its store.
void run_matrix(test::ServerProcess& server) {
  const auto port = static_cast<unsigned short>(std::stoi(server.base_url().substr(server.base_url().rfind(':') + 1)));
  const auto inputs = bad_inputs();
  REQUIRE(inputs.size() >= 40);
  for (const auto& input : inputs) {
    INFO(input.name);
    const auto rejected_before = rows(server, "rejected_events");
    const auto ledger_before = rows(server, "webhook_events");
    const auto reply = test::raw_exchange(port, !input.plain_tcp, input.pieces, input.gap);
    CHECK(reply.status == input.status);
    CHECK(reply.error == input.error);
    CHECK(rows(server, "rejected_events") - rejected_before == input.rejected_rows);
    CHECK(rows(server, "webhook_events") - ledger_before == input.ledger_rows);
    if (input.status == 200) CHECK(reply.text.starts_with("HTTP/1.0 200"));
  }
  // Only the HTTP/1.0 delivery reached a read model.
  CHECK(rows(server, "seat_fees") == 1);
  CHECK(server.stop(SIGTERM) == 0);
}

}  // namespace

TEST_CASE("bad-input matrix over real TLS", "[e2e][matrix]") {
  test::TempDir dir;
  test::ServerProcess server{dir, {"--max-body", std::to_string(kMaxBody)}};
  run_matrix(server);
}

TEST_CASE("bad-input matrix over real TLS, the receiver on PostgreSQL", "[e2e][matrix][postgres]") {
  SKIP_WITHOUT_POSTGRES();
  test::PostgresCluster cluster;
  test::TempDir dir;
  test::ServerProcess server{dir, {"--max-body", std::to_string(kMaxBody)}, cluster.url()};
  run_matrix(server);
}

TEST_CASE("a TLS 1.1 client is refused at the handshake", "[e2e]") {
  test::TempDir dir;
  test::ServerProcess server{dir};
  const auto port = static_cast<unsigned short>(std::stoi(server.base_url().substr(server.base_url().rfind(':') + 1)));
  const auto request = std::string{"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"};
  CHECK(test::raw_exchange(port, true, {request}, {}, std::chrono::milliseconds{5000}, TLS1_1_VERSION).status == 0);
  CHECK(test::raw_exchange(port, true, {request}, {}, std::chrono::milliseconds{5000}, TLS1_2_VERSION).status == 200);
  CHECK(test::raw_exchange(port, true, {request}, {}, std::chrono::milliseconds{5000}, TLS1_3_VERSION).status == 200);
}
