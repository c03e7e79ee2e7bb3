// The seat usage API on the webhook listener (issue 9):
//   POST  /api/seat-events                  Sequence's API (seed 000): HTTP Basic credentials
//   GET   /api/seat-events/{id}             the event as created, plus supersededBy
//   PATCH /org/{orgId}/entitlement/{id}/seat?newSeat=N
//                                           Suger's API (seed 004): admin bearer tokens
// Writes go through the DeliveryWriter like webhooks: answered only after their commit, and
// answers are built on the session's executor. Credentials and tokens are compared in
// constant time; with none configured a route answers 401.
#pragma once

#include "projection/delivery_writer.hpp"
#include "read_side/read_models.hpp"
#include "receiver/answer.hpp"
#include "receiver/metrics.hpp"

#include <string>
#include <vector>

namespace seatmirror::receiver {

struct SeatApiConfig {
  std::vector<std::string> credentials;   // "key:secret", one per API client
  std::vector<std::string> admin_tokens;  // bearer tokens for the entitlement route
  std::string sequence_account_id;        // named in every seat event answer
};

class SeatApiRoutes {
 public:
  SeatApiRoutes(const SeatApiConfig& config, DeliveryWriter& writer, ReadModels& reads, Metrics& metrics);

  // True when the path is the seat API's; it then answers through `reply` exactly once.
  // While `draining`, writes are answered 503.
  bool handle(Request& request, const Reply& reply, bool draining);

 private:
  void post_seat_event(Request& request, const Reply& reply);
  Answer get_seat_event(std::string_view id) const;
  void patch_entitlement_seat(const Request& request, std::string_view org_id, std::string_view entitlement_id,
                              const Reply& reply);
  bool has_credentials(const Request& request) const;
  bool has_admin_token(const Request& request) const;

  std::vector<std::string> basic_headers_;  // "Basic base64(key:secret)", as clients send them
  std::vector<std::string> bearer_headers_;
  std::string account_id_;
  DeliveryWriter& writer_;
  ReadModels& reads_;
  Metrics& metrics_;
};

}  // namespace seatmirror::receiver
