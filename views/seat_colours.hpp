// Colours of seats in pictures: a seat takes the bgcolor of its seat class, else of its seat
// fee, else none. Shared by the terminal and SVG pictures.
#pragma once

#include "read_side/inventory_queries.hpp"

#include <array>
#include <optional>
#include <string>

namespace seatmirror::views {

std::optional<std::string> seat_colour(const SeatmapPicture& picture, const LayoutSeat& seat);

// "#d4eaf0" or "#abc" → {r, g, b}; nullopt for anything else (the value comes from payloads).
std::optional<std::array<int, 3>> parse_hex_colour(const std::string& text);

}  // namespace seatmirror::views
