#include "decode/bz_date.hpp"

// date.h's parser trips GCC 12's -Wmaybe-uninitialized inside <chrono> (a known false positive).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <date/date.h>

#include <sstream>
#include <stdexcept>

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

// The lexical shape YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM|±HHMM), checked before date::parse
// sees the text: given a stray character where a digit belongs, date::parse (3.0.1) can compute
// NaN seconds and convert them to an integer, which is undefined behaviour (found by fuzzing).
bool has_iso8601_shape(std::string_view text) {
  auto digits = [&](std::size_t at, std::size_t n) {
    if (at + n > text.size()) return false;
    for (std::size_t i = at; i < at + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
    }
    return true;
  };
  auto is = [&](std::size_t at, char c) { return at < text.size() && text[at] == c; };
  if (!(digits(0, 4) && is(4, '-') && digits(5, 2) && is(7, '-') && digits(8, 2) && is(10, 'T') && digits(11, 2) &&
        is(13, ':') && digits(14, 2) && is(16, ':') && digits(17, 2))) {
    return false;
  }
  std::size_t at = 19;
  if (is(at, '.')) {
    const auto start = ++at;
    while (digits(at, 1)) ++at;
    if (at == start || at - start > 9) return false;
  }
  const auto zone = text.substr(at);
  if (zone == "Z") return true;
  if (zone.size() != 5 && zone.size() != 6) return false;
  const std::size_t z = at;
  return (is(z, '+') || is(z, '-')) && digits(z + 1, 2) &&
         (zone.size() == 6 ? is(z + 3, ':') && digits(z + 4, 2) : digits(z + 3, 2));
}

// Whether a text of that shape is already canonical (YYYY-MM-DDTHH:MM:SS.mmmZ, a real date,
// hours, minutes and seconds in range): then it is its own canonical form, and the slow path
// (a stream parse and a stream format) is skipped. Betterez sends its dates in this form, so
// this is nearly every date.
bool is_canonical(std::string_view text) {
  if (text.size() != 24 || text[19] != '.' || text[23] != 'Z') return false;
  const auto number = [&](std::size_t at, std::size_t n) {
    int value = 0;
    for (std::size_t i = at; i < at + n; ++i) value = value * 10 + (text[i] - '0');
    return value;
  };
  for (std::size_t i : {20, 21, 22}) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  const std::chrono::year_month_day day{std::chrono::year{number(0, 4)},
                                        std::chrono::month{static_cast<unsigned>(number(5, 2))},
                                        std::chrono::day{static_cast<unsigned>(number(8, 2))}};
  return number(0, 4) >= 1 && day.ok() && number(11, 2) <= 23 && number(14, 2) <= 59 && number(17, 2) <= 59;
}

}  // namespace

std::optional<std::string> canonical_utc(std::string_view iso8601) {
  if (iso8601.size() < 20 || iso8601.size() > 40 || !has_iso8601_shape(iso8601)) return std::nullopt;
  if (is_canonical(iso8601)) return std::string{iso8601};
  std::optional<Micros> instant;
  if (iso8601.back() == 'Z') {
    instant = parse_with(iso8601.substr(0, iso8601.size() - 1), "%FT%T");
  } else {
    instant = parse_with(iso8601, "%FT%T%Ez");               // +02:00
    if (!instant) instant = parse_with(iso8601, "%FT%T%z");  // +0200
  }
  if (!instant) return std::nullopt;
  const auto day = date::year_month_day{date::floor<date::days>(*instant)};
  // Four-digit years only: the fixed-width text order must stay the time order.
  if (day.year() < date::year{1} || day.year() > date::year{9999}) return std::nullopt;
  return date::format("%FT%TZ", date::floor<std::chrono::milliseconds>(*instant));
}

std::optional<std::string> canonical_utc_or_date(std::string_view text) {
  const bool is_date = text.size() == 10 && text[4] == '-' && text[7] == '-';
  return canonical_utc(is_date ? std::string{text} + "T00:00:00Z" : text);
}

std::string format_utc(std::chrono::system_clock::time_point instant) {
  return date::format("%FT%TZ", date::floor<std::chrono::milliseconds>(instant));
}

std::int64_t unix_millis(std::string_view canonical) {
  const auto instant = parse_with(canonical.substr(0, canonical.size() - 1), "%FT%T");
  if (!instant) throw std::invalid_argument("not a canonical UTC date: " + std::string{canonical});
  return date::floor<std::chrono::milliseconds>(*instant).time_since_epoch().count();
}

// In milliseconds, not through system_clock: its nanoseconds overflow after the year 2262, and
// `created` may be any second up to 9999-12-31 (found by fuzz_http_request).
std::string format_unix_seconds(std::int64_t unix_seconds) {
  return date::format("%FT%TZ", date::sys_time<std::chrono::milliseconds>{std::chrono::seconds{unix_seconds}});
}

}  // namespace seatmirror

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
