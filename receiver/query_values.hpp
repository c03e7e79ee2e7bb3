// Numbers in query strings: decimal digits only (no sign for positives, no spaces, no
// fraction), within a range. One parser for every route that takes one.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

namespace seatmirror::receiver {

inline std::optional<std::int64_t> parse_integer_in(std::string_view text, std::int64_t min, std::int64_t max) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < min || value > max) return std::nullopt;
  return value;
}

}  // namespace seatmirror::receiver
