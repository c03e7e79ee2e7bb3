#include "app/progress_bar.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <cstdio>
#include <string>

namespace seatmirror {

namespace {
// Small inputs finish before a bar would be readable; it would only flicker.
constexpr std::uintmax_t kMinBytesForBar = 1 << 20;
}  // namespace

ProgressBar::ProgressBar(std::uintmax_t total_bytes)
    : total_bytes_(total_bytes), enabled_(::isatty(STDERR_FILENO) == 1 && total_bytes >= kMinBytesForBar) {}

ProgressBar::~ProgressBar() {
  if (drawn_) fmt::print(stderr, "\r\033[K");
}

void ProgressBar::update(std::uintmax_t bytes_done, std::uint64_t items_done) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds{100}) return;
  last_draw_ = now;
  draw(bytes_done, items_done);
}

void ProgressBar::draw(std::uintmax_t bytes_done, std::uint64_t items_done) {
  constexpr int kWidth = 40;
  const double fraction = total_bytes_ ? static_cast<double>(bytes_done) / static_cast<double>(total_bytes_) : 1.0;
  const int filled = static_cast<int>(fraction * kWidth);
  fmt::print(stderr, "\r[{}{}] {:5.1f}%  {} payloads", std::string(static_cast<std::size_t>(filled), '#'),
             std::string(static_cast<std::size_t>(kWidth - filled), ' '), fraction * 100.0, items_done);
  std::fflush(stderr);
  drawn_ = true;
}

}  // namespace seatmirror
