// UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits, so that ids sort in the
// order they were made. Within one millisecond the 12-bit rand_a field counts up (RFC 9562's
// "fixed bit-length dedicated counter"), so one generator's ids are strictly increasing even
// when the clock stands still or steps back. Not thread-safe: one generator per writer.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>
#include <string>

namespace seatmirror {

class UuidV7Generator {
 public:
  UuidV7Generator();
  std::string next(std::chrono::system_clock::time_point now);

 private:
  std::mt19937_64 random_;
  std::int64_t last_ms_ = -1;
  std::uint32_t counter_ = 0;  // rand_a: 12 bits
};

bool is_uuid_v7(std::string_view text);

}  // namespace seatmirror
