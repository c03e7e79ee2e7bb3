#include "receiver/request_log.hpp"

#include "json/json_text.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <boost/json/value.hpp>

namespace seatmirror::receiver {
namespace {

// The logger stamps the time itself; the line's other members are serialised by Boost.JSON so
// that any text from the network is escaped.
spdlog::logger& request_logger() {
  static const auto logger = [] {
    auto l = spdlog::stdout_logger_mt("requests");
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
