#include "views/seat_colours.hpp"

#include <charconv>

namespace seatmirror::views {

std::optional<std::string> seat_colour(const SeatmapPicture& picture, const LayoutSeat& seat) {
  for (const auto& id : {seat.seat_class_id, seat.seat_fee_id}) {
    if (!id) continue;
    if (auto it = picture.colour_of.find(*id); it != picture.colour_of.end() && parse_hex_colour(it->second)) {
      return it->second;
    }
  }
  return std::nullopt;
}

std::optional<std::array<int, 3>> parse_hex_colour(const std::string& text) {
  if (text.size() != 4 && text.size() != 7) return std::nullopt;
  if (text[0] != '#') return std::nullopt;
  const int digits = text.size() == 4 ? 1 : 2;
  std::array<int, 3> rgb{};
  for (int i = 0; i < 3; ++i) {
    const char* begin = text.data() + 1 + i * digits;
    const auto [end, ec] = std::from_chars(begin, begin + digits, rgb[i], 16);
    if (ec != std::errc{} || end != begin + digits) return std::nullopt;
    if (digits == 1) rgb[i] *= 17;
  }
  return rgb;
}

}  // namespace seatmirror::views
