#include "storage/database.hpp"

#include "storage/coalescing_wal_vfs.hpp"
#include "storage/sqlite_connection.hpp"

#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <stdexcept>

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

// Migrations after which the read models are re-projected from the ledger: 6 stores seat
// layouts per seatmap and keeps the content of tombstones, which only the projectors can
// compute (an upgraded file looks as if it had always been at 6).
bool reprojects_ledger(int version) { return version == 6; }

// A file at version 0 that already holds tables belongs to something else: adding seatmirror's
// tables to it would mix two programs' data in one file.
void refuse_foreign_database(SQLite::Database& db) {
  const std::string tables = db.execAndGet(
                                   "SELECT coalesce(group_concat(name, ', '), '') FROM sqlite_schema "
                                   "WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                                 .getString();
  if (tables.empty()) return;
  throw std::runtime_error(fmt::format(
      "{} is an SQLite database but not seatmirror's (it holds tables {}); refusing to add seatmirror's tables to it: "
      "give --db a seatmirror database or the name of a new file",
      db.getFilename(), tables));
}

// SQLite's own words ("unable to open database file", "file is not a database") name neither
// the file nor the cause; these say both, and what to do.
[[noreturn]] void explain_open_failure(const std::filesystem::path& path, bool read_only, const SQLite::Exception& e) {
  const auto directory = path.has_parent_path() ? path.parent_path() : std::filesystem::path{"."};
  switch (e.getErrorCode()) {
    case SQLITE_NOTADB:
      throw std::runtime_error(fmt::format(
          "{} is not an SQLite database: give --db a seatmirror database or the name of a new file", path.string()));
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
      if (::access(directory.c_str(), F_OK) != 0) {
        throw std::runtime_error(
            fmt::format("cannot open database {}: no such directory {}", path.string(), directory.string()));
      }
      if (::access(path.c_str(), read_only ? R_OK : R_OK | W_OK) != 0 && errno == EACCES) {
        throw std::runtime_error(fmt::format(
            "cannot open database {}: permission denied (the user running seatmirror must be able to {} it; check "
            "its owner and mode)",
            path.string(), read_only ? "read" : "read and write"));
      }
      if (::access(directory.c_str(), W_OK | X_OK) != 0 && errno == EACCES) {
        throw std::runtime_error(fmt::format(
            "cannot open database {}: permission denied on its directory {} (SQLite keeps its -wal and -shm files "
            "beside the database, so the directory must be writable too)",
            path.string(), directory.string()));
      }
      break;
    default:
      break;
  }
  throw e;
}

// Every pending migration runs in one transaction: a file is upgraded whole or not at all. A
// re-projection runs after the last one, at the newest schema, because the projectors write
// every table of it (the tests' older files, made with migrate_to_version, are never re-projected).
void migrate(SQLite::Database& db, int target_version, const DatabaseOptions& options) {
  const int current = schema_version(db);
  check_schema_version(db.getFilename(), current, latest_schema_version(), false, {});
  if (current == 0) refuse_foreign_database(db);
  if (current >= target_version) return;
  SQLite::Transaction transaction{db, SQLite::TransactionBehavior::IMMEDIATE};
  bool reproject = false;
  std::vector<const Migration*> applied;
  for (const auto& migration : schema_migrations()) {
    if (migration.version <= current || migration.version > target_version) continue;
    db.exec(migration.sql);
    db.exec(fmt::format("PRAGMA user_version = {}", migration.version));
    reproject |= current > 0 && reprojects_ledger(migration.version);
    applied.push_back(&migration);
  }
  if (reproject && target_version == latest_schema_version()) {
    if (!options.reproject_read_models) {
      throw std::runtime_error(
          fmt::format("{}: upgrading it computes the read models again from its ledger, which only "
                      "a writer does: open it first with seatmirror serve, replay --db or rebuild",
                      db.getFilename()));
    }
    sql::SqliteConnection connection{db};
    options.reproject_read_models(connection);
  }
  transaction.commit();
  for (const auto* migration : applied) {
    spdlog::info("database schema upgraded to version {} ({})", migration->version, migration->name);
  }
}

// Before SQLite's first use in the process: connections are never shared between threads
// (NOMUTEX below), and SQLite's memory statistics, which take a global mutex around every
// allocation, are read by nothing here.
bool configure_sqlite_once() {
  sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
  sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  register_coalescing_wal_vfs();
  return true;
}

}  // namespace

int latest_schema_version() { return schema_migrations().back().version; }

int schema_version(SQLite::Database& db) { return db.execAndGet("PRAGMA user_version").getInt(); }

namespace {

SQLite::Database open_sqlite_file(const std::filesystem::path& path, const DatabaseOptions& options) {
  [[maybe_unused]] static const bool configured = configure_sqlite_once();
  if (options.read_only) {
    SQLite::Database db{path, SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX, options.busy_timeout_ms};
    if (schema_version(db) == 0) refuse_foreign_database(db);
    check_schema_version(path.string(), schema_version(db), latest_schema_version(), true,
                         "open it once for writing to upgrade it");
    return db;
  }
  const bool in_memory = path == ":memory:";  // tests and fuzzers
  if (!in_memory) create_private_file(path);
  // NOMUTEX: a connection is only ever used by one thread at a time (the writer's own, a
  // leased reader, a command), so SQLite's per-call locking is pure cost.
  SQLite::Database db{path, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX | (in_memory ? SQLite::OPEN_CREATE : 0),
                      options.busy_timeout_ms};
  // Only a new file takes the page size (an existing one keeps its own until a VACUUM).
  db.exec(fmt::format("PRAGMA page_size = {}", kPageSizeBytes));
  db.exec("PRAGMA journal_mode = WAL");
  // Each delivery runs in a savepoint, whose statement journal would otherwise be a temp file
  // written page by page: in memory it is ~30% faster and never touches the disk.
  db.exec("PRAGMA temp_store = MEMORY");
  // The cache holds a batch's dirty pages (or they spill to the log mid-transaction and are
  // written again) and the interior pages of a million-event ledger's indexes.
  db.exec(fmt::format("PRAGMA cache_size = -{}", kPageCacheKib));
  db.exec(fmt::format("PRAGMA wal_autocheckpoint = {}", options.wal_autocheckpoint_pages));
  db.exec(options.durability == Durability::full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
  migrate(db, options.migrate_to_version > 0 ? options.migrate_to_version : latest_schema_version(), options);
  return db;
}

}  // namespace

SQLite::Database open_database(const std::filesystem::path& path, const DatabaseOptions& options) {
  try {
    return open_sqlite_file(path, options);
  } catch (const SQLite::Exception& e) {
    explain_open_failure(path, options.read_only, e);
  }
}

}  // namespace seatmirror
