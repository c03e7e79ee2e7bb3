#include "layout/seat_layout_json.hpp"

#include "json/json_text.hpp"

#include <fmt/format.h>
#include <boost/json/parse.hpp>

#include <stdexcept>

namespace seatmirror {
namespace {

// The stored text is written directly, not through a JSON DOM: a seatmap write lays out ~80
// seats, and building then serialising their arrays was most of decode's allocations (perf).
// Text from the payload goes through Boost.JSON's serializer, which escapes it.
void append_text(std::string& out, std::string_view text) { append_json_string(out, text); }

void append_optional(std::string& out, const std::optional<std::string>& text) {
  if (text) {
    append_text(out, *text);
  } else {
    out += "null";
  }
}

void append_number(std::string& out, int number) { out += std::to_string(number); }

void append_field(std::string& out, const LayoutSeat& seat, SeatField field) {
  switch (field) {
    case kSeatRow:
      append_number(out, seat.row);
      break;
    case kSeatCol:
      append_number(out, seat.col);
      break;
    case kSeatLabel:
      append_optional(out, seat.label);
      break;
    case kSeatRowLabel:
      append_optional(out, seat.row_label);
      break;
    case kSeatStatus:
      append_text(out, seat.status);
      break;
    case kSeatClassId:
      append_optional(out, seat.seat_class_id);
      break;
    case kSeatFeeId:
      append_optional(out, seat.seat_fee_id);
      break;
    case kSeatOverlapped:
      out += '1';
      break;
    case kSeatCustom:
      out += *seat.custom;
      break;  // already JSON text, from the layout
    case kSeatFieldCount:
      break;
  }
}

// The seat's fields in SeatField order, null where a field has its default (status
// "available", not overlapped, no value) and cut after the last one that has not.
void append_seat(std::string& out, const LayoutSeat& seat) {
  std::array<bool, kSeatFieldCount> set{};
  set[kSeatRow] = set[kSeatCol] = set[kSeatLabel] = true;  // the label is null when set is
  set[kSeatRowLabel] = seat.row_label.has_value();
  set[kSeatStatus] = seat.status != "available";
  set[kSeatClassId] = seat.seat_class_id.has_value();
  set[kSeatFeeId] = seat.seat_fee_id.has_value();
  set[kSeatOverlapped] = seat.overlapped;
  set[kSeatCustom] = seat.custom.has_value();
  std::size_t end = kSeatFieldCount;
  while (!set[end - 1]) --end;
  out += '[';
  for (std::size_t field = 0; field < end; ++field) {
    if (field) out += ',';
    if (set[field]) {
      append_field(out, seat, static_cast<SeatField>(field));
    } else {
      out += "null";
    }
  }
  out += ']';
}

void append_section(std::string& out, const LaidOutSection& section) {
  out += "{\"section_id\":";
  append_text(out, section.section_id);
  if (!section.layout) {
    out += ",\"problem\":";
    append_text(out, section.problem);
    out += '}';
    return;
  }
  const auto& l = *section.layout;
  out +=
      fmt::format(",\"capacity\":{},\"rows\":{},\"cols\":{},\"aisle_col\":{},\"aisle_rows\":[{},{}],\"row_labels\":[",
                  l.capacity(), l.rows, l.cols, l.aisle_col, l.aisle_first_row, l.aisle_last_row);
  for (std::size_t i = 0; i < l.row_labels.size(); ++i) {
    out += i ? ",[" : "[";
    append_number(out, l.row_labels[i].first);
    out += ',';
    append_text(out, l.row_labels[i].second);
    out += ']';
  }
  out += "],\"facilities\":[";
  for (std::size_t i = 0; i < l.facilities.size(); ++i) {
    const auto& f = l.facilities[i];
    out += i ? ",{\"type\":" : "{\"type\":";
    append_text(out, f.type);
    out += fmt::format(",\"row\":{},\"col\":{},\"width\":{},\"height\":{},\"label\":", f.row, f.col, f.width, f.height);
    append_optional(out, f.label);
    out += '}';
  }
  out += "],\"seats\":[";
  for (std::size_t i = 0; i < l.seats.size(); ++i) {
    if (i) out += ',';
    append_seat(out, l.seats[i]);
  }
  out += "]}";
}

const boost::json::value& at(const boost::json::array& fields, std::size_t i) {
  static const boost::json::value null;
  return i < fields.size() ? fields[i] : null;
}

std::optional<std::string> text_or_none(const boost::json::value& v) {
  if (v.is_null()) return std::nullopt;
  return std::string{v.as_string()};
}

int integer(const boost::json::value& v) { return static_cast<int>(v.to_number<std::int64_t>()); }

LayoutSeat decode_seat(const boost::json::array& fields) {
  LayoutSeat seat;
  seat.row = integer(at(fields, kSeatRow));
  seat.col = integer(at(fields, kSeatCol));
  seat.label = text_or_none(at(fields, kSeatLabel));
  seat.row_label = text_or_none(at(fields, kSeatRowLabel));
  if (const auto status = text_or_none(at(fields, kSeatStatus))) seat.status = *status;
  seat.seat_class_id = text_or_none(at(fields, kSeatClassId));
  seat.seat_fee_id = text_or_none(at(fields, kSeatFeeId));
  seat.overlapped = !at(fields, kSeatOverlapped).is_null() && integer(at(fields, kSeatOverlapped)) != 0;
  if (!at(fields, kSeatCustom).is_null()) seat.custom = json_text(at(fields, kSeatCustom));
  return seat;
}

LaidOutSection decode_section(const boost::json::object& in) {
  LaidOutSection section{std::string{in.at("section_id").as_string()}, std::nullopt, ""};
  if (const auto* problem = in.if_contains("problem")) {
    section.problem = problem->as_string();
    return section;
  }
  SectionLayout l;
  l.rows = integer(in.at("rows"));
  l.cols = integer(in.at("cols"));
  l.aisle_col = integer(in.at("aisle_col"));
  const auto& aisle = in.at("aisle_rows").as_array();
  l.aisle_first_row = integer(aisle.at(0));
  l.aisle_last_row = integer(aisle.at(1));
  for (const auto& label : in.at("row_labels").as_array()) {
    l.row_labels.emplace_back(integer(label.as_array().at(0)), std::string{label.as_array().at(1).as_string()});
  }
  for (const auto& value : in.at("facilities").as_array()) {
    const auto& f = value.as_object();
    l.facilities.push_back({std::string{f.at("type").as_string()}, integer(f.at("row")), integer(f.at("col")),
                            integer(f.at("width")), integer(f.at("height")), text_or_none(f.at("label"))});
  }
  const auto& seats = in.at("seats").as_array();
  l.seats.reserve(seats.size());
  for (const auto& seat : seats) l.seats.push_back(decode_seat(seat.as_array()));
  section.layout = std::move(l);
  return section;
}

}  // namespace

std::string encode_layouts(const std::vector<LaidOutSection>& sections) {
  std::string out = "[";
  out.reserve(2048);
  for (std::size_t i = 0; i < sections.size(); ++i) {
    if (i) out += ',';
    append_section(out, sections[i]);
  }
  out += ']';
  return out;
}

std::vector<LaidOutSection> decode_layouts(std::string_view json) {
  std::vector<LaidOutSection> sections;
  try {
    const auto stored = boost::json::parse(json);
    for (const auto& section : stored.as_array()) sections.push_back(decode_section(section.as_object()));
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string{"a stored seat layout cannot be read: "} + e.what());
  }
  return sections;
}

}  // namespace seatmirror
