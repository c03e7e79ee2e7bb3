#include "decode/json_document.hpp"

#include "decode/checked_json_builder.hpp"

#include <fmt/format.h>
#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/monotonic_resource.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <vector>

namespace seatmirror {

std::variant<boost::json::value, JsonSyntaxError> parse_json_document(std::string_view bytes) {
  // One arena per document, released with the value: a DOM is many small allocations.
  auto storage = boost::json::make_shared_resource<boost::json::monotonic_resource>();
  boost::json::basic_parser<CheckedJsonBuilder> parser{boost::json::parse_options{}, storage};
  boost::system::error_code ec;
  const auto used = parser.write_some(false, bytes.data(), bytes.size(), ec);
  if (!ec && used != bytes.size()) ec = boost::json::error::extra_data;
  if (ec) {
    if (!parser.handler().problem().empty()) return JsonSyntaxError{parser.handler().problem()};
    return JsonSyntaxError{fmt::format("body is not valid JSON: {}", ec.message())};
  }
  return parser.handler().release();
}

namespace {

bool holds_nul(std::string_view text) { return text.find('\0') != std::string_view::npos; }

std::optional<std::string> path_to_nul(const boost::json::value& value, const std::string& path) {
  if (value.is_string()) return holds_nul(value.get_string()) ? std::optional{path} : std::nullopt;
  if (value.is_array()) {
    const auto& array = value.get_array();
    for (std::size_t i = 0; i < array.size(); ++i) {
      if (auto found = path_to_nul(array[i], fmt::format("{}[{}]", path, i))) return found;
    }
  }
  if (value.is_object()) {
    for (const auto& [key, member] : value.get_object()) {
      const auto member_path = path.empty() ? std::string{key} : fmt::format("{}.{}", path, std::string_view{key});
      if (holds_nul(key)) return member_path;
      if (auto found = path_to_nul(member, member_path)) return found;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> find_text_with_nul(std::string_view body, const boost::json::value& document) {
  if (body.find("\\u0000") == std::string_view::npos) return std::nullopt;
  return path_to_nul(document, "");
}

bool equal_except(const boost::json::object& a, const boost::json::object& b, std::string_view ignored_key) {
  const auto members = [&](const boost::json::object& o) { return o.size() - (o.contains(ignored_key) ? 1 : 0); };
  if (members(a) != members(b)) return false;
  for (const auto& [key, value] : a) {
    if (key == ignored_key) continue;
    const auto* other = b.if_contains(key);
    if (!other || *other != value) return false;
  }
  return true;
}

}  // namespace seatmirror
