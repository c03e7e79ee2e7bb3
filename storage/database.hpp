// Opening seatmirror's SQLite file: created with mode 0600, WAL, the chosen durability, and
// upgraded in place to the newest schema (schema/NNN_*.sql, recorded in PRAGMA user_version).
#pragma once

#include "storage/store_options.hpp"

#include <SQLiteCpp/Database.h>

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace seatmirror {

// Generated from schema/*.sql at build time, in version order.
const std::vector<Migration>& schema_migrations();

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

}  // namespace seatmirror
