#include "tests/support/seat_view_check.hpp"

#include "layout/seat_layout_json.hpp"
#include "storage/sql_binding.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/test_database.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <optional>

namespace seatmirror::test {
namespace {

// What the view should show for one field: the seat's value in the view's text form.
std::optional<std::string> expected(const LayoutSeat& seat, SeatField field) {
  switch (field) {
    case kSeatRow:
      return std::to_string(seat.row);
    case kSeatCol:
      return std::to_string(seat.col);
    case kSeatLabel:
      return seat.label;
    case kSeatRowLabel:
      return seat.row_label;
    case kSeatStatus:
      return seat.status;
    case kSeatClassId:
      return seat.seat_class_id;
    case kSeatFeeId:
      return seat.seat_fee_id;
    case kSeatOverlapped:
      return seat.overlapped ? "1" : "0";
    case kSeatCustom:
      return seat.custom;
    case kSeatFieldCount:
      break;
  }
  return std::nullopt;
}

bool non_default(const LayoutSeat& seat, SeatField field) {
  switch (field) {
    case kSeatStatus:
      return seat.status != "available";
    case kSeatOverlapped:
      return seat.overlapped;
    default:
      return expected(seat, field).has_value();
  }
}

bool same(SeatField field, const std::optional<std::string>& view, const std::optional<std::string>& layout) {
  if (field == kSeatCustom && view && layout) return boost::json::parse(*view) == boost::json::parse(*layout);
  return view == layout;
}

}  // namespace

std::string seatmap_with_every_seat_field() {
  auto event = boost::json::parse(read_file(fixtures_dir() / "seeds" / "006-seatmap.created.json")).as_object();
  auto& section = event["data"].as_object()["sections"].as_array().front().as_object();
  section["customSeats"] = boost::json::array{boost::json::object{{"row", 3},
                                                                  {"col", 2},
                                                                  {"label", "X"},
                                                                  {"status", "blocked"},
                                                                  {"seatClassId", "6744a1b2c3d4e5f6a7b8ca02"},
                                                                  {"seatFeeId", "6744a1b2c3d4e5f6a7b8c901"},
                                                                  {"note", "by the window"}}};
  section["facilities"].as_array().push_back(
      boost::json::object{{"type", "table"}, {"row", 5}, {"col", 2}, {"width", 1}, {"height", 1}});
  return boost::json::serialize(event);
}

SeatViewCheck check_seat_view(sql::Connection& db) {
  SeatViewCheck check{.non_default_seen = std::vector<int>(kSeatFieldCount, 0)};
  std::vector<std::string> quoted;
  for (const auto name : kSeatFieldNames) quoted.push_back(fmt::format("\"{}\"", name));
  const auto view_row = db.prepare(
      fmt::format("SELECT {} FROM seatmap_seats WHERE seatmap_id = ? AND section_id = ? AND \"row\" = ? AND col = ?",
                  fmt::join(quoted, ", ")));
  const auto seatmaps = db.prepare("SELECT id, layout FROM seatmaps");
  while (seatmaps->step()) {
    const auto seatmap_id = seatmaps->column_text(0);
    for (const auto& section : decode_layouts(seatmaps->column_text(1))) {
      if (!section.layout) continue;
      for (const auto& seat : section.layout->seats) {
        view_row->reset();
        bind_all(*view_row, seatmap_id, section.section_id, std::int64_t{seat.row}, std::int64_t{seat.col});
        const auto where = fmt::format("{} {} {},{}", seatmap_id, section.section_id, seat.row, seat.col);
        if (!view_row->step()) {
          check.differences.push_back(where + ": no view row");
          continue;
        }
        for (std::size_t i = 0; i < kSeatFieldCount; ++i) {
          const auto field = static_cast<SeatField>(i);
          const std::optional<std::string> in_view = view_row->column_type(static_cast<int>(i)) == sql::ColumnType::null
                                                         ? std::nullopt
                                                         : std::optional{view_row->column_text(static_cast<int>(i))};
          const auto in_layout = expected(seat, field);
          check.non_default_seen[i] += non_default(seat, field);
          if (!same(field, in_view, in_layout)) {
            check.differences.push_back(fmt::format("{} {}: view {}, layout {}", where, kSeatFieldNames[i],
                                                    in_view.value_or("NULL"), in_layout.value_or("NULL")));
          }
        }
      }
    }
  }
  return check;
}

}  // namespace seatmirror::test
