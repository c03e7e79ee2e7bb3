#include "receiver/server.hpp"

#include "receiver/host_port.hpp"
#include "receiver/router.hpp"
#include "receiver/session.hpp"
#include "receiver/session_registry.hpp"
#include "receiver/tls_context.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <pthread.h>

#include <algorithm>
#include <optional>
#include <thread>

namespace seatmirror::receiver {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

// Accepts connections and starts one session per connection, handing the connections to the
// network threads' io_contexts in turn.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(const std::vector<std::unique_ptr<net::io_context>>& ios, tcp::acceptor acceptor, net::ssl::context* tls,
           SessionShared shared, ConnectionLimits& limits)
      : ios_(ios),
        acceptor_(std::move(acceptor)),
        pause_(acceptor_.get_executor()),
        tls_(tls),
        shared_(shared),
        limits_(limits) {}

  tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }
  void accept() {
    auto& io = *ios_[next_io_++ % ios_.size()];
    acceptor_.async_accept(io.get_executor(),
                           [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
                             self->on_accept(ec, std::move(socket));
                           });
  }
  void close() {
    net::dispatch(acceptor_.get_executor(), [self = shared_from_this()] {
      boost::system::error_code ignored;
      self->acceptor_.close(ignored);
      self->pause_.cancel();
    });
  }

 private:
  void on_accept(boost::system::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
    // A peer that reset before we accepted it costs nothing; try the next one at once.
    if (ec == net::error::connection_aborted) return accept();
    if (ec) return pause_accepting(ec);
    const auto peer = socket.remote_endpoint(ec);
    if (ec) return accept();  // gone already
    auto admission = limits_.admit(peer);
    if (admission.refusal) spdlog::warn("answering 503: {}", *admission.refusal);
    start_session(std::move(socket), tls_, shared_, std::move(admission));
    accept();
  }

  // Accept failed, most likely for want of descriptors (EMFILE, ENFILE) or memory: retrying
  // at once would fail again at once, a busy loop that also floods the log. So wait a moment,
  // while open connections close, and say so at most once per interval.
  void pause_accepting(boost::system::error_code ec) {
    ++failures_since_log_;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_log_ >= kAcceptFailureLogInterval) {
      spdlog::error(
          "accepting connections failed {} time(s): {}; pausing accepts for {} ms each time (open "
          "connections are still served); raise the open-file limit or lower --max-connections",
          failures_since_log_, ec.message(), kAcceptPause.count());
      failures_since_log_ = 0;
      last_log_ = now;
    }
    pause_.expires_after(kAcceptPause);
    pause_.async_wait([self = shared_from_this()](boost::system::error_code timer_ec) {
      if (!timer_ec && self->acceptor_.is_open()) self->accept();
    });
  }

  static constexpr std::chrono::milliseconds kAcceptPause{100};
  static constexpr std::chrono::seconds kAcceptFailureLogInterval{10};

  const std::vector<std::unique_ptr<net::io_context>>& ios_;
  std::size_t next_io_ = 0;
  tcp::acceptor acceptor_;
  net::steady_timer pause_;
  net::ssl::context* tls_;
  SessionShared shared_;
  ConnectionLimits& limits_;
  std::size_t failures_since_log_ = 0;
  std::chrono::steady_clock::time_point last_log_{};
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

// Why a bind failed, in the words of the person who chose the address, and what to do.
std::string explain_listen_failure(const std::string& address, const boost::system::error_code& ec) {
  if (ec == net::error::address_in_use) {
    return fmt::format(
        "cannot listen on {}: the address is already in use (is another seatmirror, or another program, listening "
        "there?); stop it, or choose another --listen HOST:PORT",
        address);
  }
  if (ec == net::error::access_denied) {
    return fmt::format(
        "cannot listen on {}: permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE); choose a port "
        "above 1023 with --listen HOST:PORT",
        address);
  }
  if (ec == boost::system::errc::address_not_available) {
    return fmt::format(
        "cannot listen on {}: this machine has no such address; use 127.0.0.1, 0.0.0.0, ::1 or one of its own "
        "addresses in --listen HOST:PORT",
        address);
  }
  return fmt::format("cannot listen on {}: {}", address, ec.message());
}

tcp::acceptor bind_acceptor(net::io_context& io, const ServerConfig& config) {
  const auto address = config.host.find(':') != std::string::npos ? fmt::format("[{}]:{}", config.host, config.port)
                                                                  : fmt::format("{}:{}", config.host, config.port);
  boost::system::error_code ec;
  const auto ip = net::ip::make_address(config.host, ec);
  if (ec) throw std::runtime_error(fmt::format("cannot listen on {}: {} is not an IP address", address, config.host));
  const tcp::endpoint endpoint{ip, config.port};
  tcp::acceptor acceptor{net::make_strand(io)};
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error(explain_listen_failure(address, ec));
  return acceptor;
}

}  // namespace

// One io_context per network thread, each run by that thread alone (as nginx's workers): a
// connection's handlers, and the writer's answers to it, always run on the same thread, so no
// strand is needed and no thread wakes another to run a handler. The one-thread hint tells Asio
// that a thread's own posts can go to its private queue. The listening socket is on the first.
struct Server::Bound {
  explicit Bound(const ServerConfig& config)
      : ios(make_contexts(config.threads)), acceptor(bind_acceptor(*ios[0], config)) {}
  static std::vector<std::unique_ptr<net::io_context>> make_contexts(int count) {
    std::vector<std::unique_ptr<net::io_context>> ios;
    for (int i = 0; i < std::max(1, count); ++i) ios.push_back(std::make_unique<net::io_context>(1));
    return ios;
  }
  std::vector<std::unique_ptr<net::io_context>> ios;
  tcp::acceptor acceptor;
};

Server::Server(ServerConfig config) : config_(std::move(config)), bound_(std::make_unique<Bound>(config_)) {}

Server::~Server() = default;

void Server::run(const ServerRoutes& routes, const std::function<void(const std::string&)>& on_listening) {
  auto& ios = bound_->ios;
  auto& io = *ios[0];  // the listener's, and where signals and the shutdown timer run
  std::optional<net::ssl::context> tls;
  if (config_.tls) tls.emplace(make_server_tls_context(config_.certificate_chain, config_.private_key));

  std::atomic<bool> draining{false};
  ConnectionLimits limits{fit_to_descriptor_limit(config_.max_connections), config_.max_connections_per_peer,
                          routes.metrics};
  SessionRegistry registry;
  Router router{config_, routes.writer, routes.metrics, draining, routes.api, routes.seat_api};
  RequestObserver observer{routes.metrics};
  const SessionShared shared{config_, router, observer, registry, draining};
  auto listener = std::make_shared<Listener>(ios, std::move(bound_->acceptor), tls ? &*tls : nullptr, shared, limits);
  listener->accept();

  const auto bound = listener->local_endpoint();
  on_listening(
      fmt::format("{}://{}", config_.tls ? "https" : "http", host_port(bound.address().to_string(), bound.port())));

  // A thread with no connection yet has no work; without a guard its run() would return at once.
  std::vector<net::executor_work_guard<net::io_context::executor_type>> keep_running;
  for (auto& context : ios) keep_running.push_back(net::make_work_guard(*context));
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
      for (auto& context : ios) context->stop();
    });
    registry.stop_all([&] {
      net::post(io, [&] {
        grace_timer.cancel();
        keep_running.clear();  // each thread's run() returns once its last connection is done
      });
    });
  });

  std::vector<std::thread> threads;
  // The extra network threads are named for `top -H` and perf; the calling thread keeps the
  // process's name.
  for (std::size_t i = 1; i < ios.size(); ++i) {
    threads.emplace_back([&, i] {
      pthread_setname_np(pthread_self(), fmt::format("sm-net-{}", i).c_str());
      run_containing_failures(*ios[i]);
    });
  }
  run_containing_failures(io);
  for (auto& thread : threads) thread.join();
}

}  // namespace seatmirror::receiver
