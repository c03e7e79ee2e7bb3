// `seatmirror backup`: a consistent copy of a live SQLite store, taken with SQLite's online
// backup API from one read transaction (in WAL mode writers go on meanwhile; the copy is the
// database as of the moment the read began: every transaction committed before it, none
// after), written to a new file, then checked: PRAGMA integrity_check, and it must open as a
// seatmirror database of this version. PostgreSQL is backed up with its own tools (pg_dump).
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace seatmirror {

struct BackupReport {
  std::int64_t bytes = 0;
  std::int64_t events = 0;  // ledger rows in the copy
  int schema_version = 0;
};

class BackupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws BackupError (the destination exists, the source is not a seatmirror database, the
// copy failed its check: then the copy is removed).
BackupReport backup_sqlite(const std::filesystem::path& source, const std::filesystem::path& destination);

}  // namespace seatmirror
