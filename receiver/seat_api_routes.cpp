#include "receiver/seat_api_routes.hpp"

#include "receiver/request_headers.hpp"

#include "decode/json_fields.hpp"
#include "projection/uuid_v7.hpp"
#include "receiver/query_values.hpp"
#include "receiver/signature.hpp"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <boost/url/parse.hpp>

#include <chrono>

namespace seatmirror::receiver {
namespace {

constexpr std::int64_t kMaxNewSeat = 2'147'483'647;
constexpr std::size_t kMaxPathIdBytes = 256;

// The seat event as Sequence answers it (seed 000).
boost::json::object seat_event_json(const StoredSeatEvent& stored, const std::string& account_id) {
  const auto& e = stored.event;
  boost::json::object body{{"id", stored.id}};
  body["customerEventId"] = e.customer_event_id ? boost::json::value(*e.customer_event_id) : nullptr;
  body["customerAlias"] = e.customer_alias;
  body["seatType"] = e.seat_type;
  body["sequenceAccountId"] = account_id;
  body["eventTimestamp"] = answer_timestamp(e.event_timestamp);
  body["total"] = e.total;
  return body;
}

Answer unauthorized(std::string_view scheme, std::string_view message) {
  auto refused = error_answer(http::status::unauthorized, "unauthorized", message);
  refused.response.set(http::field::www_authenticate, scheme);
  return refused;
}

Answer shutting_down() {
  return error_answer(http::status::service_unavailable, "shutting_down", "seatmirror is shutting down; retry later");
}

}  // namespace

SeatApiRoutes::SeatApiRoutes(const SeatApiConfig& config, DeliveryWriter& writer, ReadModels& reads, Metrics& metrics)
    : account_id_(config.sequence_account_id), writer_(writer), reads_(reads), metrics_(metrics) {
  for (const auto& credential : config.credentials) basic_headers_.push_back("Basic " + encode_base64(credential));
  for (const auto& token : config.admin_tokens) bearer_headers_.push_back("Bearer " + token);
}

bool SeatApiRoutes::has_credentials(const Request& request) const {
  return matches_any_secret(request[http::field::authorization], basic_headers_);
}

bool SeatApiRoutes::has_admin_token(const Request& request) const {
  return matches_any_secret(request[http::field::authorization], bearer_headers_);
}

bool SeatApiRoutes::handle(Request& request, const Reply& reply, bool draining) {
  const auto url = boost::urls::parse_origin_form(request.target());
  if (!url) return false;
  std::vector<std::string> parts;
  for (auto segment : url->segments()) parts.push_back(segment);
  auto method_not_allowed = [&](const char* allowed) {
    reply(method_not_allowed_answer(url->path(), allowed));
    return true;
  };
  const bool seat_events = parts.size() >= 2 && parts[0] == "api" && parts[1] == "seat-events";
  if (seat_events && parts.size() <= 3) {
    const bool single = parts.size() == 3;
    if (request.method() != (single ? http::verb::get : http::verb::post))
      return method_not_allowed(single ? "GET" : "POST");
    if (!has_credentials(request)) {
      reply(unauthorized("Basic realm=\"seatmirror\"",
                         basic_headers_.empty()
                             ? "the seat event API is off: start serve with --seat-api-credentials-file"
                             : "send Authorization: Basic base64(key:secret)"));
      return true;
    }
    if (single) {
      reply(get_seat_event(parts[2]));
    } else if (draining) {
      reply(shutting_down());
    } else {
      post_seat_event(request, reply);
    }
    return true;
  }
  if (parts.size() == 5 && parts[0] == "org" && parts[2] == "entitlement" && parts[4] == "seat") {
    if (request.method() != http::verb::patch) return method_not_allowed("PATCH");
    if (!has_admin_token(request)) {
      reply(unauthorized("Bearer", bearer_headers_.empty()
                                       ? "the entitlement API is off: start serve with --admin-token-file"
                                       : "send Authorization: Bearer <admin token>"));
      return true;
    }
    if (draining) {
      reply(shutting_down());
    } else {
      patch_entitlement_seat(request, parts[1], parts[3], reply);
    }
    return true;
  }
  return false;
}

void SeatApiRoutes::post_seat_event(Request& request, const Reply& reply) {
  if (!is_json_media_type(request[http::field::content_type])) {
    return reply(error_answer(http::status::unsupported_media_type, "unsupported_media_type",
                              "the body must be sent as Content-Type: application/json"));
  }
  auto post =
      prepare_seat_event_post(std::move(request.body()), request["sequence-version"], std::chrono::system_clock::now());
  if (std::holds_alternative<Rejection>(post.decoded)) post.headers = kept_headers_json(request);
  writer_.submit(std::move(post), [this, reply](SeatEventWritten written) {
    reply.later([this, written = std::move(written)] {
      if (written.batch_size > 0) metrics_.observe_commit(written.batch_size, written.batch_committed);
      if (!written.stored) return not_stored_answer(written.error);
      const auto& result = written.result;
      metrics_.count_seat_api("seat_event", std::string{to_string(result.outcome)});
      if (result.rejection) return rejection_answer(*result.rejection);
      const bool created = result.outcome == SeatEventOutcome::created;
      auto answer =
          json_answer(created ? http::status::created : http::status::ok, seat_event_json(*result.event, account_id_));
      answer.event_id = result.event->id;
      answer.event = "seat_event";
      answer.outcome = to_string(result.outcome);
      return answer;
    });
  });
}

Answer SeatApiRoutes::get_seat_event(std::string_view id) const {
  const auto stored = is_uuid(id) ? reads_.seat_event(to_lower_ascii(id)) : std::nullopt;
  if (!stored) return error_answer(http::status::not_found, "not_found", fmt::format("no seat event with id {}", id));
  auto body = seat_event_json(*stored, account_id_);
  body["supersededBy"] = stored->superseded_by ? boost::json::value(*stored->superseded_by) : nullptr;
  return json_answer(http::status::ok, body);
}

void SeatApiRoutes::patch_entitlement_seat(const Request& request, std::string_view org_id,
                                           std::string_view entitlement_id, const Reply& reply) {
  if (org_id.empty() || entitlement_id.empty() || org_id.size() > kMaxPathIdBytes ||
      entitlement_id.size() > kMaxPathIdBytes) {
    return reply(error_answer(http::status::not_found, "not_found", "no such entitlement"));
  }
  const auto url = boost::urls::parse_origin_form(request.target());
  std::vector<std::string> values;
  for (auto param : url->params()) {
    if (param.key == "newSeat") values.push_back(param.value);
  }
  const auto new_seat = values.size() == 1 ? parse_integer_in(values.front(), 1, kMaxNewSeat) : std::nullopt;
  if (!new_seat) {
    auto refused = error_answer(
        http::status::bad_request, "invalid_new_seat",
        values.size() > 1 ? "send newSeat once"
                          : fmt::format("query parameter newSeat is required: an integer from 1 to {}", kMaxNewSeat));
    return reply(std::move(refused));
  }
  SeatChangeRequest change{std::string{org_id}, std::string{entitlement_id}, *new_seat,
                           std::chrono::system_clock::now()};
  writer_.submit(std::move(change), [this, reply](SeatChangeWritten written) {
    reply.later([this, written = std::move(written)] {
      if (written.batch_size > 0) metrics_.observe_commit(written.batch_size, written.batch_committed);
      if (!written.stored) return not_stored_answer(written.error);
      const auto& result = written.result;
      const auto& input = written.input;
      switch (result.outcome) {
        case SeatChangeOutcome::not_found:
          metrics_.count_seat_api("entitlement_seat", "not_found");
          return error_answer(
              http::status::not_found, "not_found",
              fmt::format("no entitlement {} in organization {}", input.entitlement_id, input.organization_id));
        case SeatChangeOutcome::conflict:
          metrics_.count_seat_api("entitlement_seat", "conflict");
          return error_answer(http::status::conflict, "seat_change_conflict", result.reason);
        case SeatChangeOutcome::changed:
        case SeatChangeOutcome::unchanged:
          break;
      }
      const bool changed = result.outcome == SeatChangeOutcome::changed;
      metrics_.count_seat_api("entitlement_seat", changed ? "changed" : "unchanged");
      auto answer = json_answer(http::status::ok, result.previous);
      answer.outcome = changed ? "changed" : "unchanged";
      if (result.seat_event) answer.event_id = result.seat_event->id;
      return answer;
    });
  });
}

}  // namespace seatmirror::receiver
