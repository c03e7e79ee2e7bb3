// Typed, validating access to the fields of one JSON object.
//
// Every accessor names the field by its full JSON path when it throws, so a rejection can
// say exactly what was wrong ("data.sections[1].capacity must be a non-negative integer").
// Optional accessors treat a missing field and an explicit null alike: absent.
#pragma once

#include "decode/rejection.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace seatmirror {

struct FieldError {
  RejectionReason reason;
  std::string field;
  std::string message;
};

class FieldReader {
 public:
  FieldReader(const boost::json::object& object, std::string path, RejectionReason reason)
      : object_(object), path_(std::move(path)), reason_(reason) {}

  std::string path_of(std::string_view key) const;
  [[noreturn]] void fail(std::string_view key, std::string_view what) const;

  std::optional<std::string> text(std::string_view key) const;
  std::string required_text(std::string_view key) const;
  std::optional<bool> boolean(std::string_view key) const;
  bool required_boolean(std::string_view key) const;
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max) const;
  std::optional<double> number(std::string_view key) const;
  // A 24-hex Mongo ObjectId, returned lowercase.
  std::optional<std::string> object_id(std::string_view key) const;
  std::string required_object_id(std::string_view key) const;
  // A BzDate {"offset": minutes, "value": ISO-8601}, returned as canonical ISO-8601 UTC.
  std::optional<std::string> bz_date(std::string_view key) const;
  // Any JSON object, returned serialised.
  std::optional<std::string> json_object(std::string_view key) const;
  const boost::json::object* object(std::string_view key) const;
  const boost::json::object& required_object(std::string_view key) const;
  const boost::json::array* array(std::string_view key) const;

 private:
  const boost::json::value* find(std::string_view key) const;

  const boost::json::object& object_;
  std::string path_;
  RejectionReason reason_;
};

bool is_object_id(std::string_view text);
bool is_uuid(std::string_view text);
std::string to_lower_ascii(std::string_view text);

}  // namespace seatmirror
