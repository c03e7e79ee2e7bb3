// The HTTPS receiver: a listener, network threads that each run their own connections (one
// io_context per thread, connections handed out in turn as they are accepted), and an orderly
// shutdown on SIGTERM/SIGINT: stop accepting, answer what is in flight, close idle
// connections, then return (at the latest after shutdown_grace_ms).
// The socket is bound when the Server is made, before run() is given what the routes need, so
// that serve finds a taken port before it creates or migrates a database.
#pragma once

#include "projection/delivery_writer.hpp"
#include "receiver/metrics.hpp"
#include "receiver/server_config.hpp"

#include <functional>
#include <memory>
#include <string>

namespace seatmirror::receiver {

// What the routes answer with; all of it outlives run().
struct ServerRoutes {
  DeliveryWriter& writer;
  Metrics& metrics;
  const class ApiRoutes* api = nullptr;
  class SeatApiRoutes* seat_api = nullptr;
};

class Server {
 public:
  // Binds config.host:config.port. Throws std::runtime_error naming the address, the cause in
  // plain words and what to do (a port in use: another --listen).
  explicit Server(ServerConfig config);
  ~Server();

  // Calls `on_listening` with the URL actually bound (the port may have been 0), and serves
  // until a termination signal.
  void run(const ServerRoutes& routes, const std::function<void(const std::string& base_url)>& on_listening);

 private:
  struct Bound;  // the network threads' io_contexts and the listening socket
  ServerConfig config_;
  std::unique_ptr<Bound> bound_;
};

}  // namespace seatmirror::receiver
