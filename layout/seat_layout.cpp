#include "layout/seat_layout.hpp"

#include "json/json_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

namespace seatmirror {
namespace {

constexpr int kMaxRows = 200;
constexpr int kMaxCols = 51;

// Layout fields are read leniently: a missing or mistyped one takes its default, because a
// picture with defaults beats no picture. The decoder has already refused an event whose
// dimensions or facilities are mistyped (the views cast them: decode/envelope.cpp), so the
// defaults here stand in for those only when absent; the rest (labels, custom seats,
// numbering) are this file's alone.
int int_field(const boost::json::object& o, std::string_view key, int fallback) {
  const auto* v = o.if_contains(key);
  if (!v) return fallback;
  if (v->is_int64() && v->get_int64() >= -100000 && v->get_int64() <= 100000) return static_cast<int>(v->get_int64());
  if (v->is_uint64() && v->get_uint64() <= 100000) return static_cast<int>(v->get_uint64());
  if (v->is_double() && v->get_double() >= -100000 && v->get_double() <= 100000)
    return static_cast<int>(v->get_double());
  return fallback;
}

bool bool_field(const boost::json::object& o, std::string_view key, bool fallback) {
  const auto* v = o.if_contains(key);
  return v && v->is_bool() ? v->get_bool() : fallback;
}

std::optional<std::string> text_field(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v && v->is_string()) return std::string{v->get_string()};
  if (v && v->is_int64()) return std::to_string(v->get_int64());
  return std::nullopt;
}

// An id given directly ("seatClassId": "…") or as an object with an _id ("seatClass": {…}).
std::optional<std::string> id_field(const boost::json::object& o, std::string_view id_key,
                                    std::string_view object_key) {
  if (auto id = text_field(o, id_key)) return id;
  const auto* v = o.if_contains(object_key);
  if (v && v->is_string()) return std::string{v->get_string()};
  if (v && v->is_object()) return text_field(v->get_object(), "_id");
  return std::nullopt;
}

const boost::json::array* array_field(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_array() ? &v->get_array() : nullptr;
}

PlacedFacility place(const boost::json::object& f, int rows, int cols) {
  PlacedFacility p;
  p.type = text_field(f, "type").value_or("item");
  p.label = text_field(f, "label");
  p.row = int_field(f, "row", 1);
  p.col = int_field(f, "col", 1);
  p.width = std::clamp(int_field(f, "width", 1), 1, cols);
  p.height = std::clamp(int_field(f, "height", 1), 1, rows);
  int alignment = 0;
  if (const auto* a = f.if_contains("alignment"); a && a->is_object()) alignment = int_field(a->get_object(), "key", 0);
  if (p.type == "driver") {
    p.col = 1, p.width = cols, p.height = 1;
  } else if (p.type == "accordion") {
    p.col = 1, p.width = cols, p.height = 1;
    p.row = p.row <= 1 ? 1 : rows;
  } else if (p.type == "door") {
    p.width = 1;
    p.col = alignment == 1 ? 1 : alignment == 2 ? cols : p.col;
  }
  // Everything stays inside the grid.
  p.col = std::clamp(p.col, 1, cols - p.width + 1);
  p.row = std::clamp(p.row, 1, rows - p.height + 1);
  return p;
}

// "a:b,c:d": 1-based positions among the labelled rows whose labels are hidden.
std::set<int> hidden_positions(const std::string& ranges) {
  std::set<int> hidden;
  std::string_view rest{ranges};
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const auto range = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    const auto colon = range.find(':');
    int from = 0, to = 0;
    const auto a = range.substr(0, colon);
    const auto b = colon == std::string_view::npos ? a : range.substr(colon + 1);
    if (std::from_chars(a.data(), a.data() + a.size(), from).ec != std::errc{} ||
        std::from_chars(b.data(), b.data() + b.size(), to).ec != std::errc{}) {
      continue;
    }
    for (int i = std::max(from, 1); i <= std::min(to, kMaxRows); ++i) hidden.insert(i);
  }
  return hidden;
}

}  // namespace

std::string label_at(const std::string& start, int type, int n) {
  if (type == 2) {  // letters: A..Z, then AA, AB, … (spreadsheet columns)
    int index = start.empty() || !std::isalpha(static_cast<unsigned char>(start[0]))
                    ? 0
                    : std::toupper(static_cast<unsigned char>(start[0])) - 'A';
    index += n;
    std::string text;
    for (++index; index > 0; index = (index - 1) / 26)
      text.insert(text.begin(), static_cast<char>('A' + (index - 1) % 26));
    return text;
  }
  int first = 1;
  std::from_chars(start.data(), start.data() + start.size(), first);
  return std::to_string(first + n);
}

int SectionLayout::capacity() const {
  return static_cast<int>(std::count_if(seats.begin(), seats.end(), [](const auto& s) { return !s.overlapped; }));
}

std::optional<SectionLayout> compute_section_layout(const boost::json::object& section, std::string& why) {
  SectionLayout layout;
  const int left = int_field(section, "seatsPerRowLeft", 2);
  const int right = int_field(section, "seatsPerRowRight", 2);
  layout.rows = int_field(section, "availableRows", 15);
  layout.cols = left + right + 1;  // availableCols is ignored, as Betterez does
  layout.aisle_col = left + 1;
  if (left < 0 || right < 0 || layout.rows < 1 || layout.rows > kMaxRows || layout.cols > kMaxCols) {
    why = fmt::format("{} rows of {} + {} seats is outside the drawable grid ({} rows, {} columns at most)",
                      layout.rows, left, right, kMaxRows, kMaxCols);
    return std::nullopt;
  }

  bool has_driver = false;
  if (const auto* facilities = array_field(section, "facilities")) {
    for (const auto& f : *facilities) {
      if (!f.is_object()) continue;
      layout.facilities.push_back(place(f.get_object(), layout.rows, layout.cols));
      has_driver |= layout.facilities.back().type == "driver";
    }
  }
  const bool last_row_no_gap = bool_field(section, "lastRowNoGap", false);
  layout.aisle_first_row = has_driver ? 2 : 1;
  const int aisle_rows = layout.rows - (last_row_no_gap ? 1 : 0) - (has_driver ? 1 : 0);
  layout.aisle_last_row = layout.aisle_first_row + aisle_rows - 1;

  // Row labels: the aisle rows in order, then the full back row when there is one.
  if (bool_field(section, "showRowLabels", true)) {
    const auto start = text_field(section, "startingRowLabel").value_or("1");
    const int type = int_field(section, "rowLabelType", 1);
    const auto hidden = hidden_positions(text_field(section, "rowLabelRange").value_or(""));
    const bool hidden_keep_numbering = !bool_field(section, "rowsEnumNoGaps", false);
    std::vector<int> labelled;
    for (int r = layout.aisle_first_row; r <= layout.aisle_last_row; ++r) labelled.push_back(r);
    if (last_row_no_gap) labelled.push_back(layout.rows);
    int n = 0;
    for (std::size_t i = 0; i < labelled.size(); ++i) {
      if (hidden.count(static_cast<int>(i) + 1)) {
        n += hidden_keep_numbering;  // a hidden row still uses up its label unless rowsEnumNoGaps
        continue;
      }
      layout.row_labels.emplace_back(labelled[i], label_at(start, type, n++));
    }
  }

  // Cells the driver or the aisle take are not seats; any other facility overlaps seats.
  auto covered_by = [&](int row, int col, bool driver) {
    return std::any_of(layout.facilities.begin(), layout.facilities.end(), [&](const PlacedFacility& f) {
      return (f.type == "driver") == driver && row >= f.row && row < f.row + f.height && col >= f.col &&
             col < f.col + f.width;
    });
  };
  std::map<std::pair<int, int>, const boost::json::object*> custom;
  if (const auto* entries = array_field(section, "customSeats")) {
    for (const auto& e : *entries) {
      if (e.is_object())
        custom[{int_field(e.get_object(), "row", 0), int_field(e.get_object(), "col", 0)}] = &e.get_object();
    }
  }
  std::map<std::pair<int, int>, std::string> statuses;
  if (const auto* entries = array_field(section, "seatsWithStatus")) {
    for (const auto& e : *entries) {
      if (!e.is_object()) continue;
      if (auto status = text_field(e.get_object(), "status")) {
        statuses[{int_field(e.get_object(), "row", 0), int_field(e.get_object(), "col", 0)}] = *status;
      }
    }
  }

  const auto seat_start = text_field(section, "startingSeatLabel").value_or("1");
  const int seat_label_type = int_field(section, "seatLabelType", 1);
  const bool right_to_left = int_field(section, "enumDir", 1) == 2;
  const bool restart_each_row = int_field(section, "enumType", 1) == 2;
  std::map<int, std::string> row_label_of(layout.row_labels.begin(), layout.row_labels.end());
  int counter = 0;
  for (int row = 1; row <= layout.rows; ++row) {
    if (restart_each_row) counter = 0;
    std::vector<LayoutSeat> row_seats;
    for (int i = 0; i < layout.cols; ++i) {
      const int col = right_to_left ? layout.cols - i : i + 1;
      if (layout.is_aisle(row, col) || covered_by(row, col, true)) continue;
      LayoutSeat seat{.row = row, .col = col};
      seat.overlapped = covered_by(row, col, false);
      if (auto it = row_label_of.find(row); it != row_label_of.end()) seat.row_label = it->second;
      if (auto it = statuses.find({row, col}); it != statuses.end()) seat.status = it->second;
      const auto* entry = custom.count({row, col}) ? custom[{row, col}] : nullptr;
      if (entry) {
        seat.custom = json_text(*entry);
        seat.seat_class_id = id_field(*entry, "seatClassId", "seatClass");
        seat.seat_fee_id = id_field(*entry, "seatFeeId", "seatFee");
        if (auto status = text_field(*entry, "status")) seat.status = *status;
      }
      if (!seat.overlapped) {  // overlapped seats are not sold: no label, no place in the count
        const auto own = entry ? text_field(*entry, "label") : std::nullopt;
        seat.label = own && !own->empty() ? *own : label_at(seat_start, seat_label_type, counter);
        ++counter;
      }
      row_seats.push_back(std::move(seat));
    }
    std::sort(row_seats.begin(), row_seats.end(), [](const auto& a, const auto& b) { return a.col < b.col; });
    for (auto& s : row_seats) layout.seats.push_back(std::move(s));
  }
  return layout;
}

}  // namespace seatmirror
