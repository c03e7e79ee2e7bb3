// The HTTPS receiver: a listener, a pool of threads running the sessions, and an orderly
// shutdown on SIGTERM/SIGINT: stop accepting, answer what is in flight, close idle
// connections, then return (at the latest after shutdown_grace_ms).
#pragma once

#include "projection/delivery_writer.hpp"
#include "receiver/metrics.hpp"
#include "receiver/server_config.hpp"

#include <functional>
#include <string>

namespace seatmirror::receiver {

class Server {
 public:
  Server(ServerConfig config, DeliveryWriter& writer, Metrics& metrics, const class ApiRoutes* api = nullptr,
         class SeatApiRoutes* seat_api = nullptr);

  // Binds, then calls `on_listening` with the URL actually bound (the port may have been 0),
  // and serves until a termination signal. Throws when it cannot bind.
  void run(const std::function<void(const std::string& base_url)>& on_listening);

 private:
  ServerConfig config_;
  DeliveryWriter& writer_;
  Metrics& metrics_;
  const ApiRoutes* api_;
  SeatApiRoutes* seat_api_;
};

}  // namespace seatmirror::receiver
