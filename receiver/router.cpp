#include "receiver/router.hpp"

#include "json/json_text.hpp"

#include "decode/bz_date.hpp"
#include "receiver/api_routes.hpp"
#include "receiver/request_headers.hpp"
#include "receiver/seat_api_routes.hpp"
#include "views/svg_layout.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cctype>

namespace seatmirror::receiver {
namespace {

constexpr std::string_view kWebhookPath = "/webhooks/inventory";

}  // namespace

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

void Router::handle(Request request, Reply answer) {
  const auto target = std::string_view{request.target()};
  const auto path = target.substr(0, target.find('?'));
  const bool is_get = request.method() == http::verb::get;
  auto method_not_allowed = [&](const char* allowed) { answer(method_not_allowed_answer(path, allowed)); };
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
    page.response.set(
        "Content-Security-Policy",
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
    return answer(
        error_answer(http::status::service_unavailable, "shutting_down", "seatmirror is shutting down; retry later"));
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
                   check.late_by->count(), config_.signatures.tolerance.count(),
                   config_.signatures.resend_window.count());
    }
  }
  auto delivery = prepare_delivery(std::move(request.body()), std::chrono::system_clock::now());
  if (std::holds_alternative<Rejection>(delivery.decoded)) delivery.headers = kept_headers_json(request);
  writer_.submit(std::move(delivery), [this, answer = std::move(answer)](WriteResult written) {
    answer.later([this, written = std::move(written)] {
      if (written.batch_size > 0) metrics_.observe_commit(written.batch_size, written.batch_committed);
      if (written.stored && !written.result.rejection) {
        // Unknown event names come from the sender; count them under one label so a new
        // event family cannot grow the metrics without bound (a duplicate of one included).
        const auto& event = std::get<InventoryEvent>(written.input.decoded);
        const bool known = !std::holds_alternative<UnknownEvent>(event.data);
        metrics_.count_event(known ? written.result.event : "other", std::string{to_string(written.result.outcome)});
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
      if (writable) {
        boost::json::object health{{"status", "ok"}, {"last_commit", last_commit}};
        if (auto last_sync = metrics_.last_sync()) health["last_sync"] = std::move(*last_sync);
        return json_answer(http::status::ok, std::move(health));
      }
      spdlog::error("health check: the database cannot be written: {}", why);
      auto unhealthy =
          json_answer(http::status::service_unavailable,
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
