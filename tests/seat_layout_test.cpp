#include "layout/seat_layout.hpp"
#include "layout/seat_layout_json.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/test_database.hpp"

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include <tuple>

#include <algorithm>

using namespace seatmirror;

namespace {

boost::json::object seed_section() {
  const auto body = boost::json::parse(test::read_file(test::fixtures_dir() / "seeds" / "006-seatmap.created.json"));
  return body.at("data").at("sections").at(0).as_object();
}

SectionLayout layout_of(const boost::json::object& section) {
  std::string why;
  auto layout = compute_section_layout(section, why);
  INFO(why);
  REQUIRE(layout);
  return *layout;
}

const LayoutSeat& seat_at(const SectionLayout& layout, int row, int col) {
  const auto it = std::find_if(layout.seats.begin(), layout.seats.end(),
                               [&](const auto& s) { return s.row == row && s.col == col; });
  REQUIRE(it != layout.seats.end());
  return *it;
}

bool has_seat(const SectionLayout& layout, int row, int col) {
  return std::any_of(layout.seats.begin(), layout.seats.end(),
                     [&](const auto& s) { return s.row == row && s.col == col; });
}

}  // namespace

TEST_CASE("the worked example: the seed seatmap has 57 seats", "[layout]") {
  const auto layout = layout_of(seed_section());
  CHECK(layout.rows == 15);
  CHECK(layout.cols == 5);
  CHECK(layout.aisle_col == 3);
  CHECK(layout.aisle_first_row == 2);
  CHECK(layout.aisle_last_row == 14);  // 13 aisle rows
  CHECK(layout.capacity() == 57);
  // Row labels 1-13 on the aisle rows, 14 on the full back row.
  REQUIRE(layout.row_labels.size() == 14);
  CHECK(layout.row_labels.front() == std::pair<int, std::string>{2, "1"});
  CHECK(layout.row_labels[12] == std::pair<int, std::string>{14, "13"});
  CHECK(layout.row_labels.back() == std::pair<int, std::string>{15, "14"});
  // The driver takes row 1; the door (alignment right) is placed in the last column.
  CHECK_FALSE(has_seat(layout, 1, 1));
  const auto door =
      std::find_if(layout.facilities.begin(), layout.facilities.end(), [](auto& f) { return f.type == "door"; });
  REQUIRE(door != layout.facilities.end());
  CHECK(door->col == 5);
  // enumDir 2 (right to left), enumType 2 (restart each row).
  CHECK(seat_at(layout, 2, 5).label == "1");
  CHECK(seat_at(layout, 2, 4).label == "2");
  CHECK(seat_at(layout, 2, 2).label == "3");
  CHECK(seat_at(layout, 2, 1).label == "4");
  CHECK_FALSE(has_seat(layout, 2, 3));         // the aisle
  CHECK(seat_at(layout, 15, 3).label == "3");  // the back bench has a seat in the aisle column
  CHECK(seat_at(layout, 15, 1).label == "5");
  CHECK(seat_at(layout, 15, 1).row_label == "14");
}

TEST_CASE("without a driver the aisle starts at row 1 and labels run across the section", "[layout]") {
  boost::json::object section{{"availableRows", 10}, {"seatsPerRowLeft", 2}, {"seatsPerRowRight", 1},
                              {"enumDir", 1},        {"enumType", 1},        {"lastRowNoGap", false}};
  const auto layout = layout_of(section);
  CHECK(layout.aisle_first_row == 1);
  CHECK(layout.aisle_last_row == 10);
  CHECK(layout.capacity() == 30);
  CHECK(seat_at(layout, 1, 1).label == "1");
  CHECK(seat_at(layout, 1, 4).label == "3");
  CHECK(seat_at(layout, 2, 1).label == "4");
}

TEST_CASE("facilities overlap seats, doors and accordions move to their places", "[layout]") {
  boost::json::object section{{"availableRows", 8}, {"seatsPerRowLeft", 2}, {"seatsPerRowRight", 2}};
  section["facilities"] =
      boost::json::array{boost::json::object{{"type", "wc"}, {"row", 5}, {"col", 1}, {"width", 2}, {"height", 1}},
                         boost::json::object{{"type", "door"}, {"row", 3}, {"col", 4}, {"alignment", {{"key", 1}}}},
                         boost::json::object{{"type", "accordion"}, {"row", 6}, {"col", 2}}};
  const auto layout = layout_of(section);
  const auto find = [&](const char* type) {
    return *std::find_if(layout.facilities.begin(), layout.facilities.end(), [&](auto& f) { return f.type == type; });
  };
  CHECK(find("door").col == 1);
  CHECK(find("accordion").row == 8);
  CHECK(find("accordion").width == 5);
  CHECK(seat_at(layout, 5, 1).overlapped);
  CHECK_FALSE(seat_at(layout, 5, 1).label);
  CHECK(seat_at(layout, 3, 1).overlapped);  // under the door
  // 8 rows x 4 seats, less the wc (2), the door (1) and the accordion's row (4).
  CHECK(layout.capacity() == 32 - 2 - 1 - 4);
}

TEST_CASE("hidden row labels consume a label unless rowsEnumNoGaps", "[layout]") {
  boost::json::object section{{"availableRows", 5},
                              {"startingRowLabel", "A"},
                              {"rowLabelType", 2},
                              {"rowLabelRange", "2:3"},
                              {"rowsEnumNoGaps", false}};
  auto layout = layout_of(section);
  CHECK(layout.row_labels == std::vector<std::pair<int, std::string>>{{1, "A"}, {4, "D"}, {5, "E"}});
  section["rowsEnumNoGaps"] = true;
  layout = layout_of(section);
  CHECK(layout.row_labels == std::vector<std::pair<int, std::string>>{{1, "A"}, {4, "B"}, {5, "C"}});
}

TEST_CASE("custom seats supply a label, a class and a status", "[layout]") {
  auto section = seed_section();
  section["customSeats"] = boost::json::array{boost::json::object{
      {"row", 2}, {"col", 1}, {"label", "VIP"}, {"seatClassId", "64b7f0c2a1d3e4f5a6b7c8e0"}, {"status", "blocked"}}};
  const auto layout = layout_of(section);
  const auto& seat = seat_at(layout, 2, 1);
  CHECK(seat.label == "VIP");
  CHECK(seat.seat_class_id == "64b7f0c2a1d3e4f5a6b7c8e0");
  CHECK(seat.status == "blocked");
  CHECK(layout.capacity() == 57);
}

TEST_CASE("grids beyond a bus are refused, not computed", "[layout]") {
  std::string why;
  CHECK_FALSE(compute_section_layout(boost::json::object{{"availableRows", 100000}}, why));
  CHECK_THAT(why, Catch::Contains("outside the drawable grid"));
}

TEST_CASE("labels step as numbers or letters", "[layout]") {
  CHECK(label_at("1", 1, 0) == "1");
  CHECK(label_at("5", 1, 3) == "8");
  CHECK(label_at("A", 2, 0) == "A");
  CHECK(label_at("A", 2, 25) == "Z");
  CHECK(label_at("A", 2, 26) == "AA");
  CHECK(label_at("C", 2, 1) == "D");
}

TEST_CASE("a stored layout reads back as it was computed: labels, statuses, classes, overlaps, custom seats",
          "[layout]") {
  const auto section = boost::json::parse(R"({"_id": "667c46598d5daa05239b40da", "availableRows": 4,
    "seatsPerRowLeft": 2, "seatsPerRowRight": 1, "startingRowLabel": "A", "rowLabelType": 2,
    "facilities": [{"type": "wc", "row": 3, "col": 1, "width": 1, "height": 1, "label": "W\"C"}],
    "seatsWithStatus": [{"row": 2, "col": 4, "status": "blocked"}],
    "customSeats": [{"row": 1, "col": 1, "label": "1é", "seatClassId": "64b7f0c2a1d3e4f5a6b7c8e0",
                     "seatFee": {"_id": "64b7f0c2a1d3e4f5a6b7c8d9"}}]})")
                           .as_object();
  std::string why;
  const auto layout = compute_section_layout(section, why);
  REQUIRE(layout);
  const auto stored = decode_layouts(encode_layouts({{"s1", layout, ""}, {"s2", std::nullopt, "too wide"}}));
  REQUIRE(stored.size() == 2);
  CHECK(stored[1].section_id == "s2");
  CHECK_FALSE(stored[1].layout);
  CHECK(stored[1].problem == "too wide");
  REQUIRE(stored[0].layout);
  const auto& back = *stored[0].layout;
  CHECK(back.rows == layout->rows);
  CHECK(back.cols == layout->cols);
  CHECK(back.aisle_col == layout->aisle_col);
  CHECK(back.aisle_first_row == layout->aisle_first_row);
  CHECK(back.aisle_last_row == layout->aisle_last_row);
  CHECK(back.row_labels == layout->row_labels);
  REQUIRE(back.facilities.size() == 1);
  CHECK(back.facilities[0].label == "W\"C");
  REQUIRE(back.seats.size() == layout->seats.size());
  int overlapped = 0, custom = 0, blocked = 0;
  for (std::size_t i = 0; i < back.seats.size(); ++i) {
    const auto& a = layout->seats[i];
    const auto& b = back.seats[i];
    INFO("seat " << a.row << "," << a.col);
    CHECK(std::tie(a.row, a.col, a.label, a.row_label, a.status, a.seat_class_id, a.seat_fee_id, a.overlapped) ==
          std::tie(b.row, b.col, b.label, b.row_label, b.status, b.seat_class_id, b.seat_fee_id, b.overlapped));
    CHECK(a.custom.has_value() == b.custom.has_value());
    if (a.custom) CHECK(boost::json::parse(*a.custom) == boost::json::parse(*b.custom));
    overlapped += b.overlapped;
    custom += b.custom.has_value();
    blocked += b.status == "blocked";
  }
  CHECK(overlapped == 1);
  CHECK(custom == 1);
  CHECK(blocked == 1);
}
