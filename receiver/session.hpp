// One HTTP connection, in the shape of Beast's advanced_server_flex example: a session object
// per connection, reading one request at a time (so pipelined requests are answered in
// order), handing it to the Router, writing the answer, then reading the next.
// HttpSession holds the HTTP logic; PlainSession and TlsSession add their stream.
#pragma once

#include "receiver/connection_limits.hpp"
#include "receiver/request_observer.hpp"
#include "receiver/router.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <atomic>
#include <memory>

namespace seatmirror::receiver {

class SessionRegistry;

// What every session of one server shares.
struct SessionShared {
  const ServerConfig& config;
  Router& router;
  RequestObserver& observer;  // told of every answer; the session neither logs nor counts
  SessionRegistry& registry;
  const std::atomic<bool>& draining;
};

// Starts a session on an accepted socket; the session keeps itself alive. With `tls`, the
// first bytes decide: a TLS handshake gets HTTPS, plain HTTP gets a 400 saying to use https.
// An admission with a refusal (over a connection cap) is answered 503, saying why, before
// any request is read, and closed.
void start_session(boost::asio::ip::tcp::socket socket, boost::asio::ssl::context* tls, SessionShared shared,
                   Admission admission);

}  // namespace seatmirror::receiver
