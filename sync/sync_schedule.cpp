#include "sync/sync_schedule.hpp"

#include "projection/lock_keys.hpp"
#include "storage/store.hpp"

#include <spdlog/spdlog.h>

#include <random>

namespace seatmirror::sync {

std::string_view to_string(SyncResult result) {
  switch (result) {
    case SyncResult::in_sync:
      return "in_sync";
    case SyncResult::repaired:
      return "repaired";
    case SyncResult::drift:
      return "drift";
    case SyncResult::failed:
      return "failed";
    case SyncResult::skipped:
      return "skipped";
  }
  return "failed";
}

SyncResult result_of(const ScanReport& report) {
  if (!report.complete || !report.write_failure.empty()) return SyncResult::failed;
  if (report.drift_left()) return SyncResult::drift;
  for (const auto& [name, family] : report.families) {
    if (family.repaired > 0) return SyncResult::repaired;
  }
  return SyncResult::in_sync;
}

SyncSchedule::SyncSchedule(SyncScheduleOptions options, DeliveryWriter& writer, Observer observer)
    : options_(std::move(options)), writer_(writer), observer_(std::move(observer)), thread_([this] { loop(); }) {}

void SyncSchedule::stop() {
  {
    std::lock_guard lock{mutex_};
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::chrono::milliseconds SyncSchedule::next_wait(bool first) {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  const double every = static_cast<double>(options_.every.count());
  // The first run comes within a tenth of an interval; later ones an interval ± a tenth apart.
  std::uniform_real_distribution<double> spread{first ? 0.0 : 0.9 * every, first ? 0.1 * every : 1.1 * every};
  return std::chrono::milliseconds{static_cast<std::int64_t>(spread(random))};
}

void SyncSchedule::loop() {
  for (bool first = true;; first = false) {
    {
      std::unique_lock lock{mutex_};
      if (wake_.wait_for(lock, next_wait(first), [&] { return stopping_.load(); })) return;
    }
    const auto run = run_once();
    if (stopping_) return;  // a run cut short by the shutdown is not a failure to report
    if (run.result == SyncResult::failed) {
      spdlog::error("sync with the Inventory API failed: {}", run.error);
    } else if (run.result != SyncResult::skipped) {
      spdlog::info("sync with the Inventory API: {} ({:.1f} s)", to_string(run.result), run.duration.count());
    }
    if (observer_) observer_(run);
  }
}

SyncRun SyncSchedule::run_once() {
  const auto started = std::chrono::steady_clock::now();
  SyncRun run;
  try {
    auto client_options = options_.client;
    client_options.cancel = &stopping_;
    InventoryClient client{std::move(client_options)};
    const auto copy = open_store(options_.db, {.read_only = true});
    if (!copy->try_session_lock(lock_keys::kInventorySync)) {
      run.result = SyncResult::skipped;  // another receiver on this store is syncing
    } else {
      run.report = scan_inventory(client, *copy,
                                  {.writer = &writer_, .delete_missing = options_.delete_missing, .stop = &stopping_});
      copy->release_session_lock(lock_keys::kInventorySync);
      run.result = result_of(run.report);
      run.error = !run.report.failure.empty() ? run.report.failure : run.report.write_failure;
    }
  } catch (const std::exception& e) {  // the client's options, or the store could not be opened
    run.result = SyncResult::failed;
    run.error = e.what();
  }
  run.finished = std::chrono::system_clock::now();
  run.duration = std::chrono::steady_clock::now() - started;
  return run;
}

}  // namespace seatmirror::sync
