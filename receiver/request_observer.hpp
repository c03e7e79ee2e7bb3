// What the server does with each request a session has answered: one JSON line in the
// request log (request_log.hpp) and the response metrics; and with a request whose handler
// failed or a handshake that did not complete, an operator's log line. Sessions report what happened here and keep no
// policy of their own about logs or metrics.
#pragma once

#include "receiver/metrics.hpp"
#include "receiver/request_log.hpp"

#include <string_view>

namespace seatmirror::receiver {

class RequestObserver {
 public:
  explicit RequestObserver(Metrics& metrics) : metrics_(metrics) {}

  void answered(const RequestLog& entry);
  // A handler threw: the session answers 500 and closes; the operator gets the reason.
  void handler_failed(std::string_view remote, std::string_view what);
  // A TLS handshake did not complete (scanners, wrong CA, plain clients): debug level only.
  void handshake_failed(std::string_view remote, std::string_view why);

 private:
  Metrics& metrics_;
};

}  // namespace seatmirror::receiver
