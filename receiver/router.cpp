#include "receiver/router.hpp"

#include "decode/bz_date.hpp"
#include "receiver/api_routes.hpp"
#include "receiver/seat_api_routes.hpp"
#include "views/svg_layout.hpp"

#include <boost/asio/post.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

namespace seatmirror::receiver {
namespace {

constexpr std::string_view kWebhookPath = "/webhooks/inventory";
constexpr const char* kRetryAfterSeconds = "5";

}  // namespace

Answer json_answer(http::status status, const boost::json::value& body) {
  Answer answer;
  answer.response.result(status);
  answer.response.set(http::field::content_type, "application/json");
  answer.response.set(http::field::cache_control, "no-store");
  answer.response.body() = boost::json::serialize(body);
  // Every 503 is temporary (shutting down, storage, too many connections): say when to come back.
  if (status == http::status::service_unavailable) answer.response.set(http::field::retry_after, kRetryAfterSeconds);
  return answer;
}

std::string kept_headers_json(const Request& request) {
  boost::json::object kept;
  for (const char* name : {"x-btrz-signature", "webhook-id", "webhook-timestamp", "webhook-signature",
                           "sequence-version", "content-type", "user-agent"}) {
    if (const auto value = request[name]; !value.empty()) kept[name] = std::string_view{value};
  }
  return boost::json::serialize(kept);
}

bool is_json_media_type(std::string_view content_type) {
  auto media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  std::string lower{media};
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return lower == "application/json" || (lower.starts_with("application/") && lower.ends_with("+json"));
}

Answer not_stored_answer(const std::string& error) {
  spdlog::error("write not stored, answered 503: {}", error);
  auto answer = error_answer(http::status::service_unavailable, "storage_unavailable",
                             "the request could not be stored; nothing was acknowledged, retry later");
  answer.error = "storage_unavailable";
  return answer;
}

Answer rejection_answer(const Rejection& rejection) {
  boost::json::object body{{"error", to_string(rejection.reason)}, {"message", rejection.message}};
  if (!rejection.field.empty()) body["field"] = rejection.field;
  auto answer = json_answer(rejection.reason == RejectionReason::invalid_data ? http::status::unprocessable_entity
                                                                                : http::status::bad_request,
                            body);
  answer.error = to_string(rejection.reason);
  answer.outcome = "rejected";
  return answer;
}

namespace {

Answer delivery_answer(const WriteResult& written) {
  const auto& result = written.result;
  if (!written.stored) return not_stored_answer(written.error);
  if (result.rejection) return rejection_answer(*result.rejection);
  auto answer = json_answer(http::status::ok, {{"status", to_string(result.outcome)}, {"id", result.event_id}});
  answer.event_id = result.event_id;
  answer.event = result.event;
  answer.outcome = to_string(result.outcome);
  return answer;
}

}  // namespace

Answer error_answer(http::status status, std::string_view reason, std::string_view message) {
  auto answer = json_answer(status, {{"error", reason}, {"message", message}});
  answer.error = reason;
  return answer;
}

void Reply::operator()(Answer answer) const {
  boost::asio::post(executor, [send = send, answer = std::move(answer)]() mutable { send(std::move(answer)); });
}

void Reply::later(std::function<Answer()> make_answer) const {
  boost::asio::post(executor, [send = send, make_answer = std::move(make_answer)] { send(make_answer()); });
}

void Router::handle(Request request, Reply answer) {
  const auto target = std::string_view{request.target()};
  const auto path = target.substr(0, target.find('?'));
  const bool is_get = request.method() == http::verb::get;
  auto method_not_allowed = [&](const char* allowed) {
    auto refused = error_answer(http::status::method_not_allowed, "method_not_allowed",
                                fmt::format("{} accepts {} only", path, allowed));
    refused.response.set(http::field::allow, allowed);
    answer(std::move(refused));
  };
  if (path == kWebhookPath) {
    if (request.method() != http::verb::post) return method_not_allowed("POST");
    return handle_webhook(std::move(request), std::move(answer));
  }
  if (path == "/healthz") return is_get ? handle_health(std::move(answer)) : method_not_allowed("GET");
  if (path == "/metrics") return is_get ? answer(handle_metrics()) : method_not_allowed("GET");
  if (api_ && path == "/") {  // the page holds no data; it reads /v1 with the user's token
    if (!is_get) return method_not_allowed("GET");
    Answer page;
    page.response.result(http::status::ok);
    page.response.set(http::field::content_type, "text/html; charset=utf-8");
    page.response.set("Content-Security-Policy",
                      "default-src 'self'; script-src 'unsafe-inline' 'self'; style-src 'unsafe-inline'; img-src 'self' data:; "
                      "frame-ancestors 'none'");
    page.response.body() = views::browse_page_html();
    return answer(std::move(page));
  }
  try {
    if (api_ && path.starts_with("/v1/")) {
      if (!is_get) return method_not_allowed("GET");
      if (auto api_answer = api_->handle(request)) return answer(std::move(*api_answer));
    }
    if (seat_api_ && seat_api_->handle(request, answer, draining_)) return;
  } catch (const ReadStoreUnavailable& e) {
    // The read store (a replica, or the primary) is down or restarting: temporary, not a bug.
    spdlog::error("read of {} not answered, 503: {}", path, e.what());
    auto unavailable = error_answer(http::status::service_unavailable, "read_store_unavailable",
                                    "the database reads are answered from cannot be reached; retry later");
    return answer(std::move(unavailable));
  }
  answer(error_answer(http::status::not_found, "not_found",
                      fmt::format("no such path; webhooks go to POST {}", kWebhookPath)));
}

void Router::handle_webhook(Request request, Reply answer) {
  if (!is_json_media_type(request[http::field::content_type])) {
    return answer(error_answer(http::status::unsupported_media_type, "unsupported_media_type",
                               "the body must be sent as Content-Type: application/json"));
  }
  if (draining_) {
    return answer(error_answer(http::status::service_unavailable, "shutting_down",
                               "seatmirror is shutting down; retry later"));
  }
  if (config_.verify_signatures) {
    const SignatureHeaders headers{request["x-btrz-signature"], request["webhook-id"], request["webhook-timestamp"],
                                   request["webhook-signature"]};
    const auto check = verify_signature(headers, request.body(), config_.signatures, std::chrono::system_clock::now());
    if (check.verdict != SignatureVerdict::valid) {
      metrics_.count_signature_failure(std::string{to_string(check.verdict)});
      return answer(error_answer(http::status::unauthorized, to_string(check.verdict), check.message));
    }
    if (check.late_by) {
      metrics_.count_late_signature();
      spdlog::warn("accepted a delivery signed {} s ago: beyond --tolerance ({} s), within --resend-window ({} s)",
                   check.late_by->count(), config_.signatures.tolerance.count(), config_.signatures.resend_window.count());
    }
  }
  auto delivery = prepare_delivery(std::move(request.body()), std::chrono::system_clock::now());
  if (std::holds_alternative<Rejection>(delivery.decoded)) delivery.headers = kept_headers_json(request);
  writer_.submit(std::move(delivery), [this, answer = std::move(answer)](WriteResult written) {
    answer.later([this, written = std::move(written)] {
      if (written.batch_size > 0) metrics_.observe_commit(written.batch_size, written.batch_committed);
      if (written.stored && !written.result.rejection) {
        // Unknown event names come from the sender; count them under one label so a new
        // event family cannot grow the metrics without bound.
        const bool known = written.result.outcome != Outcome::ignored;
        metrics_.count_event(known ? written.result.event : "other", std::string{to_string(written.result.outcome)});
        const auto& event = std::get<InventoryEvent>(written.input.decoded);
        const auto family = known ? written.result.event.substr(0, written.result.event.find('.')) : "other";
        metrics_.observe_stored_event(family, event.envelope.created, written.result.outcome == Outcome::applied,
                                      std::chrono::system_clock::now());
      } else if (written.stored) {
        metrics_.count_event("unparsed", "rejected");
      }
      return delivery_answer(written);
    });
  });
}

void Router::handle_health(Reply answer) {
  if (draining_) {
    return answer(error_answer(http::status::service_unavailable, "shutting_down", "seatmirror is shutting down"));
  }
  writer_.check_health([this, answer = std::move(answer)](bool writable, std::string why) {
    answer.later([this, writable, why = std::move(why)] {
      // The last successful commit tells an operator how long writes have been failing.
      const auto last = writer_.last_commit();
      const auto last_commit = last ? boost::json::value(format_utc(*last)) : nullptr;
      if (writable) return json_answer(http::status::ok, boost::json::object{{"status", "ok"}, {"last_commit", last_commit}});
      spdlog::error("health check: the database cannot be written: {}", why);
      auto unhealthy = json_answer(http::status::service_unavailable,
                                   boost::json::object{{"error", "database_unwritable"},
                                                       {"message", "the database cannot be written; see the server log"},
                                                       {"last_commit", last_commit}});
      unhealthy.error = "database_unwritable";
      return unhealthy;
    });
  });
}

Answer Router::handle_metrics() const {
  Answer answer;
  answer.response.result(http::status::ok);
  answer.response.set(http::field::content_type, "text/plain; version=0.0.4");
  metrics_.set_writer_state(writer_.queue_depth(), writer_.last_commit(), writer_.health_probe_writes());
  answer.response.body() = metrics_.exposition();
  return answer;
}

}  // namespace seatmirror::receiver
