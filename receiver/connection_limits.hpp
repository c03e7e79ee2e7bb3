// How many connections the server holds, in all and per peer address, and whether it may
// serve one more. Every accepted connection holds a ConnectionSlot from accept to close,
// whichever session object holds it then (detecting TLS, then serving HTTP); the caps, the
// per-peer counts and the seatmirror_open_connections gauge all follow the slots.
//
// A connection over a cap is still accepted and answered 503 (so a sender knows to retry), but
// before anything of its request is read. The total cap has to fit the process's descriptor
// limit, or accept() fails with EMFILE before the cap is reached: fit_to_descriptor_limit
// raises the soft limit as far as the hard one allows and lowers the cap below what is left.
#pragma once

#include "receiver/metrics.hpp"

#include <boost/asio/ip/tcp.hpp>

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace seatmirror::receiver {

class ConnectionLimits;

class ConnectionSlot {
 public:
  ConnectionSlot(ConnectionSlot&& other) noexcept;
  ConnectionSlot& operator=(ConnectionSlot&&) = delete;
  ~ConnectionSlot();

  // "address:port" of the client, as the request log names it.
  const std::string& remote() const { return remote_; }

 private:
  friend class ConnectionLimits;
  ConnectionSlot(ConnectionLimits* limits, std::string peer, std::string remote)
      : limits_(limits), peer_(std::move(peer)), remote_(std::move(remote)) {}
  ConnectionLimits* limits_;
  std::string peer_;  // the address: what the per-peer cap counts
  std::string remote_;
};

struct Admission {
  ConnectionSlot slot;
  std::optional<std::string> refusal;  // why it is answered 503, when it is
};

class ConnectionLimits {
 public:
  // max_per_peer 0: no per-peer cap.
  ConnectionLimits(std::size_t max_connections, std::size_t max_per_peer, Metrics& metrics)
      : max_connections_(max_connections), max_per_peer_(max_per_peer), metrics_(metrics) {}

  // Counts the connection and says whether it may be served.
  Admission admit(const boost::asio::ip::tcp::endpoint& peer);

 private:
  friend class ConnectionSlot;
  void release(const std::string& peer);

  const std::size_t max_connections_;
  const std::size_t max_per_peer_;
  Metrics& metrics_;
  std::mutex mutex_;
  std::size_t open_ = 0;
  std::unordered_map<std::string, std::size_t> per_peer_;
};

// Descriptors the process needs besides its connections: the database and its journal files,
// PostgreSQL connections, the listener, epoll, logs.
inline constexpr std::size_t kReservedDescriptors = 64;

// The connection cap that fits the descriptor limit: raises the soft RLIMIT_NOFILE towards
// max_connections + kReservedDescriptors (up to the hard limit), then returns max_connections
// or, when that still does not fit, what does (and warns).
std::size_t fit_to_descriptor_limit(std::size_t max_connections);

}  // namespace seatmirror::receiver
