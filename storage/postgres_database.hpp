// Opening seatmirror's PostgreSQL database: a connection (postgres_connection.hpp) on a schema
// created and upgraded to the newest version of schema/postgresql/NNN_*.sql, recorded in the
// table seatmirror_schema. Several receivers may start at once: the upgrade runs under a
// session advisory lock, so one of them upgrades and the others find it done.
//
// Opened read-only (the read API's --read-db, the query commands) nothing is created or
// upgraded, so a hot-standby replica can be named: the schema must already be the newest this
// build knows, and the session refuses writes (default_transaction_read_only).
#pragma once

#include "storage/postgres_connection.hpp"
#include "storage/store_options.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace seatmirror {

// Generated from schema/postgresql/*.sql at build time, in version order.
const std::vector<Migration>& postgres_migrations();

// True for postgresql:// and postgres:// URLs: what --db selects PostgreSQL with.
bool is_postgres_url(std::string_view db);

// Uses options.read_only and options.busy_timeout_ms: a writer waits that long for a lock
// (lock_timeout; advisory locks included) before its statement fails, as SQLite's busy
// timeout does, so a transaction holding a lock too long costs a 503, never a hung writer.
std::unique_ptr<sql::PostgresConnection> open_postgres(const std::string& url, const DatabaseOptions& options = {});

// What --db names, fit for a log line or a terminal: a URL's password (user:PASSWORD@ or
// ?password=PASSWORD) replaced by ***. Wherever a --db value is shown, it is shown through this.
std::string printable_db_name(const std::string& db);

}  // namespace seatmirror
