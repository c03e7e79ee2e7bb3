// The background checkpointer (storage/background_checkpointer.hpp) against a real file: the
// log is copied back by its own thread and stays bounded, a reader holding an old snapshot
// only makes commits checkpoint themselves past the bound, and every commit stays readable.
#include "storage/background_checkpointer.hpp"
#include "storage/database.hpp"
#include "tests/support/test_database.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <thread>

using namespace seatmirror;

namespace {

constexpr int kThresholdPages = 16;

void commit_rows(SQLite::Database& db, int commits) {
  SQLite::Statement insert{db, "INSERT INTO t (blob) VALUES (randomblob(6000))"};  // about a page each
  for (int i = 0; i < commits; ++i) {
    SQLite::Transaction transaction{db};
    insert.exec();
    insert.reset();
    transaction.commit();
  }
}

std::uintmax_t log_pages(const std::filesystem::path& db) {
  return std::filesystem::file_size(db.string() + "-wal") / (kPageSizeBytes + 24);
}

}  // namespace

TEST_CASE("the log is copied back on the checkpointer's thread and stays short", "[wal]") {
  test::TempDir dir;
  const auto path = dir.path() / "ckpt.db";
  auto writer = open_database(path, {.wal_autocheckpoint_pages = kThresholdPages});
  writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, blob BLOB NOT NULL)");
  std::uint64_t background = 0, inline_checkpoints = 0;
  {
    BackgroundCheckpointer checkpointer{writer, path, kThresholdPages};
    for (int round = 0; round < 20; ++round) {
      commit_rows(writer, 10);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // let it run, as time between batches does
    }
    background = checkpointer.background_checkpoints();
    inline_checkpoints = checkpointer.inline_checkpoints();
  }
  // 200 commits of a page or more each: without checkpoints the log would hold 400+ pages.
  CHECK(background > 0);
  CHECK(inline_checkpoints == 0);  // the checkpointer kept up: no commit had to do it
  CHECK(log_pages(path) <= 4 * kThresholdPages + 8);
  CHECK(writer.execAndGet("SELECT COUNT(*) FROM t").getInt() == 200);
  auto reader = open_database(path, {.read_only = true});
  CHECK(reader.execAndGet("SELECT COUNT(*) FROM t").getInt() == 200);
}

TEST_CASE("a reader holding an old snapshot: commits go on, and past the bound checkpoint themselves", "[wal]") {
  test::TempDir dir;
  const auto path = dir.path() / "ckpt.db";
  auto writer = open_database(path, {.wal_autocheckpoint_pages = kThresholdPages});
  writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, blob BLOB NOT NULL)");
  commit_rows(writer, 1);
  BackgroundCheckpointer checkpointer{writer, path, kThresholdPages};
  auto reader = open_database(path, {.read_only = true});
  reader.exec("BEGIN");
  CHECK(reader.execAndGet("SELECT COUNT(*) FROM t").getInt() == 1);  // the snapshot is taken
  commit_rows(writer, 150);
  CHECK(checkpointer.inline_checkpoints() > 0);
  CHECK(reader.execAndGet("SELECT COUNT(*) FROM t").getInt() == 1);  // still its snapshot
  reader.exec("COMMIT");
  CHECK(reader.execAndGet("SELECT COUNT(*) FROM t").getInt() == 151);
}
