#include "storage/store.hpp"

#include "storage/postgres_database.hpp"
#include "storage/sqlite_connection.hpp"

namespace seatmirror {

std::unique_ptr<sql::Connection> open_store(const std::string& db, const DatabaseOptions& options) {
  if (is_postgres_url(db)) return open_postgres(db, options);
  return std::make_unique<sql::SqliteConnection>(std::make_unique<SQLite::Database>(open_database(db, options)));
}

int store_schema_version(sql::Connection& db) {
  if (auto* sqlite = dynamic_cast<sql::SqliteConnection*>(&db)) return schema_version(sqlite->database());
  return postgres_schema_version(db);
}

}  // namespace seatmirror
