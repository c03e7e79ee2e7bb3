// `serve --sync-every`: the same scan and repairs as `seatmirror sync`, on a thread of their
// own, every interval give or take a random tenth (so that receivers started together drift
// apart), the first one a random tenth of an interval after start. Webhooks never wait for it:
// repairs join the writer's queue like any delivery, at most 256 at a time.
//
// Where several receivers share one PostgreSQL store, a run first takes a session lock on the
// store (Connection::try_session_lock); a receiver that finds it held skips that run, so one
// syncs at a time. Each run's outcome goes to the observer (metrics, /healthz), on this thread.
#pragma once

#include "sync/inventory_client.hpp"
#include "sync/inventory_scan.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace seatmirror::sync {

struct SyncScheduleOptions {
  std::chrono::milliseconds every{0};
  InventoryClientOptions client;
  std::string db;  // the store to compare: an SQLite path or a PostgreSQL URL (the writer's)
  bool delete_missing = false;
};

enum class SyncResult { in_sync, repaired, drift, failed, skipped };
std::string_view to_string(SyncResult result);

struct SyncRun {
  SyncResult result = SyncResult::failed;
  ScanReport report;  // empty when skipped, or when the store could not be opened
  std::string error;  // for failed: what went wrong
  std::chrono::system_clock::time_point finished;
  std::chrono::duration<double> duration{0};
};

// What a finished scan amounts to.
SyncResult result_of(const ScanReport& report);

class SyncSchedule {
 public:
  using Observer = std::function<void(const SyncRun&)>;

  SyncSchedule(SyncScheduleOptions options, DeliveryWriter& writer, Observer observer);
  ~SyncSchedule() { stop(); }
  SyncSchedule(const SyncSchedule&) = delete;
  SyncSchedule& operator=(const SyncSchedule&) = delete;

  // Ends the thread: a run in progress stops before its next request. Idempotent.
  void stop();

 private:
  void loop();
  SyncRun run_once();
  std::chrono::milliseconds next_wait(bool first);

  SyncScheduleOptions options_;
  DeliveryWriter& writer_;
  Observer observer_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  std::thread thread_;  // last: started once everything above is ready
};

}  // namespace seatmirror::sync
