#include "receiver/request_log.hpp"

#include "json/json_text.hpp"

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <boost/json/value.hpp>

#include <iostream>
#include <memory>

namespace seatmirror::receiver {
namespace {

// The logger stamps the time itself; the line's other members are serialised by Boost.JSON so
// that any text from the network is escaped.
spdlog::logger& request_logger() {
  static const auto logger = [] {
    // spdlog's stdout sink flushes after every line (a write call per request); an ostream sink
    // over std::cout leaves the lines in stdio's buffer until the flush below or a full buffer.
    auto l = std::make_shared<spdlog::logger>("requests", std::make_shared<spdlog::sinks::ostream_sink_mt>(std::cout));
    spdlog::register_logger(l);  // flush_every flushes the registered loggers
    l->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ",%v)", spdlog::pattern_time_type::utc);
    // Flushed once a second, not per line: a write call per request cost more than the
    // request's TLS record here. Lines of the last second can be lost in a crash; the ledger,
    // not this log, is the durable record of what was acknowledged.
    spdlog::flush_every(std::chrono::seconds(1));
    return l;
  }();
  return *logger;
}

}  // namespace

void write_request_log(const RequestLog& entry) {
  boost::json::object line;
  line["remote"] = entry.remote;
  line["method"] = entry.method;
  line["target"] = entry.target.substr(0, 200);
  line["status"] = entry.status;
  if (!entry.event_id.empty()) line["event_id"] = entry.event_id;
  if (!entry.event.empty()) line["event"] = entry.event;
  if (!entry.outcome.empty()) line["outcome"] = entry.outcome;
  if (!entry.error.empty()) line["error"] = entry.error;
  auto text = json_text(line);
  // The pattern supplies the opening brace; the duration is written as plain decimal text.
  text.back() = ',';
  request_logger().info("{}\"duration_ms\":{:.3f}}}", std::string_view{text}.substr(1), entry.duration_ms);
}

}  // namespace seatmirror::receiver
