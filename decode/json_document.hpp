// Parsing a webhook body into a JSON document in one pass over its bytes, refusing what
// Boost.JSON alone would accept silently:
//   - a key repeated within one object (Boost.JSON keeps the last one): a body that means
//     different things to different parsers could make what was verified, stored and
//     projected disagree;
//   - a number beyond ±1.8e308 (Boost.JSON reads it as infinity, which has no JSON form).
// The document's memory comes from one monotonic arena that lives as long as the value.
#pragma once

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace seatmirror {

struct JsonSyntaxError {
  std::string message;  // a sentence for the sender, e.g. "body repeats the key \"id\" within one object"
};

std::variant<boost::json::value, JsonSyntaxError> parse_json_document(std::string_view bytes);

// Where the first string or key holding U+0000 is, as a field path ("data.sections[2].name"),
// or nothing when none does. A NUL can be sent (as \u0000) but not stored as text: PostgreSQL
// refuses it and C strings end at it, so a stored value would differ from the acknowledged one.
// Cheap when there is none: the body's bytes are searched for the escape before any walk.
std::optional<std::string> find_text_with_nul(std::string_view body, const boost::json::value& document);

// True when two objects hold the same members, ignoring `ignored_key` in both.
bool equal_except(const boost::json::object& a, const boost::json::object& b, std::string_view ignored_key);

}  // namespace seatmirror
