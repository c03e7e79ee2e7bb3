// Copies a write connection's log (WAL) back into the database file on a thread of its own.
//
// Why: SQLite's automatic checkpoint runs inside the commit that takes the log past
// wal_autocheckpoint pages, on the thread that commits: it reads every frame back from the log,
// writes it into the database file and syncs both, and every delivery of that batch waits for
// it (in the live writer's exact counts, pread and pwrite were a third of its system calls).
// Here the commit only notes that the log is long; another connection checkpoints.
//
// What it promises, for the connection it is attached to:
//   - once a commit leaves `threshold_pages` or more in the log, a PASSIVE checkpoint follows
//     on the checkpointer's thread: it never waits for, or blocks, the writer or any reader;
//     the writer starts the log again from the beginning once it has all been copied back;
//   - the log stays bounded: a commit that leaves 4 x threshold_pages (a checkpointer that
//     cannot keep up, or a reader holding an old snapshot) checkpoints itself, as SQLite would;
//   - durability is the commit's, unchanged: a checkpoint only moves committed pages, and the
//     checkpointing connection syncs the log before and the database after, as SQLite's own does.
// Destroy it before the connection it watches (it detaches itself and joins its thread).
#pragma once

#include <SQLiteCpp/Database.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <thread>

struct sqlite3;

namespace seatmirror {

class BackgroundCheckpointer {
 public:
  BackgroundCheckpointer(SQLite::Database& writer, const std::filesystem::path& path, int threshold_pages);
  ~BackgroundCheckpointer();
  BackgroundCheckpointer(const BackgroundCheckpointer&) = delete;
  BackgroundCheckpointer& operator=(const BackgroundCheckpointer&) = delete;

  // Checkpoints run on the checkpointer's thread, and by commits themselves (the bound above).
  std::uint64_t background_checkpoints() const { return background_.load(); }
  std::uint64_t inline_checkpoints() const { return inline_.load(); }

 private:
  static int after_commit(void* self, sqlite3* db, const char* schema, int log_pages);
  void run();
  bool stopping();

  static constexpr int kMaxPasses = 8;  // then wait for the next commit to ask again

  SQLite::Database& writer_;
  SQLite::Database own_;  // the checkpointing connection, used by run() only
  const int threshold_pages_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool requested_ = false;
  bool stopping_ = false;
  std::atomic<std::uint64_t> background_{0};
  std::atomic<std::uint64_t> inline_{0};
  std::chrono::steady_clock::time_point last_warning_{};  // failures are said at most once a minute
  std::thread thread_;
};

}  // namespace seatmirror
