#include "projection/bz_date.hpp"

// date.h's parser trips GCC 12's -Wmaybe-uninitialized inside <chrono> (a known false positive).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <date/date.h>

#include <sstream>

namespace seatmirror {
namespace {

// Parsed at microsecond precision so that 6-digit fractions are accepted, then floored to
// the stored millisecond precision.
using Micros = std::chrono::time_point<std::chrono::system_clock, std::chrono::microseconds>;
using Millis = std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds>;

std::optional<Micros> parse_with(std::string_view text, const char* format) {
  std::istringstream in{std::string{text}};
  Micros instant;
  std::chrono::minutes offset{0};
  in >> date::parse(format, instant, offset);
  // date::parse already subtracts the offset for %Ez; the whole text must be consumed.
  if (in.fail() || in.peek() != std::char_traits<char>::eof()) return std::nullopt;
  return instant;
}

}  // namespace

std::optional<std::string> canonical_utc(std::string_view iso8601) {
  if (iso8601.size() < 20 || iso8601.size() > 40) return std::nullopt;
  std::optional<Micros> instant;
  if (iso8601.back() == 'Z') {
    instant = parse_with(iso8601.substr(0, iso8601.size() - 1), "%FT%T");
  } else {
    instant = parse_with(iso8601, "%FT%T%Ez");                // +02:00
    if (!instant) instant = parse_with(iso8601, "%FT%T%z");  // +0200
  }
  if (!instant) return std::nullopt;
  const auto day = date::year_month_day{date::floor<date::days>(*instant)};
  // Four-digit years only: the fixed-width text order must stay the time order.
  if (day.year() < date::year{1} || day.year() > date::year{9999}) return std::nullopt;
  return date::format("%FT%TZ", date::floor<std::chrono::milliseconds>(*instant));
}

std::string format_utc(std::chrono::system_clock::time_point instant) {
  return date::format("%FT%TZ", date::floor<std::chrono::milliseconds>(instant));
}

std::string format_unix_seconds(std::int64_t unix_seconds) {
  return format_utc(std::chrono::system_clock::time_point{std::chrono::seconds{unix_seconds}});
}

}  // namespace seatmirror

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
