// The stores the end-to-end tests run against, so that one test body proves a behaviour on
// both: SQLite always, PostgreSQL where a private cluster can be started here. Use as
//   const auto store = GENERATE(from_range(test::store_kinds()));
//   test::ServerProcess server{dir, {}, test::fresh_store(store)};
#pragma once

#include "storage/sql_connection.hpp"
#include "tests/support/postgres_cluster.hpp"

#include <memory>
#include <string>
#include <vector>

namespace seatmirror::test {

inline constexpr const char* kSqlite = "SQLite";
inline constexpr const char* kPostgres = "PostgreSQL";

// kSqlite, and kPostgres unless PostgresCluster::unavailable_reason() (then a warning says why).
std::vector<std::string> store_kinds();

// An empty database of `kind` for one run of a test: "" for SQLite (the receiver makes
// dir/seatmirror.db), else the URL of a new database in this process's private cluster.
std::string fresh_store(const std::string& kind);

// This process's private cluster, started on first use and stopped at exit.
PostgresCluster& shared_cluster();

// What a receiver writes to (an SQLite path or a URL), opened read-only.
std::unique_ptr<sql::Connection> open_for_reading(const std::string& db);

// Another process's write lock on `db`, held until the connection rolls back or closes:
// SQLite's file lock, or on PostgreSQL a session holding the tables every writer writes (a
// long migration, a VACUUM FULL).
std::unique_ptr<sql::Connection> hold_write_lock(const std::string& kind, const std::string& db);

// SELECT count(*) FROM table [WHERE …] on `db`.
std::int64_t count_rows(const std::string& db, const std::string& table, const std::string& where = "");

}  // namespace seatmirror::test
