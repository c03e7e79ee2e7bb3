#include "storage/background_checkpointer.hpp"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <pthread.h>

#include <algorithm>

namespace seatmirror {

BackgroundCheckpointer::BackgroundCheckpointer(SQLite::Database& writer, const std::filesystem::path& path,
                                               int threshold_pages)
    : writer_(writer),
      own_(path, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX),
      threshold_pages_(std::max(1, threshold_pages)) {
  // A connection learns that the file is in WAL mode when it first reads it; until then a
  // checkpoint through it does nothing (and says so only by reporting -1 frames).
  own_.exec("PRAGMA journal_mode = WAL");
  thread_ = std::thread([this] { run(); });
  // Replaces the automatic checkpoint (wal_autocheckpoint is itself a WAL hook).
  sqlite3_wal_hook(writer_.getHandle(), &BackgroundCheckpointer::after_commit, this);
}

BackgroundCheckpointer::~BackgroundCheckpointer() {
  sqlite3_wal_hook(writer_.getHandle(), nullptr, nullptr);
  {
    std::lock_guard lock{mutex_};
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

bool BackgroundCheckpointer::stopping() {
  std::lock_guard lock{mutex_};
  return stopping_;
}

// Runs on the committing thread, inside the commit, after the log is written.
int BackgroundCheckpointer::after_commit(void* self_pointer, sqlite3* db, const char* schema, int log_pages) {
  auto& self = *static_cast<BackgroundCheckpointer*>(self_pointer);
  if (log_pages >= 4 * self.threshold_pages_) {
    sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    ++self.inline_;
  } else if (log_pages >= self.threshold_pages_) {
    {
      std::lock_guard lock{self.mutex_};
      if (self.requested_) return SQLITE_OK;  // already asked, not yet started
      self.requested_ = true;
    }
    self.wake_.notify_one();
  }
  return SQLITE_OK;
}

void BackgroundCheckpointer::run() {
  pthread_setname_np(pthread_self(), "sm-checkpoint");
  while (true) {
    {
      std::unique_lock lock{mutex_};
      wake_.wait(lock, [&] { return requested_ || stopping_; });
      if (stopping_) return;
      requested_ = false;
    }
    // Until the whole log is copied back (commits go on meanwhile): only then does the writer's
    // next transaction start the log again from the beginning, instead of letting it grow.
    int rc = SQLITE_OK, log_frames = 0, copied_frames = 0;
    for (int pass = 0; pass < kMaxPasses; ++pass) {
      rc = sqlite3_wal_checkpoint_v2(own_.getHandle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log_frames, &copied_frames);
      ++background_;
      if (rc != SQLITE_OK || copied_frames >= log_frames || stopping()) break;
    }
    // Nothing is lost when a checkpoint fails: the pages stay in the log, and the next commit
    // asks again (or, past the bound, checkpoints itself).
    const auto now = std::chrono::steady_clock::now();
    if (rc != SQLITE_OK && rc != SQLITE_BUSY && now - last_warning_ >= std::chrono::minutes(1)) {
      last_warning_ = now;
      spdlog::warn("copying the write-ahead log back into {} failed: {}; it will be tried again", own_.getFilename(),
                   sqlite3_errmsg(own_.getHandle()));
    }
  }
}

}  // namespace seatmirror
