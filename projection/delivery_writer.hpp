// DeliveryWriter: the one group-commit path. One thread owns the write connection; `serve`
// and `replay` from files both hand it their deliveries, and the seat API its seat event POSTs
// and entitlement seat changes (LevelDB's DBImpl::Write is the model: one queue, one batch
// builder, one commit, one set of failure rules).
//
// Callers prepare deliveries on their own threads (delivery.hpp) and submit them. The writer
// takes whatever is queued (up to max_batch), takes the batch's locks, applies every write in
// one transaction, commits once, and only then completes every delivery of the batch with its
// own result. If a write fails, that transaction is undone and the batch applied again with
// each write in its own savepoint. So concurrent deliveries share one fsync, one failing
// delivery never spoils its batch (it alone is reported not stored), a failed commit reports
// the whole batch not stored, and no completion reports `stored` before the commit that holds it.
//
// This header carries no SQLite types: the receiver uses it without knowing SQL.
#pragma once

#include "decode/delivery.hpp"
#include "decode/entitlement.hpp"
#include "decode/seat_event.hpp"
#include "projection/outcome.hpp"
#include "storage/store_options.hpp"

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace seatmirror {

struct WriterOptions {
  bool durability_full = true;  // synchronous=FULL; false = NORMAL
  std::size_t max_batch = 256;
  // submit() waits while this many deliveries are queued: a bound on memory for a producer
  // faster than the disk (replay). A server's queue is bounded by its connections instead.
  std::size_t max_queued = 65536;
  // How long a write waits for another process's lock before failing, and the WAL pages after
  // which a commit copies the log back: the store's own defaults (store_options.hpp).
  int busy_timeout_ms = DatabaseOptions{}.busy_timeout_ms;
  int wal_autocheckpoint_pages = DatabaseOptions{}.wal_autocheckpoint_pages;
};

// What became of one write: a delivery, a seat event POST or a seat change.
template <typename Input, typename Result>
struct Written {
  bool stored = false;  // false: nothing from this write is in the database; ask for a retry
  Result result;        // meaningful when stored (rejections count as stored: they are recorded)
  std::string error;    // why it was not stored
  // The batch this write was committed (or not) with, reported by its first write only, so
  // that a caller can count batches without the writer thread doing it.
  std::size_t batch_size = 0;  // 0 for every write but the first of its batch
  bool batch_committed = false;
  // The input itself, handed back so that its memory is freed on the caller's side.
  Input input;
};

using WriteResult = Written<Delivery, DeliveryResult>;
using SeatEventWritten = Written<SeatEventPost, SeatEventResult>;
using SeatChangeWritten = Written<SeatChangeRequest, SeatChangeResult>;

class DeliveryWriter {
 public:
  // Runs exactly once, on the writer thread: hand the result to another thread and return;
  // answers, logs and metrics are built there.
  using Completion = std::function<void(WriteResult)>;

  // Opens (creating or upgrading) the store --db names: an SQLite path or a PostgreSQL URL;
  // throws when it cannot. A lost PostgreSQL connection is opened again before the next batch.
  DeliveryWriter(const std::string& db, WriterOptions options);
  ~DeliveryWriter();
  DeliveryWriter(const DeliveryWriter&) = delete;
  DeliveryWriter& operator=(const DeliveryWriter&) = delete;

  // Queues one write (waiting while max_queued are queued). After stop() `done` runs at
  // once, on the caller's thread, with stored = false.
  void submit(Delivery delivery, Completion done);
  void submit(SeatEventPost post, std::function<void(SeatEventWritten)> done);
  void submit(SeatChangeRequest change, std::function<void(SeatChangeWritten)> done);

  // Reports whether the database can take writes now: a held lock, a full disk or an
  // unwritable file all show here. Every probe queued in one writer cycle shares one answer:
  // the batch committed in that cycle, or else one committed write of the writer_heartbeat
  // row. `done` runs on the writer thread, like a Completion.
  void check_health(std::function<void(bool writable, std::string why)> done);
  // How many heartbeat writes health probes have cost since start.
  std::uint64_t health_probe_writes() const;

  // Commits everything already queued, then ends the thread. Idempotent.
  void stop();

  // For /metrics and /healthz, from any thread: writes waiting for the writer, and when it last
  // committed (deliveries or a health probe); nullopt before its first commit.
  std::size_t queue_depth() const;
  std::optional<std::chrono::system_clock::time_point> last_commit() const;

 private:
  struct State;
  template <typename Input, typename Result>
  void enqueue(Input input, std::function<void(Written<Input, Result>)> done);
  std::unique_ptr<State> state_;
};

}  // namespace seatmirror
