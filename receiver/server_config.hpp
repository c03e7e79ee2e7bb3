// Everything the HTTPS receiver is told at start-up. Filled by the command line; read-only
// once the server runs.
#pragma once

#include "receiver/signature.hpp"

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>

namespace seatmirror::receiver {

struct ServerConfig {
  std::string host = "127.0.0.1";
  unsigned short port = 8443;
  bool tls = true;  // false only with --plain-http
  std::filesystem::path certificate_chain;
  std::filesystem::path private_key;
  bool verify_signatures = true;  // false only with --no-verify
  SignatureSettings signatures;
  std::size_t max_body_bytes = 1 << 20;
  std::size_t max_header_bytes = 8 << 10;
  std::chrono::milliseconds request_timeout_ms{10'000};  // to receive one whole request once it starts
  std::chrono::milliseconds idle_timeout_ms{60'000};     // keep-alive connection with no request
  std::chrono::milliseconds shutdown_grace_ms{10'000};
  std::size_t max_connections = 1024;          // ~90 KiB each over TLS (measured by bench/connections)
  std::size_t max_connections_per_peer = 256;  // from one address; 0: no such cap (behind a proxy)
  int threads = 2;
};

}  // namespace seatmirror::receiver
