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
#include "receiver/metrics.hpp"
#include "receiver/server_config.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/value.hpp>

#include <atomic>
#include <functional>
#include <string>

namespace seatmirror::receiver {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

struct Answer {
  Response response;
  std::string event_id, event, outcome, error;  // for the request log
};

// {"error": reason, "message": text}, with the right status and content type.
Answer error_answer(http::status status, std::string_view reason, std::string_view message);
// A JSON body, never cached.
Answer json_answer(http::status status, const boost::json::value& body);
// 503 for a write that was not stored (logged with its cause): nothing acknowledged.
Answer not_stored_answer(const std::string& error);
// The answer to a refused body: 400 (422 for an inventory event whose data breaks a rule).
Answer rejection_answer(const Rejection& rejection);
// The headers kept with a refused body (rejected_events.headers), as a JSON object: those that
// bear on its signature and meaning, never Authorization.
std::string kept_headers_json(const Request& request);
// application/json or application/*+json, any parameters.
bool is_json_media_type(std::string_view content_type);

class ApiRoutes;
class SeatApiRoutes;

// How an answer gets back to its session: `send` runs on `executor` (the session's strand).
struct Reply {
  boost::asio::any_io_executor executor;
  std::function<void(Answer)> send;

  void operator()(Answer answer) const;                     // posts send(answer) to executor
  void later(std::function<Answer()> make_answer) const;    // posts send(make_answer()) to executor
};

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
