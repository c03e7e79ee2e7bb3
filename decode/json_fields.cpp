#include "decode/json_fields.hpp"

#include "json/json_text.hpp"

#include "decode/bz_date.hpp"

#include <fmt/format.h>
#include <boost/json/array.hpp>

#include <algorithm>
#include <cmath>

namespace seatmirror {
namespace {

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

}  // namespace

bool is_object_id(std::string_view text) { return text.size() == 24 && std::all_of(text.begin(), text.end(), is_hex); }

bool is_uuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_position ? text[i] != '-' : !is_hex(text[i])) return false;
  }
  return true;
}

std::string to_lower_ascii(std::string_view text) {
  std::string lower{text};
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; });
  return lower;
}

std::string FieldReader::path_of(std::string_view key) const {
  return path_.empty() ? std::string{key} : fmt::format("{}.{}", path_, key);
}

void FieldReader::fail(std::string_view key, std::string_view what) const {
  const auto field = path_of(key);
  throw FieldError{reason_, field, fmt::format("{} {}", field, what)};
}

const boost::json::value* FieldReader::find(std::string_view key) const {
  const auto* value = object_.if_contains(key);
  return (value && !value->is_null()) ? value : nullptr;
}

std::optional<std::string> FieldReader::text(std::string_view key) const {
  const auto* value = find(key);
  if (!value) return std::nullopt;
  if (!value->is_string()) fail(key, "must be a string");
  return std::string{value->get_string()};
}

std::string FieldReader::required_text(std::string_view key) const {
  auto value = text(key);
  if (!value) fail(key, "is required");
  return *value;
}

std::optional<bool> FieldReader::boolean(std::string_view key) const {
  const auto* value = find(key);
  if (!value) return std::nullopt;
  if (!value->is_bool()) fail(key, "must be true or false");
  return value->get_bool();
}

bool FieldReader::required_boolean(std::string_view key) const {
  auto value = boolean(key);
  if (!value) fail(key, "is required");
  return *value;
}

std::optional<std::int64_t> FieldReader::integer(std::string_view key, std::int64_t min, std::int64_t max) const {
  const auto* value = find(key);
  if (!value) return std::nullopt;
  // 57.0 is an integer written as a float; 57.5 and 1e300 are not integers we can store.
  std::optional<std::int64_t> whole;
  if (value->is_int64()) {
    whole = value->get_int64();
  } else if (value->is_uint64()) {
    if (value->get_uint64() <= static_cast<std::uint64_t>(max)) {
      whole = static_cast<std::int64_t>(value->get_uint64());
    }
  } else if (value->is_double()) {
    const double d = value->get_double();
    if (std::trunc(d) == d && d >= -9.0e15 && d <= 9.0e15) whole = static_cast<std::int64_t>(d);
  }
  if (!whole || *whole < min || *whole > max) {
    fail(key, fmt::format("must be an integer from {} to {}", min, max));
  }
  return whole;
}

std::optional<double> FieldReader::number(std::string_view key) const {
  const auto* value = find(key);
  if (!value) return std::nullopt;
  if (!value->is_number()) fail(key, "must be a number");
  const double d = value->to_number<double>();
  if (!std::isfinite(d)) fail(key, "must be a finite number");
  return d;
}

std::optional<std::string> FieldReader::object_id(std::string_view key) const {
  auto value = text(key);
  if (!value) return std::nullopt;
  if (!is_object_id(*value)) fail(key, "must be an id of 24 hexadecimal characters");
  return to_lower_ascii(*value);
}

std::string FieldReader::required_object_id(std::string_view key) const {
  auto value = object_id(key);
  if (!value) fail(key, "is required (an id of 24 hexadecimal characters)");
  return *value;
}

std::optional<std::string> FieldReader::bz_date(std::string_view key) const {
  const auto* date = object(key);
  if (!date) return std::nullopt;
  const FieldReader fields{*date, path_of(key), reason_};
  // The offset is the account's zone, for display; the value is already an instant.
  if (!fields.integer("offset", -24 * 60, 24 * 60)) fields.fail("offset", "is required (minutes)");
  auto canonical = canonical_utc(fields.required_text("value"));
  if (!canonical) fields.fail("value", "must be an ISO-8601 date-time with a zone, e.g. 2024-06-26T16:48:25.107Z");
  return canonical;
}

std::optional<std::string> FieldReader::json_object(std::string_view key) const {
  const auto* value = object(key);
  if (!value) return std::nullopt;
  return json_text(*value);
}

const boost::json::object* FieldReader::object(std::string_view key) const {
  const auto* value = find(key);
  if (!value) return nullptr;
  if (!value->is_object()) fail(key, "must be an object");
  return &value->get_object();
}

const boost::json::object& FieldReader::required_object(std::string_view key) const {
  const auto* value = object(key);
  if (!value) fail(key, "is required (an object)");
  return *value;
}

const boost::json::array* FieldReader::array(std::string_view key) const {
  const auto* value = find(key);
  if (!value) return nullptr;
  if (!value->is_array()) fail(key, "must be an array");
  return &value->get_array();
}

}  // namespace seatmirror
