// Opening seatmirror's SQLite file: created with mode 0600, WAL, the chosen durability, and
// upgraded in place to the newest schema (schema/NNN_*.sql, recorded in PRAGMA user_version).
#pragma once

#include <SQLiteCpp/Database.h>

#include <filesystem>
#include <vector>

namespace seatmirror {

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
};

SQLite::Database open_database(const std::filesystem::path& path, const DatabaseOptions& options = {});

int schema_version(SQLite::Database& db);
int latest_schema_version();

}  // namespace seatmirror
