#include "receiver/server.hpp"

#include "receiver/router.hpp"
#include "receiver/session.hpp"
#include "receiver/session_registry.hpp"
#include "receiver/tls_context.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <optional>
#include <thread>

namespace seatmirror::receiver {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

// Accepts connections and starts one session per connection.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& io, const tcp::endpoint& endpoint, net::ssl::context* tls, SessionShared shared)
      : io_(io), acceptor_(net::make_strand(io)), tls_(tls), shared_(shared) {
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(net::socket_base::max_listen_connections);
  }

  tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }
  void accept() {
    acceptor_.async_accept(net::make_strand(io_), [self = shared_from_this()](boost::system::error_code ec,
                                                                              tcp::socket socket) {
      self->on_accept(ec, std::move(socket));
    });
  }
  void close() {
    net::dispatch(acceptor_.get_executor(), [self = shared_from_this()] {
      boost::system::error_code ignored;
      self->acceptor_.close(ignored);
    });
  }

 private:
  void on_accept(boost::system::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec) {
      spdlog::warn("accept failed: {}", ec.message());
    } else {
      // Past the cap a connection still gets an answer (503), so the sender knows to retry.
      const bool over_capacity = shared_.open_connections >= shared_.config.max_connections;
      if (over_capacity) {
        spdlog::warn("over --max-connections ({}): answering 503", shared_.config.max_connections);
      }
      ConnectionSlot slot{shared_};
      start_session(std::move(socket), tls_, shared_, std::move(slot), over_capacity);
    }
    accept();
  }

  net::io_context& io_;
  tcp::acceptor acceptor_;
  net::ssl::context* tls_;
  SessionShared shared_;
};

// Asio lets an exception thrown inside a handler leave run(); run() may be called again, and
// every other handler goes on. The connection whose handler threw has lost it and closes, so
// one bad request (say, one that makes a library throw while parsing it) costs only itself.
void run_containing_failures(net::io_context& io) {
  for (;;) {
    try {
      io.run();
      return;
    } catch (const std::exception& e) {
      spdlog::error("a connection failed and was closed; the server carries on: {}", e.what());
    }
  }
}

}  // namespace

Server::Server(ServerConfig config, DeliveryWriter& writer, Metrics& metrics, const ApiRoutes* api,
               SeatApiRoutes* seat_api)
    : config_(std::move(config)), writer_(writer), metrics_(metrics), api_(api), seat_api_(seat_api) {}

void Server::run(const std::function<void(const std::string&)>& on_listening) {
  net::io_context io{config_.threads};
  std::optional<net::ssl::context> tls;
  if (config_.tls) tls.emplace(make_server_tls_context(config_.certificate_chain, config_.private_key));

  std::atomic<bool> draining{false};
  std::atomic<std::size_t> open_connections{0};
  SessionRegistry registry;
  Router router{config_, writer_, metrics_, draining, api_, seat_api_};
  const SessionShared shared{config_, router, metrics_, registry, draining, open_connections};
  const tcp::endpoint endpoint{net::ip::make_address(config_.host), config_.port};
  auto listener = std::make_shared<Listener>(io, endpoint, tls ? &*tls : nullptr, shared);
  listener->accept();

  const auto bound = listener->local_endpoint();
  const auto host = bound.address().is_v6() ? "[" + bound.address().to_string() + "]" : bound.address().to_string();
  on_listening(fmt::format("{}://{}:{}", config_.tls ? "https" : "http", host, bound.port()));

  net::steady_timer grace_timer{io};
  net::signal_set signals{io, SIGINT, SIGTERM};
  signals.async_wait([&](boost::system::error_code ec, int signal) {
    if (ec) return;
    spdlog::info("signal {}: no longer accepting; finishing {} open connections", signal, registry.size());
    draining = true;
    listener->close();
    grace_timer.expires_after(config_.shutdown_grace_ms);
    grace_timer.async_wait([&](boost::system::error_code timer_ec) {
      if (timer_ec) return;
      spdlog::warn("shutdown grace period over; {} connections cut", registry.size());
      io.stop();
    });
    registry.stop_all([&] { net::post(io, [&] { grace_timer.cancel(); }); });
  });

  std::vector<std::thread> threads;
  for (int i = 1; i < config_.threads; ++i) threads.emplace_back([&] { run_containing_failures(io); });
  run_containing_failures(io);
  for (auto& thread : threads) thread.join();
}

}  // namespace seatmirror::receiver
