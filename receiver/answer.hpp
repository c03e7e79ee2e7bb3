// What every route answers with, and how an answer gets back to its session: the answer type,
// the Reply that posts it to the session's executor (the only thread that builds and writes
// answers), and the builders every route shares, so each kind of answer is spelled once.
#pragma once

#include "decode/rejection.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/value.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

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
// A JSON body, never cached; a 503 says when to retry.
Answer json_answer(http::status status, const boost::json::value& body);
// 405 naming the methods `path` accepts, with Allow.
Answer method_not_allowed_answer(std::string_view path, const char* allowed);
// 503 for a write that was not stored (logged with its cause): nothing acknowledged.
Answer not_stored_answer(const std::string& error);
// The answer to a refused body: 400 (422 for an inventory event whose data breaks a rule).
Answer rejection_answer(const Rejection& rejection);

// Whether `presented` equals any of `accepted`, comparing every candidate in constant time, so
// that the time taken tells nothing about a secret.
bool matches_any_secret(std::string_view presented, const std::vector<std::string>& accepted);
bool equal_secrets(std::string_view a, std::string_view b);

// How an answer gets back to its session: `send` runs on `executor` (the session's network
// thread).
struct Reply {
  boost::asio::any_io_executor executor;
  std::function<void(Answer)> send;

  void operator()(Answer answer) const;                   // posts send(answer) to executor
  void later(std::function<Answer()> make_answer) const;  // posts send(make_answer()) to executor
};

}  // namespace seatmirror::receiver
