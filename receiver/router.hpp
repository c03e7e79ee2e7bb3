// What each request gets, independent of the connection it came on:
//   POST /webhooks/inventory  verify → decode (here, on the network thread) → hand to the
//                             DeliveryWriter → answer after the commit
//   GET  /healthz             200 while the database takes writes, else 503
//   GET  /metrics             Prometheus text
//   GET  /v1/…                the read API (api_routes.hpp), when configured
//   /api/seat-events, /org/…  the seat usage API (seat_api_routes.hpp)
// Every answer is built and counted on the session's executor, never on the writer's thread:
// the writer only hands back a WriteResult.
#pragma once

#include "projection/delivery_writer.hpp"
#include "receiver/answer.hpp"
#include "receiver/metrics.hpp"
#include "receiver/server_config.hpp"

#include <atomic>
#include <functional>
#include <string>

namespace seatmirror::receiver {

class ApiRoutes;
class SeatApiRoutes;

class Router {
 public:
  // `api` (may be null) answers GET /v1/…: the read-only JSON API; `seat_api` (may be null)
  // the seat usage API.
  Router(const ServerConfig& config, DeliveryWriter& writer, Metrics& metrics, const std::atomic<bool>& draining,
         const ApiRoutes* api = nullptr, SeatApiRoutes* seat_api = nullptr)
      : config_(config), writer_(writer), metrics_(metrics), draining_(draining), api_(api), seat_api_(seat_api) {}

  // Answers through `reply` exactly once.
  void handle(Request request, Reply reply);

 private:
  void handle_webhook(Request request, Reply reply);
  void handle_health(Reply reply);
  Answer handle_metrics() const;

  const ServerConfig& config_;
  DeliveryWriter& writer_;
  Metrics& metrics_;
  const std::atomic<bool>& draining_;
  const ApiRoutes* api_;
  SeatApiRoutes* seat_api_;
};

}  // namespace seatmirror::receiver
