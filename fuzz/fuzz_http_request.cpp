// libFuzzer target: raw bytes as an HTTP request, read the way the session reads one (its
// limits, the head first and checked by framing_problem, then the rest through a buffer of the
// session's bound, trailers refused) and routed through the real Router to a real
// DeliveryWriter (an in-memory database, a fresh one every 2000 inputs; signatures off so that bodies get as far as the
// writer). Every request must get exactly one answer, and nothing may throw.
#include "fuzz/discard_logs.hpp"
#include "projection/delivery_writer.hpp"
#include "receiver/metrics.hpp"
#include "receiver/request_framing.hpp"
#include "receiver/router.hpp"

#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>

#include <cstdint>
#include <cstdlib>
#include <future>
#include <memory>

namespace {

using namespace seatmirror;

const receiver::ServerConfig& fuzz_config() {
  static const receiver::ServerConfig config = [] {
    receiver::ServerConfig c;
    c.verify_signatures = false;
    c.max_body_bytes = 1 << 16;
    return c;
  }();
  return config;
}

// One in-memory database (and the writer and router on it) serves kInputsPerDatabase inputs,
// then a fresh one takes over, as in fuzz_projection: inputs still meet what earlier ones left
// (duplicates, ordering), and memory stays flat. One database for the whole run grew past
// libFuzzer's 1 GiB limit (a false out-of-memory alarm after ~1.3 million inputs).
constexpr int kInputsPerDatabase = 2000;

struct FuzzServer {
  DeliveryWriter writer{":memory:", {.durability_full = false}};
  std::atomic<bool> draining{false};
  receiver::Router router;
  explicit FuzzServer(receiver::Metrics& metrics) : router{fuzz_config(), writer, metrics, draining} {}
};

receiver::Router& router_for_this_input() {
  static receiver::Metrics metrics;  // its label sets are bounded: one for the whole run
  static std::unique_ptr<FuzzServer> server;
  static int inputs = 0;
  if (!server || ++inputs % kInputsPerDatabase == 0) {
    server.reset();  // every earlier input was answered: nothing is in flight
    server = std::make_unique<FuzzServer>(metrics);
  }
  return server->router;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  seatmirror::fuzz::discard_log_lines();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace http = boost::beast::http;
  const auto& config = fuzz_config();
  auto& router = router_for_this_input();
  static boost::asio::thread_pool session_thread{1};  // where a session would build its answer

  http::request_parser<http::string_body> parser;
  parser.body_limit(config.max_body_bytes);
  parser.header_limit(static_cast<std::uint32_t>(config.max_header_bytes));
  const std::size_t buffered = receiver::read_buffer_bytes(config.max_header_bytes);
  boost::system::error_code ec;
  std::size_t used = parser.put(boost::asio::buffer(data, std::min(size, buffered)), ec);
  if (ec || !parser.is_header_done()) return 0;
  if (receiver::framing_problem(parser.get())) return 0;
  const auto header_fields = receiver::field_count(parser.get());
  parser.eager(true);
  while (!parser.is_done() && used < size) {
    const auto n = parser.put(boost::asio::buffer(data + used, std::min(size - used, buffered)), ec);
    if (ec == http::error::need_more) ec = {};
    if (ec || n == 0) return 0;  // an error, or a line longer than the buffer: refused
    used += n;
  }
  if (!parser.is_done() || receiver::field_count(parser.get()) != header_fields) return 0;

  std::promise<unsigned> answered;
  router.handle(parser.release(), receiver::Reply{session_thread.get_executor(), [&](receiver::Answer answer) {
                                                    answered.set_value(answer.response.result_int());
                                                  }});
  const auto status = answered.get_future().get();
  if (status < 200 || status > 599) std::abort();
  return 0;
}
