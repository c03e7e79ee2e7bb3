#include "projection/uuid_v7.hpp"

#include "decode/json_fields.hpp"

#include <fmt/format.h>

namespace seatmirror {

UuidV7Generator::UuidV7Generator() {
  std::random_device seed;
  std::seed_seq sequence{seed(), seed(), seed(), seed(), seed(), seed(), seed(), seed()};
  random_.seed(sequence);
}

std::string UuidV7Generator::next(std::chrono::system_clock::time_point now) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  if (ms <= last_ms_) {
    ms = last_ms_;
    if (++counter_ > 0xFFF) {  // 4096 ids in one millisecond: borrow the next millisecond
      ++ms;
      counter_ = static_cast<std::uint32_t>(random_() & 0x3FF);
    }
  } else {
    // A random start below half the range leaves room to count up within the millisecond.
    counter_ = static_cast<std::uint32_t>(random_() & 0x7FF);
  }
  last_ms_ = ms;
  const auto unix_ms = static_cast<std::uint64_t>(ms) & 0xFFFF'FFFF'FFFFull;
  const std::uint64_t tail = random_();
  const auto variant_and_rand_b = (tail & 0x3FFF'FFFF'FFFF'FFFFull) | 0x8000'0000'0000'0000ull;
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", unix_ms >> 16, unix_ms & 0xFFFF, 0x7000 | counter_,
                     variant_and_rand_b >> 48, variant_and_rand_b & 0xFFFF'FFFF'FFFFull);
}

bool is_uuid_v7(std::string_view text) {
  return is_uuid(text) && text[14] == '7' && (text[19] == '8' || text[19] == '9' || text[19] == 'a' || text[19] == 'b');
}

}  // namespace seatmirror
