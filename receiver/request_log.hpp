// One structured line per request on stdout (JSON lines): when, from where, what, with what
// result and how long it took. Never a secret, a signature or a body.
#pragma once

#include <string>

namespace seatmirror::receiver {

struct RequestLog {
  std::string remote;
  std::string method;
  std::string target;
  unsigned status = 0;
  std::string event_id;
  std::string event;
  std::string outcome;
  std::string error;  // the machine-readable reason of a 4xx/5xx
  double duration_ms = 0;
};

void write_request_log(const RequestLog& entry);

}  // namespace seatmirror::receiver
