// One HTTP connection, in the shape of Beast's advanced_server_flex example: a session object
// per connection, reading one request at a time (so pipelined requests are answered in
// order), handing it to the Router, writing the answer, then reading the next.
// HttpSession holds the HTTP logic; PlainSession and TlsSession add their stream.
#pragma once

#include "receiver/router.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <atomic>
#include <memory>
#include <utility>

namespace seatmirror::receiver {

class SessionRegistry;

// What every session of one server shares.
struct SessionShared {
  const ServerConfig& config;
  Router& router;
  Metrics& metrics;
  SessionRegistry& registry;
  const std::atomic<bool>& draining;
  std::atomic<std::size_t>& open_connections;
};

// Counts one open connection, from accept to close, whichever session object holds it then
// (detecting TLS, then serving HTTP): the connection cap and the metrics gauge both read it.
class ConnectionSlot {
 public:
  explicit ConnectionSlot(const SessionShared& shared) : metrics_(&shared.metrics), open_(&shared.open_connections) {
    ++*open_;
    metrics_->connection_opened();
  }
  ConnectionSlot(ConnectionSlot&& other) noexcept : metrics_(std::exchange(other.metrics_, nullptr)), open_(other.open_) {}
  ConnectionSlot& operator=(ConnectionSlot&&) = delete;
  ~ConnectionSlot() {
    if (!metrics_) return;
    --*open_;
    metrics_->connection_closed();
  }

 private:
  Metrics* metrics_;
  std::atomic<std::size_t>* open_;
};

// Something the server can ask to wind down: idle connections close at once, busy ones after
// answering the request in hand.
class Stoppable {
 public:
  virtual ~Stoppable() = default;
  virtual void stop() = 0;
};

// Starts a session on an accepted socket; the session keeps itself alive. With `tls`, the
// first bytes decide: a TLS handshake gets HTTPS, plain HTTP gets a 400 saying to use https.
// `over_capacity` sessions answer their request with 503 and close.
void start_session(boost::asio::ip::tcp::socket socket, boost::asio::ssl::context* tls, SessionShared shared,
                   ConnectionSlot slot, bool over_capacity);

}  // namespace seatmirror::receiver
