#include "projection/seat_layout_json.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <stdexcept>

namespace seatmirror {
namespace {

boost::json::value optional_text(const std::optional<std::string>& text) {
  return text ? boost::json::value(*text) : boost::json::value(nullptr);
}

// Element by element: GCC 12 misreads initializer lists of json values (dangling-pointer).
boost::json::array pair_of(int number, const std::string& text) {
  boost::json::array pair;
  pair.emplace_back(number);
  pair.emplace_back(text);
  return pair;
}

boost::json::array encode_seat(const LayoutSeat& seat) {
  boost::json::array fields;
  fields.reserve(9);
  fields.emplace_back(seat.row);
  fields.emplace_back(seat.col);
  fields.push_back(optional_text(seat.label));
  fields.push_back(optional_text(seat.row_label));
  fields.push_back(seat.status == "available" ? boost::json::value(nullptr) : boost::json::value(seat.status));
  fields.push_back(optional_text(seat.seat_class_id));
  fields.push_back(optional_text(seat.seat_fee_id));
  fields.push_back(seat.overlapped ? boost::json::value(1) : boost::json::value(nullptr));
  if (seat.custom) fields.push_back(boost::json::parse(*seat.custom));
  while (fields.size() > 3 && fields.back().is_null()) fields.pop_back();  // ~12 bytes a plain seat
  return fields;
}

boost::json::object encode_section(const LaidOutSection& section) {
  boost::json::object out{{"section_id", section.section_id}};
  if (!section.layout) {
    out["problem"] = section.problem;
    return out;
  }
  const auto& l = *section.layout;
  out["capacity"] = l.capacity();
  out["rows"] = l.rows;
  out["cols"] = l.cols;
  out["aisle_col"] = l.aisle_col;
  boost::json::array aisle_rows;
  aisle_rows.emplace_back(l.aisle_first_row);
  aisle_rows.emplace_back(l.aisle_last_row);
  out["aisle_rows"] = std::move(aisle_rows);
  boost::json::array labels, facilities, seats;
  for (const auto& [row, label] : l.row_labels) labels.push_back(pair_of(row, label));
  for (const auto& f : l.facilities) {
    facilities.push_back({{"type", f.type}, {"row", f.row}, {"col", f.col}, {"width", f.width},
                          {"height", f.height}, {"label", optional_text(f.label)}});
  }
  seats.reserve(l.seats.size());
  for (const auto& seat : l.seats) seats.push_back(encode_seat(seat));
  out["row_labels"] = std::move(labels);
  out["facilities"] = std::move(facilities);
  out["seats"] = std::move(seats);
  return out;
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
  seat.row = integer(at(fields, 0));
  seat.col = integer(at(fields, 1));
  seat.label = text_or_none(at(fields, 2));
  seat.row_label = text_or_none(at(fields, 3));
  if (const auto status = text_or_none(at(fields, 4))) seat.status = *status;
  seat.seat_class_id = text_or_none(at(fields, 5));
  seat.seat_fee_id = text_or_none(at(fields, 6));
  seat.overlapped = !at(fields, 7).is_null() && integer(at(fields, 7)) != 0;
  if (!at(fields, 8).is_null()) seat.custom = boost::json::serialize(at(fields, 8));
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
  boost::json::array out;
  out.reserve(sections.size());
  for (const auto& section : sections) out.push_back(encode_section(section));
  return boost::json::serialize(out);
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
