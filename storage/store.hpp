// What --db names, opened: a postgresql:// or postgres:// URL selects PostgreSQL
// (postgres_database.hpp), anything else is the path of an SQLite file (database.hpp). Either
// comes back behind the storage seam (sql_connection.hpp), created or upgraded to the newest
// schema (read-only stores excepted, which must already be current).
#pragma once

#include "storage/database.hpp"
#include "storage/sql_connection.hpp"

#include <memory>
#include <string>

namespace seatmirror {

std::unique_ptr<sql::Connection> open_store(const std::string& db, const DatabaseOptions& options = {});

}  // namespace seatmirror
