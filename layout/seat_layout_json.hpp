// The stored form of computed seat layouts: seatmaps.layout holds one JSON array per seatmap,
// one element per section in section order. Written once per seatmap write (from the layouts
// decode_event computed), read back by every picture and by the seatmap_seats view, so that
// no reader recomputes a layout or reads a ledger body.
//
// A section element: {"section_id", "capacity", "rows", "cols", "aisle_col", "aisle_rows":
// [first, last], "row_labels": [[row, label]…], "facilities": [{type,row,col,width,height,label}…],
// "seats": [[the fields of one seat, in SeatField order]…]} where a seat array stops after its last non-default value
// (status "available" and overlapped 0 are written as null or left out), or {"section_id", "problem"} when the section
// could not be laid out.
#pragma once

#include "layout/seat_layout.hpp"

#include <boost/json/array.hpp>

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace seatmirror {

// The positions in a stored seat array, named once: the encoder and decoder below use them,
// and the seatmap_seats views of both schemas read the same positions into columns of these
// names (tests/seatmap_rewrite_test.cpp holds each store's view to this list).
enum SeatField : std::size_t {
  kSeatRow,
  kSeatCol,
  kSeatLabel,
  kSeatRowLabel,
  kSeatStatus,
  kSeatClassId,
  kSeatFeeId,
  kSeatOverlapped,
  kSeatCustom,
  kSeatFieldCount
};
inline constexpr std::array<std::string_view, kSeatFieldCount> kSeatFieldNames = {
    "row", "col", "label", "row_label", "status", "seat_class_id", "seat_fee_id", "overlapped", "custom"};

struct LaidOutSection {
  std::string section_id;
  std::optional<SectionLayout> layout;  // nullopt: see problem
  std::string problem;
};

std::string encode_layouts(const std::vector<LaidOutSection>& sections);

// Throws std::runtime_error when the text is not what encode_layouts writes.
std::vector<LaidOutSection> decode_layouts(std::string_view json);

}  // namespace seatmirror
