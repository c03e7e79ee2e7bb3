// The seats of a seatmap section, computed from its layout fields the way Betterez's seatmap
// library lays them out (the rules, and where we chose, are in docs/seat-layout.md).
//
// Pure computation: JSON in, a grid of seats and placed facilities out; no SQL, no drawing.
#pragma once

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

namespace seatmirror {

struct LayoutSeat {
  int row = 0, col = 0;                  // 1-based grid position
  std::optional<std::string> label;      // none for an overlapped seat
  std::optional<std::string> row_label;  // the label of its row, when the row has one
  std::string status = "available";
  std::optional<std::string> seat_class_id, seat_fee_id;
  bool overlapped = false;            // under a facility: drawn, not sold, not counted
  std::optional<std::string> custom;  // the matching customSeats entry, as JSON
};

struct PlacedFacility {
  std::string type;
  int row = 0, col = 0, width = 1, height = 1;
  std::optional<std::string> label;
};

struct SectionLayout {
  int rows = 0, cols = 0, aisle_col = 0;
  int aisle_first_row = 0, aisle_last_row = -1;         // empty when last < first
  std::vector<std::pair<int, std::string>> row_labels;  // grid row → label
  std::vector<LayoutSeat> seats;                        // row by row, left to right
  std::vector<PlacedFacility> facilities;

  int capacity() const;  // seats that are not overlapped
  bool is_aisle(int row, int col) const { return col == aisle_col && row >= aisle_first_row && row <= aisle_last_row; }
};

// nullopt (with `why`) when the section's dimensions are out of bounds (over 200 rows or
// 51 columns): such a grid is not a bus, and computing it would only cost memory.
std::optional<SectionLayout> compute_section_layout(const boost::json::object& section, std::string& why);

// "1".."26" or "A".."Z", "AA", … for the n-th (0-based) label after `start`.
std::string label_at(const std::string& start, int type, int n);

}  // namespace seatmirror
