// A seatmap drawn as an SVG picture: sections side by side, each seat a rect with class
// "seat" (so a page or a test can count them), facilities and the driver as labelled shapes,
// row labels in the aisle, and a legend of seat classes and fees.
#pragma once

#include "projection/inventory_queries.hpp"

#include <string>

namespace seatmirror::views {

std::string draw_seatmap_svg(const SeatmapPicture& picture);

}  // namespace seatmirror::views
