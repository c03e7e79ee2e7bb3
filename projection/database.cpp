#include "projection/database.hpp"

#include "projection/projection_engine.hpp"

#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <unistd.h>

#include <system_error>

namespace seatmirror {
namespace {

// SQLite would create the file with the umask's mode (often 0644); the ledger holds every
// body ever received, so it is created owner-only before SQLite opens it.
void create_private_file(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ::close(fd);
  } else if (errno != EEXIST) {
    throw std::system_error(errno, std::generic_category(),
                            fmt::format("cannot create database file {}", path.string()));
  }
}

// Migrations after which the read models are re-projected from the ledger, in the same
// transaction: 6 stores seat layouts per seatmap and keeps the content of tombstones, which
// only the projectors can compute (an upgraded file looks as if it had always been at 6).
bool reprojects_ledger(int version) { return version == 6; }

void migrate(SQLite::Database& db, int target_version) {
  const int current = schema_version(db);
  if (current > latest_schema_version()) {
    throw std::runtime_error(fmt::format(
        "database schema version {} is newer than this seatmirror understands ({}); upgrade seatmirror",
        current, latest_schema_version()));
  }
  for (const auto& migration : schema_migrations()) {
    if (migration.version <= current || migration.version > target_version) continue;
    SQLite::Transaction transaction{db, SQLite::TransactionBehavior::IMMEDIATE};
    db.exec(migration.sql);
    db.exec(fmt::format("PRAGMA user_version = {}", migration.version));
    if (current > 0 && reprojects_ledger(migration.version)) {
      const auto report = reproject_ledger(db);
      spdlog::info("read models re-projected from {} ledger events for schema version {}", report.events,
                   migration.version);
    }
    transaction.commit();
    spdlog::info("database schema upgraded to version {} ({})", migration.version, migration.name);
  }
}

}  // namespace

int latest_schema_version() { return schema_migrations().back().version; }

int schema_version(SQLite::Database& db) { return db.execAndGet("PRAGMA user_version").getInt(); }

SQLite::Database open_database(const std::filesystem::path& path, const DatabaseOptions& options) {
  if (options.read_only) {
    SQLite::Database db{path, SQLite::OPEN_READONLY, options.busy_timeout_ms};
    if (schema_version(db) != latest_schema_version()) {
      throw std::runtime_error(fmt::format("{} is at schema version {}, expected {}; open it once for writing to upgrade",
                                           path.string(), schema_version(db), latest_schema_version()));
    }
    return db;
  }
  const bool in_memory = path == ":memory:";  // tests and fuzzers
  if (!in_memory) create_private_file(path);
  SQLite::Database db{path, SQLite::OPEN_READWRITE | (in_memory ? SQLite::OPEN_CREATE : 0), options.busy_timeout_ms};
  db.exec("PRAGMA journal_mode = WAL");
  // Each delivery runs in a savepoint, whose statement journal would otherwise be a temp file
  // written page by page: in memory it is ~30% faster and never touches the disk.
  db.exec("PRAGMA temp_store = MEMORY");
  // 16 MiB of page cache keeps the hot B-tree interior pages of a million-event ledger resident.
  db.exec("PRAGMA cache_size = -16384");
  db.exec(fmt::format("PRAGMA wal_autocheckpoint = {}", options.wal_autocheckpoint_pages));
  db.exec(options.durability == Durability::full ? "PRAGMA synchronous = FULL"
                                                 : "PRAGMA synchronous = NORMAL");
  migrate(db, options.migrate_to_version > 0 ? options.migrate_to_version : latest_schema_version());
  return db;
}

}  // namespace seatmirror
