#include "sync/repair_queue.hpp"

namespace seatmirror::sync {

void RepairQueue::submit(const std::string& family, Delivery delivery) {
  {
    std::unique_lock lock{mutex_};
    changed_.wait(lock, [&] { return in_flight_ < max_in_flight_; });
    ++in_flight_;
  }
  // The completion runs on the writer thread: it only counts, under the lock.
  writer_.submit(std::move(delivery), [this, family](WriteResult written) { completed(family, written); });
}

void RepairQueue::completed(const std::string& family, const WriteResult& written) {
  std::lock_guard lock{mutex_};
  auto& counts = counts_[family];
  if (!written.stored) {
    if (failure_.empty()) failure_ = written.error;
  } else if (written.result.outcome == Outcome::applied) {
    ++counts.repaired;
  } else if (written.result.outcome == Outcome::stale || written.result.outcome == Outcome::duplicate) {
    ++counts.superseded;
  }
  --in_flight_;
  changed_.notify_all();
}

void RepairQueue::wait_all() {
  std::unique_lock lock{mutex_};
  changed_.wait(lock, [&] { return in_flight_ == 0; });
}

std::map<std::string, RepairCounts> RepairQueue::counts() const {
  std::lock_guard lock{mutex_};
  return counts_;
}

std::string RepairQueue::failure() const {
  std::lock_guard lock{mutex_};
  return failure_;
}

}  // namespace seatmirror::sync
