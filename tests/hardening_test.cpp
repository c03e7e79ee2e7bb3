// What one unauthenticated request can no longer do to the receiver (issue 16): stop the
// process, hold more memory than its limits allow, smuggle a second request past the framing,
// or hold a connection longer than the request timeout. Each case is sent as raw bytes to the
// real binary; after each, the server must still answer.
#include "receiver/signature.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_stores.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <signal.h>

#include <fstream>

using namespace seatmirror;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kChunkedHead =
    "POST /webhooks/inventory HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
    "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
const std::string kHealth = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

// A /proc/PID/status figure in KiB (VmHWM: peak resident memory).
long proc_status_kib(pid_t pid, const std::string& key) {
  std::ifstream status{fmt::format("/proc/{}/status", pid)};
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with(key + ":")) return std::stol(line.substr(key.size() + 1));
  }
  return -1;
}

bool still_serving(const test::ServerProcess& server, bool tls = true) {
  return ::kill(server.pid(), 0) == 0 && test::raw_exchange(server.port(), tls, {kHealth}).status == 200;
}

// Answers in a reply: status lines at the start or after a body ending in "}".
std::size_t status_lines(const std::string& text) {
  std::size_t count = text.starts_with("HTTP/1.") ? 1 : 0;
  for (auto at = text.find("}HTTP/1."); at != std::string::npos; at = text.find("}HTTP/1.", at + 1)) ++count;
  return count;
}

}  // namespace

TEST_CASE("a trailer field of 64 KiB, which makes Beast throw, costs only its own connection", "[hardening]") {
  const auto crash = kChunkedHead + "2\r\n{}\r\n0\r\nX-Big: " + std::string(65534, 'a') + "\r\n\r\n";
  test::TempDir dir;
  SECTION("over TLS") {
    test::ServerProcess server{dir};
    const auto reply = test::raw_exchange(server.port(), true, {crash});
    CHECK(reply.status == 400);
    CHECK(reply.error == "bad_framing");
    CHECK(still_serving(server));
  }
  SECTION("as plain TCP to the TLS port: refused before it is read") {
    test::ServerProcess server{dir};
    const auto reply = test::raw_exchange(server.port(), false, {crash});
    CHECK(reply.status == 400);
    CHECK(reply.error == "tls_required");
    CHECK(still_serving(server));
  }
  SECTION("behind a proxy (--plain-http)") {
    test::ServerProcess server{dir, {"--plain-http"}};
    const auto reply = test::raw_exchange(server.port(), false, {crash});
    CHECK(reply.status == 400);
    CHECK(reply.error == "bad_framing");
    CHECK(still_serving(server, false));
  }
}

TEST_CASE("chunk extensions count against --max-body and cannot grow memory", "[hardening]") {
  test::TempDir dir;
  test::ServerProcess server{dir, {"--max-body", "65536"}};
  SECTION("one 8 MiB extension is cut off at the read buffer's bound") {
    const auto peak_before = proc_status_kib(server.pid(), "VmHWM");
    std::vector<std::string> pieces = {kChunkedHead + "2;x="};
    for (int i = 0; i < 128; ++i) pieces.push_back(std::string(64 << 10, 'e'));
    const auto reply = test::raw_exchange(server.port(), true, pieces);
    CHECK(reply.status == 400);
    CHECK(reply.error == "bad_framing");
    CHECK(still_serving(server));
    // Before the bound this took the peak from 17 to 145 MB; the buffer now holds 24 KiB.
    CHECK(proc_status_kib(server.pid(), "VmHWM") - peak_before < 4096);
  }
  SECTION("many small chunks whose extensions add up past the limit") {
    std::string request = kChunkedHead;
    for (int i = 0; i < 2000; ++i) request += "1;ext=" + std::string(40, 'e') + "\r\n \r\n";
    const auto reply = test::raw_exchange(server.port(), true, {request + "0\r\n\r\n"});
    CHECK(reply.status == 413);
    CHECK(reply.error == "payload_too_large");
    CHECK(still_serving(server));
  }
}

TEST_CASE("trailer fields are refused, and a signature in a trailer is never checked", "[hardening]") {
  test::TempDir dir;
  test::ServerProcess server{dir};
  const auto fee = test::read_file(test::fixtures_dir() / "seeds" / "001-seatfees.created.json");
  SECTION("a correctly signed body whose signature comes as a trailer") {
    const auto signature = receiver::sign_betterez(test::kTestSecret, fee, std::chrono::system_clock::now());
    const auto request = kChunkedHead + fmt::format("{:x}\r\n{}\r\n0\r\nx-btrz-signature: {}\r\n\r\n", fee.size(), fee,
                                                    signature);
    const auto reply = test::raw_exchange(server.port(), true, {request});
    CHECK(reply.status == 400);
    CHECK(reply.error == "bad_framing");
    CHECK_THAT(reply.text, Catch::Contains("trailer"));
    CHECK(test::count_rows(server.db_path().string(), "webhook_events") == 0);
  }
  SECTION("40,000 trailer fields") {
    std::string request = kChunkedHead + "2\r\n{}\r\n0\r\n";
    for (int i = 0; i < 40000; ++i) request += fmt::format("x-t{}: {}\r\n", i, std::string(180, 'v'));
    const auto reply = test::raw_exchange(server.port(), true, {request + "\r\n"});
    CHECK(reply.status == 400);
    CHECK(reply.error == "bad_framing");
  }
  CHECK(still_serving(server));
}

TEST_CASE("framing that two readers could read two ways is refused and the connection closed", "[hardening]") {
  test::TempDir dir;
  test::ServerProcess server{dir, {"--plain-http"}};
  const std::string post = "POST /webhooks/inventory HTTP/1.1\r\nContent-Type: application/json\r\n";
  const std::string smuggled = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  struct Head {
    std::string name, fields, error;
  };
  const std::vector<Head> heads = {
      {"Transfer-Encoding: gzip", "Host: x\r\nTransfer-Encoding: gzip\r\n", "bad_framing"},
      {"Transfer-Encoding: chunked, identity", "Host: x\r\nTransfer-Encoding: chunked, identity\r\n", "bad_framing"},
      {"Transfer-Encoding: \"chunked\"", "Host: x\r\nTransfer-Encoding: \"chunked\"\r\n", "bad_framing"},
      {"Transfer-Encoding before Content-Length", "Host: x\r\nTransfer-Encoding: gzip\r\nContent-Length: 5\r\n",
       "bad_framing"},
      {"no Host on HTTP/1.1", "", "bad_framing"},
      {"two Hosts", "Host: a\r\nHost: b\r\n", "bad_framing"},
      // Beast itself refuses these while reading the head.
      {"Transfer-Encoding twice", "Host: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
       "bad_request"},
      {"Content-Length before Transfer-Encoding", "Host: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n",
       "bad_request"},
  };
  for (const auto& [name, fields, error] : heads) {
    INFO(name);
    const auto reply = test::raw_exchange(server.port(), false, {post + fields + "\r\n0\r\n\r\n" + smuggled});
    CHECK(reply.status == 400);
    CHECK(reply.error == error);
    CHECK(status_lines(reply.text) == 1);  // the smuggled GET got no answer of its own
  }
  // HTTP/1.0 needs no Host; chunked alone is fine.
  CHECK(test::raw_exchange(server.port(), false, {"GET /healthz HTTP/1.0\r\n\r\n"}).status == 200);
  CHECK(test::raw_exchange(server.port(), false,
                           {"POST /webhooks/inventory HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                            "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n"})
            .status == 401);
}

TEST_CASE("a new connection gets the request timeout for its first request, not the idle timeout", "[hardening]") {
  test::TempDir dir;
  test::ServerProcess server{dir, {"--request-timeout", "1", "--idle-timeout", "60"}};
  const auto started = Clock::now();
  const auto reply = test::raw_exchange(server.port(), true, {}, {}, std::chrono::milliseconds{20000});
  const auto took = Clock::now() - started;
  CHECK(reply.status == 0);
  CHECK(took < std::chrono::seconds(4));
}
