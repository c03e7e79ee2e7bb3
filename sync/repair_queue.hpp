// Hands sync's repairs to the one writer (DeliveryWriter, the path every webhook takes) and
// counts what became of them per family. At most `max_in_flight` repairs are queued at once,
// so a scan of any size holds only a bounded number of records in memory, however far the
// API is ahead of the disk.
//
// What a repair can become: applied (`repaired`), stale or a duplicate (`superseded`: a
// webhook or another sync wrote that version or a newer one first), rejected (recorded in
// rejected_events with source inventory_sync; the scan counted it `invalid` already), or not
// stored (a database failure: `failure` says which).
#pragma once

#include "decode/delivery.hpp"
#include "projection/delivery_writer.hpp"

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace seatmirror::sync {

struct RepairCounts {
  std::int64_t repaired = 0, superseded = 0;
};

class RepairQueue {
 public:
  explicit RepairQueue(DeliveryWriter& writer, std::size_t max_in_flight = 256)
      : writer_(writer), max_in_flight_(max_in_flight) {}
  ~RepairQueue() { wait_all(); }
  RepairQueue(const RepairQueue&) = delete;
  RepairQueue& operator=(const RepairQueue&) = delete;

  // Queues one repair for `family` (waiting while max_in_flight are queued).
  void submit(const std::string& family, Delivery delivery);
  // Waits until every repair submitted so far is committed or refused.
  void wait_all();

  // After wait_all(): the counts per family, and the first database failure ("" if none).
  std::map<std::string, RepairCounts> counts() const;
  std::string failure() const;

 private:
  void completed(const std::string& family, const WriteResult& written);

  DeliveryWriter& writer_;
  const std::size_t max_in_flight_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::size_t in_flight_ = 0;
  std::map<std::string, RepairCounts> counts_;
  std::string failure_;
};

}  // namespace seatmirror::sync
