#include "storage/store.hpp"

#include "storage/postgres_database.hpp"
#include "storage/sqlite_connection.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace seatmirror {

std::unique_ptr<sql::Connection> open_store(const std::string& db, const DatabaseOptions& options) {
  if (is_postgres_url(db)) return open_postgres(db, options);
  return std::make_unique<sql::SqliteConnection>(std::make_unique<SQLite::Database>(open_database(db, options)));
}

void check_schema_version(const std::string& store, int found, int newest, bool reading,
                          std::string_view upgrade_hint) {
  if (found > newest) {
    throw std::runtime_error(
        fmt::format("{} has schema version {}, newer than this seatmirror understands ({}); "
                    "upgrade seatmirror",
                    store, found, newest));
  }
  if (reading && found < newest) {
    throw std::runtime_error(fmt::format("{} has schema version {} and this seatmirror reads version {}: {}", store,
                                         found, newest, upgrade_hint));
  }
}

}  // namespace seatmirror
