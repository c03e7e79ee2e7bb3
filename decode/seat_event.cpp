#include "decode/seat_event.hpp"

#include "json/json_text.hpp"

#include "decode/bz_date.hpp"
#include "decode/json_document.hpp"
#include "decode/json_fields.hpp"

#include <fmt/format.h>

namespace seatmirror {
namespace {

std::string required_name(const FieldReader& fields, std::string_view key) {
  auto value = fields.required_text(key);
  if (value.empty()) fields.fail(key, "must not be empty");
  if (value.size() > kMaxSeatEventTextBytes)
    fields.fail(key, fmt::format("must be at most {} bytes", kMaxSeatEventTextBytes));
  return value;
}

std::string required_timestamp(const FieldReader& fields, std::string_view key) {
  const auto text = fields.required_text(key);
  const auto canonical = canonical_utc(text);
  if (!canonical) fields.fail(key, "must be an ISO-8601 date-time with a zone, e.g. 2022-10-01T00:00:00Z");
  // Stored with milliseconds: finer digits would be dropped, and two bodies that differ only
  // there would count as the same event. Refused instead of silently rounded.
  const auto dot = text.find('.');
  if (dot != std::string::npos) {
    for (auto i = dot + 4; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      if (text[i] != '0') fields.fail(key, "must not be finer than a millisecond");
    }
  }
  return *canonical;
}

SeatEvent read_seat_event(const boost::json::object& body) {
  const FieldReader fields{body, "", RejectionReason::invalid_seat_event};
  SeatEvent event;
  event.customer_alias = required_name(fields, "customerAlias");
  event.seat_type = required_name(fields, "seatType");
  event.event_timestamp = required_timestamp(fields, "eventTimestamp");
  const auto total = fields.integer("total", 0, kMaxSeatTotal);
  if (!total) fields.fail("total", "is required (the seats in use, an integer from 0)");
  event.total = *total;
  if (body.contains("customerEventId")) event.customer_event_id = required_name(fields, "customerEventId");
  return event;
}

// The body as an object whose known members are in canonical form.
std::optional<boost::json::object> canonical_content(std::string_view body) {
  auto parsed = parse_json_document(body);
  auto* root = std::get_if<boost::json::value>(&parsed);
  if (!root || !root->is_object()) return std::nullopt;
  boost::json::object content = root->get_object();
  try {
    const auto event = read_seat_event(content);
    content["eventTimestamp"] = event.event_timestamp;
    content["total"] = event.total;
  } catch (const FieldError&) {
    return std::nullopt;
  }
  return content;
}

}  // namespace

std::string_view to_string(SeatEventOutcome outcome) {
  switch (outcome) {
    case SeatEventOutcome::created:
      return "created";
    case SeatEventOutcome::retry:
      return "retry";
    case SeatEventOutcome::rejected:
      return "rejected";
  }
  return "unknown";
}

SeatEventDecodeResult decode_seat_event(std::string_view body) {
  auto parsed = parse_json_document(body);
  if (auto* error = std::get_if<JsonSyntaxError>(&parsed)) {
    return Rejection{RejectionReason::malformed_json, "", std::move(error->message)};
  }
  const auto& root = std::get<boost::json::value>(parsed);
  if (!root.is_object()) return Rejection{RejectionReason::malformed_json, "", "body must be a JSON object"};
  if (auto field = find_text_with_nul(body, root))
    return text_with_nul(RejectionReason::invalid_seat_event, std::move(*field));
  try {
    return read_seat_event(root.get_object());
  } catch (const FieldError& error) {
    return Rejection{error.reason, error.field, error.message};
  }
}

bool same_seat_event_content(std::string_view a, std::string_view b) {
  const auto first = canonical_content(a);
  const auto second = canonical_content(b);
  return first && second && *first == *second;
}

std::string seat_event_body(const SeatEvent& event) {
  boost::json::object body;
  if (event.customer_event_id) body["customerEventId"] = *event.customer_event_id;
  body["customerAlias"] = event.customer_alias;
  body["seatType"] = event.seat_type;
  body["eventTimestamp"] = answer_timestamp(event.event_timestamp);
  body["total"] = event.total;
  return json_text(body);
}

std::string answer_timestamp(std::string_view canonical) {
  std::string text{canonical};
  if (text.size() == 24 && text.ends_with(".000Z")) text.replace(19, 5, "Z");
  return text;
}

SeatEventDecodeResult decode_seat_event_request(std::string_view body, std::string_view sequence_version) {
  if (sequence_version.empty() || sequence_version == kSequenceApiVersion) return decode_seat_event(body);
  return Rejection{
      RejectionReason::unsupported_version, "Sequence-Version",
      fmt::format("header Sequence-Version must be {} (or absent); seatmirror implements that version only",
                  kSequenceApiVersion)};
}

SeatEventPost prepare_seat_event_post(std::string body, std::string_view sequence_version,
                                      std::chrono::system_clock::time_point received_at, std::string headers) {
  auto decoded = decode_seat_event_request(body, sequence_version);
  return SeatEventPost{std::move(body), format_utc(received_at), std::move(decoded), std::move(headers)};
}

}  // namespace seatmirror
