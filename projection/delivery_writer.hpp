// DeliveryWriter: the one thread that owns the SQLite write connection of a running server.
//
// Callers submit verified bodies from any thread and get a completion later. The writer takes
// whatever is queued (up to max_batch), applies each delivery in its own savepoint inside one
// transaction, commits once, and only then completes every delivery of the batch with its own
// result. So concurrent deliveries share one fsync, one bad delivery never spoils its batch,
// and no completion reports `stored` before the commit that holds it.
//
// This header carries no SQLite types: the receiver uses it without knowing SQL.
#pragma once

#include "projection/outcome.hpp"

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace seatmirror {

struct WriterOptions {
  bool durability_full = true;  // synchronous=FULL; false = NORMAL
  std::size_t max_batch = 256;
  int busy_timeout_ms = 5000;  // how long a write waits for another process's lock before failing
  // Called on the writer thread after each commit attempt: batch size and whether it committed.
  std::function<void(std::size_t batch_size, bool committed)> on_commit;
};

struct WriteResult {
  bool stored = false;    // false: nothing from this delivery is in the database; ask for a retry
  DeliveryResult result;  // meaningful when stored (rejections count as stored: they are recorded)
  std::string error;      // why it was not stored
};

class DeliveryWriter {
 public:
  using Completion = std::function<void(WriteResult)>;

  // Opens (creating or upgrading) the database; throws when it cannot.
  DeliveryWriter(const std::filesystem::path& db_path, WriterOptions options);
  ~DeliveryWriter();
  DeliveryWriter(const DeliveryWriter&) = delete;
  DeliveryWriter& operator=(const DeliveryWriter&) = delete;

  // Queues one body. `done` runs exactly once, on the writer thread: keep it short and post
  // any real work elsewhere. After stop() it runs at once with stored = false.
  void submit(std::string body, std::chrono::system_clock::time_point received_at, Completion done);

  // Runs a write probe on the writer thread (commits the writer_heartbeat row) and reports
  // whether the database can take writes now: a held lock, a full disk or an unwritable file
  // all show here.
  void check_health(std::function<void(bool writable, std::string why)> done);

  // Commits everything already queued, then ends the thread. Idempotent.
  void stop();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace seatmirror
