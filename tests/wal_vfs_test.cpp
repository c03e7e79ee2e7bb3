// The coalescing WAL VFS (storage/coalescing_wal_vfs.hpp) against real files: commits of any
// size land whole, and a commit is in the log before SQLite publishes it to other connections,
// even with synchronous=NORMAL, where no sync forces the buffered frames out.
#include "storage/database.hpp"
#include "tests/support/test_database.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>
#include <catch2/catch.hpp>

#include <string>

using namespace seatmirror;

TEST_CASE("every connection's log goes through the coalescing VFS", "[wal]") {
  test::TempDir dir;
  auto db = open_database(dir.path() / "vfs.db");
  CHECK(std::string{sqlite3_vfs_find(nullptr)->zName} == "seatmirror-coalescing-wal");
}

TEST_CASE("a commit is visible to another connection at once, whatever its size", "[wal]") {
  test::TempDir dir;
  const auto path = dir.path() / "vfs.db";
  auto writer = open_database(path, {.durability = Durability::normal});
  writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, blob BLOB NOT NULL)");
  auto reader = open_database(path, {.read_only = true});
  SQLite::Statement insert{writer, "INSERT INTO t (blob) VALUES (zeroblob(?))"};
  std::int64_t rows = 0;
  // One row, then a commit of 12 MiB: more than the buffer (4 MiB) and than one write call.
  for (const int count : {1, 1500}) {
    SQLite::Transaction transaction{writer};
    for (int i = 0; i < count; ++i) {
      insert.bind(1, 8000 + i % 300);
      insert.exec();
      insert.reset();
    }
    transaction.commit();
    rows += count;
    INFO("after a commit of " << count << " rows");
    CHECK(reader.execAndGet("SELECT COUNT(*) FROM t").getInt64() == rows);
    CHECK(reader.execAndGet("SELECT SUM(length(blob)) > 0 FROM t").getInt() == 1);
  }
  CHECK(reader.execAndGet("PRAGMA integrity_check").getString() == "ok");
  writer.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  CHECK(reader.execAndGet("SELECT COUNT(*) FROM t").getInt64() == rows);
}
