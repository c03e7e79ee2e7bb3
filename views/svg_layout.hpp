// A seatmap drawn as an SVG picture: sections side by side, each seat a rect with class
// "seat" (so a page or a test can count them), facilities and the driver as labelled shapes,
// row labels in the aisle, and a legend of seat classes and fees.
#pragma once

#include "read_side/inventory_queries.hpp"

#include <string>

namespace seatmirror::views {

std::string draw_seatmap_svg(const SeatmapPicture& picture);

// The browsable HTML page (views/page.html, compiled in): lists and a chosen seatmap's SVG,
// read from the /v1 API with a bearer token.
const char* browse_page_html();

}  // namespace seatmirror::views
