// A seatmap drawn as text: one fixed-width cell per grid cell (seats with their labels, the
// aisle with row labels, the driver, doors and other facilities), with 24-bit background
// colours from the seat class or fee when `colour` is set.
#pragma once

#include "read_side/inventory_queries.hpp"

#include <string>

namespace seatmirror::views {

std::string draw_seatmap_text(const SeatmapPicture& picture, bool colour);

}  // namespace seatmirror::views
