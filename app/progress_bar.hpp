// A one-line progress bar on stderr, drawn only when stderr is a terminal, redrawn at most
// ten times a second so it never slows the work it reports on.
#pragma once

#include <chrono>
#include <cstdint>

namespace seatmirror {

class ProgressBar {
 public:
  explicit ProgressBar(std::uintmax_t total_bytes);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void update(std::uintmax_t bytes_done, std::uint64_t items_done);

 private:
  void draw(std::uintmax_t bytes_done, std::uint64_t items_done);

  std::uintmax_t total_bytes_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace seatmirror
