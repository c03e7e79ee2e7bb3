// Limits that keep the server alive: slow clients are cut off, idle keep-alive connections
// close after --idle-timeout, and the connection cap answers 503, whichever store is behind.
#include "tests/support/raw_client.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_stores.hpp"

#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <thread>

using namespace seatmirror;
using Clock = std::chrono::steady_clock;

namespace {

unsigned short port_of(const test::ServerProcess& server) {
  return static_cast<unsigned short>(std::stoi(server.base_url().substr(server.base_url().rfind(':') + 1)));
}

}  // namespace

TEST_CASE("a header trickled byte by byte is cut off at the request timeout", "[limits][postgres]") {
  const auto store = GENERATE(from_range(test::store_kinds()));
  INFO("store: " << store);
  test::TempDir dir;
  test::ServerProcess server{dir, {"--request-timeout", "1"}, test::fresh_store(store)};
  std::vector<std::string> bytes;
  for (char c :
       std::string{"POST /webhooks/inventory HTTP/1.1\r\nHost: localhost\r\nX-Slow: abcdefghijklmnopqrstuvwxyz"}) {
    bytes.emplace_back(1, c);
  }
  const auto started = Clock::now();
  const auto reply = test::raw_exchange(port_of(server), true, bytes, std::chrono::milliseconds{100});
  const auto took = Clock::now() - started;
  CHECK(reply.status == 0);               // cut, not answered
  CHECK(took < std::chrono::seconds(5));  // the whole trickle would take 8 s
}

TEST_CASE("an idle keep-alive connection is closed after --idle-timeout", "[limits][postgres]") {
  const auto store = GENERATE(from_range(test::store_kinds()));
  INFO("store: " << store);
  test::TempDir dir;
  test::ServerProcess server{dir, {"--idle-timeout", "1"}, test::fresh_store(store)};
  const auto started = Clock::now();
  const auto reply = test::raw_exchange(port_of(server), true, {"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"}, {},
                                        std::chrono::milliseconds{10000});
  const auto took = Clock::now() - started;
  CHECK(reply.status == 200);
  CHECK(took >= std::chrono::milliseconds(900));
  CHECK(took < std::chrono::seconds(5));
}

TEST_CASE("past --max-connections a new connection is answered 503", "[limits][postgres]") {
  const auto store = GENERATE(from_range(test::store_kinds()));
  INFO("store: " << store);
  test::TempDir dir;
  test::ServerProcess server{dir, {"--max-connections", "3"}, test::fresh_store(store)};
  boost::asio::io_context io;
  std::vector<boost::asio::ip::tcp::socket> held;
  for (int i = 0; i < 3; ++i) {
    held.emplace_back(io).connect({boost::asio::ip::make_address("127.0.0.1"), port_of(server)});
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto refused =
      test::raw_exchange(port_of(server), true, {"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"});
  CHECK(refused.status == 503);
  CHECK(refused.error == "too_many_connections");
  CHECK_THAT(refused.text, Catch::Contains("Retry-After: 5\r\n"));
  held.clear();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK(test::raw_exchange(port_of(server), true, {"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"})
            .status == 200);
}
