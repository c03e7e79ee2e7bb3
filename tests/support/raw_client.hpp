// Sends exact bytes to a server (over TLS or plain TCP), optionally trickled in pieces, and
// returns whatever comes back until the server closes: for requests no well-behaved client
// library would send (smuggling attempts, oversized headers, slow bodies, HTTP/1.0).
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace seatmirror::test {

struct RawReply {
  std::string text;     // the raw bytes received
  unsigned status = 0;  // from the first status line; 0 when nothing came back
  std::string error;    // the "error" member of a JSON body, if any
};

RawReply raw_exchange(unsigned short port, bool tls, const std::vector<std::string>& pieces,
                      std::chrono::milliseconds gap = std::chrono::milliseconds{0},
                      std::chrono::milliseconds read_timeout = std::chrono::milliseconds{5000},
                      int max_tls_version = 0);

}  // namespace seatmirror::test
