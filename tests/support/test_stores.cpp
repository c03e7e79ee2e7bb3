#include "tests/support/test_stores.hpp"

#include "storage/postgres_connection.hpp"
#include "storage/store.hpp"

#include <fmt/format.h>
#include <catch2/catch.hpp>

namespace seatmirror::test {

std::vector<std::string> store_kinds() {
  if (const auto reason = PostgresCluster::unavailable_reason()) {
    WARN("PostgreSQL run skipped: " << *reason);
    return {kSqlite};
  }
  return {kSqlite, kPostgres};
}

PostgresCluster& shared_cluster() {
  static PostgresCluster cluster;
  return cluster;
}

std::string fresh_store(const std::string& kind) {
  if (kind == kSqlite) return "";
  static int made = 0;
  const auto name = fmt::format("run_{}", ++made);
  sql::PostgresConnection{shared_cluster().url()}.exec("CREATE DATABASE " + name);
  return shared_cluster().url(name);
}

std::unique_ptr<sql::Connection> open_for_reading(const std::string& db) { return open_store(db, {.read_only = true}); }

std::unique_ptr<sql::Connection> hold_write_lock(const std::string& kind, const std::string& db) {
  auto other = open_store(db);
  other->begin_write();
  if (kind == kPostgres) other->exec("LOCK TABLE webhook_events, writer_heartbeat IN EXCLUSIVE MODE");
  return other;
}

std::int64_t count_rows(const std::string& db, const std::string& table, const std::string& where) {
  auto store = open_for_reading(db);
  const auto count =
      store->prepare(fmt::format("SELECT count(*) FROM {}{}", table, where.empty() ? "" : " WHERE " + where));
  count->step();
  return count->column_int64(0);
}

}  // namespace seatmirror::test
