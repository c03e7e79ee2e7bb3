#include "storage/backup.hpp"

#include "storage/database.hpp"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/Database.h>
#include <fmt/format.h>

namespace seatmirror {
namespace {

void check_copy(SQLite::Database& copy, const std::filesystem::path& destination) {
  const auto integrity = copy.execAndGet("PRAGMA integrity_check").getString();
  if (integrity != "ok") {
    throw BackupError{fmt::format("{}: the copy failed PRAGMA integrity_check: {}", destination.string(), integrity)};
  }
}

}  // namespace

BackupReport backup_sqlite(const std::filesystem::path& source, const std::filesystem::path& destination) {
  if (std::filesystem::exists(destination)) {
    throw BackupError{fmt::format("{} exists: give the path of a new file", destination.string())};
  }
  SQLite::Database from{source.string(), SQLite::OPEN_READONLY};
  const int version = from.execAndGet("PRAGMA user_version").getInt();
  if (version < 1 || !from.tableExists("webhook_events")) {
    throw BackupError{fmt::format("{} is not a seatmirror database", source.string())};
  }
  if (version > latest_schema_version()) {
    throw BackupError{
        fmt::format("{} is at schema version {}, newer than this seatmirror's ({}): back it up with "
                    "the seatmirror that wrote it",
                    source.string(), version, latest_schema_version())};
  }
  try {
    {
      SQLite::Database to{destination.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
      SQLite::Backup backup{to, from};
      backup.executeStep(-1);  // every page in one step: one read transaction, one snapshot
      check_copy(to, destination);
      to.exec("PRAGMA journal_mode = WAL");  // as seatmirror opens its files
    }
    BackupReport report;
    report.bytes = static_cast<std::int64_t>(std::filesystem::file_size(destination));
    SQLite::Database copy{destination.string(), SQLite::OPEN_READONLY};
    report.schema_version = copy.execAndGet("PRAGMA user_version").getInt();
    report.events = copy.execAndGet("SELECT count(*) FROM webhook_events").getInt64();
    return report;
  } catch (...) {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(destination.string() + suffix, ignored);
    throw;
  }
}

}  // namespace seatmirror
