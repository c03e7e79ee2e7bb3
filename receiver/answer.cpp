#include "receiver/answer.hpp"

#include "json/json_text.hpp"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

namespace seatmirror::receiver {
namespace {

constexpr const char* kRetryAfterSeconds = "5";

}  // namespace

Answer json_answer(http::status status, const boost::json::value& body) {
  Answer answer;
  answer.response.result(status);
  answer.response.set(http::field::content_type, "application/json");
  answer.response.set(http::field::cache_control, "no-store");
  answer.response.body() = json_text(body);
  // Every 503 is temporary (shutting down, storage, too many connections): say when to come back.
  if (status == http::status::service_unavailable) answer.response.set(http::field::retry_after, kRetryAfterSeconds);
  return answer;
}

Answer error_answer(http::status status, std::string_view reason, std::string_view message) {
  auto answer = json_answer(status, {{"error", reason}, {"message", message}});
  answer.error = reason;
  return answer;
}

Answer method_not_allowed_answer(std::string_view path, const char* allowed) {
  auto refused = error_answer(http::status::method_not_allowed, "method_not_allowed",
                              fmt::format("{} accepts {} only", path, allowed));
  refused.response.set(http::field::allow, allowed);
  return refused;
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

bool equal_secrets(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool matches_any_secret(std::string_view presented, const std::vector<std::string>& accepted) {
  bool match = false;
  for (const auto& candidate : accepted) match |= equal_secrets(candidate, presented);  // no early exit
  return match;
}

void Reply::operator()(Answer answer) const {
  boost::asio::post(executor, [send = send, answer = std::move(answer)]() mutable { send(std::move(answer)); });
}

void Reply::later(std::function<Answer()> make_answer) const {
  boost::asio::post(executor, [send = send, make_answer = std::move(make_answer)] { send(make_answer()); });
}

}  // namespace seatmirror::receiver
