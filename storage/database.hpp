// Opening seatmirror's SQLite file: created with mode 0600, WAL, the chosen durability, and
// upgraded in place to the newest schema (schema/NNN_*.sql, recorded in PRAGMA user_version).
#pragma once

#include <SQLiteCpp/Database.h>

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace seatmirror {

namespace sql {
class Connection;
}

struct Migration {
  int version;
  const char* name;
  const char* sql;
};

// Generated from schema/*.sql at build time, in version order.
const std::vector<Migration>& schema_migrations();

enum class Durability {
  full,    // synchronous=FULL: a commit survives power loss (the default)
  normal,  // synchronous=NORMAL: survives a process crash, may lose the last commits on power loss
};

struct DatabaseOptions {
  Durability durability = Durability::full;
  bool read_only = false;
  int busy_timeout_ms = 5000;
  // Apply migrations up to this version only (tests build old files with it); 0 = newest.
  int migrate_to_version = 0;
  // WAL pages after which a commit copies the log back into the database file (SQLite's
  // default is 1000). Replay from files raises it to kBulkLoadWalPages.
  int wal_autocheckpoint_pages = 1000;
  // Some upgrades (SQLite's migration 6) need the read models computed again from the ledger,
  // which only the write side knows how to do: it passes this step (projection_engine.hpp:
  // with_reprojection), run inside the upgrade's transaction. Without it such an upgrade is
  // refused, saying which command can do it; storage never reaches up for it.
  std::function<void(sql::Connection&)> reproject_read_models;
};

// Pages of 8 KiB: every page a commit dirties costs SQLite two write calls to the log and one
// more at the checkpoint, and it is the calls that cost here, not the bytes. Replaying 100,000
// generated events made 470,000 write calls with 4 KiB pages and 272,000 with 8 KiB (strace -c).
constexpr int kPageSizeBytes = 8192;
constexpr int kPageCacheKib = 24 * 1024;

// For replay from files: an 80 MiB log (10,000 pages of 8 KiB). A batch of 2000 events dirties a few
// thousand pages, so at the default every commit copied its pages back, and pages that the
// next batches dirty again (B-tree interiors, small tables) were copied back again each time.
// Live serving keeps the default: its checkpoints run on the writer thread, and short ones
// keep answer latency even.
constexpr int kBulkLoadWalPages = 10000;

SQLite::Database open_database(const std::filesystem::path& path, const DatabaseOptions& options = {});

int schema_version(SQLite::Database& db);
int latest_schema_version();

// The one rule for the schema version `found` in a store (SQLite's or PostgreSQL's), against
// the `newest` this build knows: newer is always refused (upgrade seatmirror); a reader, which
// upgrades nothing, also refuses older, saying how to get it upgraded (`upgrade_hint`).
// `store`: the file or printable URL, for the message.
void check_schema_version(const std::string& store, int found, int newest, bool reading, std::string_view upgrade_hint);

}  // namespace seatmirror
