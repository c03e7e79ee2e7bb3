#include "json/json_text.hpp"

#include <fmt/format.h>
#include <boost/json/serializer.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <iterator>

namespace seatmirror {
namespace {

void append_double(std::string& out, double number) {
  // Boost.JSON parses neither infinity nor NaN, but a value built in code may hold one; JSON
  // has no spelling for them, so they are written as null (as JavaScript's JSON.stringify does).
  if (!std::isfinite(number)) {
    out += "null";
    return;
  }
  std::array<char, 32> buffer;
  const auto [end, error] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), number);
  const std::string_view shortest(buffer.data(), static_cast<std::size_t>(end - buffer.data()));
  out += shortest;
  if (shortest.find_first_of(".e") == std::string_view::npos) out += ".0";
}

void append_object(std::string& out, const boost::json::object& object);
void append_array(std::string& out, const boost::json::array& array);

void append_value(std::string& out, const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::null:
      out += "null";
      return;
    case boost::json::kind::bool_:
      out += value.get_bool() ? "true" : "false";
      return;
    case boost::json::kind::int64:
      fmt::format_to(std::back_inserter(out), "{}", value.get_int64());
      return;
    case boost::json::kind::uint64:
      fmt::format_to(std::back_inserter(out), "{}", value.get_uint64());
      return;
    case boost::json::kind::double_:
      append_double(out, value.get_double());
      return;
    case boost::json::kind::string:
      append_json_string(out, value.get_string());
      return;
    case boost::json::kind::array:
      append_array(out, value.get_array());
      return;
    case boost::json::kind::object:
      append_object(out, value.get_object());
      return;
  }
}

void append_object(std::string& out, const boost::json::object& object) {
  out += '{';
  bool first = true;
  for (const auto& member : object) {
    if (!first) out += ',';
    first = false;
    append_json_string(out, member.key());
    out += ':';
    append_value(out, member.value());
  }
  out += '}';
}

void append_array(std::string& out, const boost::json::array& array) {
  out += '[';
  bool first = true;
  for (const auto& element : array) {
    if (!first) out += ',';
    first = false;
    append_value(out, element);
  }
  out += ']';
}

}  // namespace

// Strings go through Boost.JSON's own serializer so their escaping is exactly Boost's.
void append_json_string(std::string& out, std::string_view text) {
  boost::json::serializer serializer;
  serializer.reset(boost::json::string_view{text.data(), text.size()});
  std::array<char, 512> buffer;
  while (!serializer.done()) out += serializer.read(buffer.data(), buffer.size());
}

void append_json_text(std::string& out, const boost::json::value& value) { append_value(out, value); }

std::string json_text(const boost::json::value& value) {
  std::string out;
  append_value(out, value);
  return out;
}

std::string json_text(const boost::json::object& object) {
  std::string out;
  append_object(out, object);
  return out;
}

std::string json_text(const boost::json::array& array) {
  std::string out;
  append_array(out, array);
  return out;
}

}  // namespace seatmirror
