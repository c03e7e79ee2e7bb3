// Parsing a webhook body into a JSON document in one pass over its bytes, refusing what
// Boost.JSON alone would accept silently:
//   - a key repeated within one object (Boost.JSON keeps the last one): a body that means
//     different things to different parsers could make what was verified, stored and
//     projected disagree;
//   - a number beyond ±1.8e308 (Boost.JSON reads it as infinity, which has no JSON form).
// The document's memory comes from one monotonic arena that lives as long as the value.
#pragma once

#include <boost/json/value.hpp>

#include <string>
#include <string_view>
#include <variant>

namespace seatmirror {

struct JsonSyntaxError {
  std::string message;  // a sentence for the sender, e.g. "body repeats the key \"id\" within one object"
};

std::variant<boost::json::value, JsonSyntaxError> parse_json_document(std::string_view bytes);

// True when two objects hold the same members, ignoring `ignored_key` in both.
bool equal_except(const boost::json::object& a, const boost::json::object& b, std::string_view ignored_key);

}  // namespace seatmirror
