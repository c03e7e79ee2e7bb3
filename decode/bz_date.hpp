// Dates as seatmirror stores them: ISO-8601 UTC text with milliseconds,
// "2024-06-26T16:48:25.107Z". Fixed width, so comparing the text compares the instants.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace seatmirror {

// Parses an ISO-8601 date-time that carries its zone ("Z" or "+hh:mm"/"-hh:mm"), with or
// without fractional seconds, and returns it in canonical UTC form. nullopt when the text is
// not such a date (a date without a zone is refused: its instant would be a guess).
std::optional<std::string> canonical_utc(std::string_view iso8601);

// What a user may write for an instant (the CLI's --since, --from and --to, the API's from and
// to): an ISO-8601 date-time with a zone, or a calendar date (2024-03-01), which means its
// midnight UTC. Canonical UTC form, or nullopt.
std::optional<std::string> canonical_utc_or_date(std::string_view text);

std::string format_utc(std::chrono::system_clock::time_point instant);

// Milliseconds since 1970 of a date in canonical form (as canonical_utc returns it).
std::int64_t unix_millis(std::string_view canonical);
std::string format_unix_seconds(std::int64_t unix_seconds);

}  // namespace seatmirror
