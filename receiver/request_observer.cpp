#include "receiver/request_observer.hpp"

#include <spdlog/spdlog.h>

namespace seatmirror::receiver {

void RequestObserver::answered(const RequestLog& entry) {
  write_request_log(entry);
  metrics_.count_response(entry.status);
  metrics_.observe_request_seconds(entry.duration_ms / 1000.0);
}

void RequestObserver::handler_failed(std::string_view remote, std::string_view what) {
  spdlog::error("request from {} failed: {}", remote, what);
}

void RequestObserver::handshake_failed(std::string_view remote, std::string_view why) {
  spdlog::debug("TLS handshake from {} failed: {}", remote, why);
}

}  // namespace seatmirror::receiver
