#include "storage/postgres_database.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

namespace seatmirror {
namespace {

// Any fixed number: the session advisory lock that serialises schema upgrades.
constexpr std::int64_t kMigrationLock = 0x5ea7'3112'0000'0001;

}  // namespace

bool is_postgres_url(std::string_view db) { return db.starts_with("postgresql://") || db.starts_with("postgres://"); }

std::string printable_db_name(const std::string& db) {
  if (!is_postgres_url(db)) return db;
  std::string shown = db;
  // postgresql://user:PASSWORD@host…: the password is what lies between the first ':' and the
  // last '@' of the authority.
  const auto authority = shown.find("://") + 3;
  const auto authority_end = std::min(shown.find_first_of("/?#", authority), shown.size());
  const auto at = shown.rfind('@', authority_end);
  if (at != std::string::npos && at >= authority) {
    const auto colon = shown.find(':', authority);
    if (colon < at) shown.replace(colon + 1, at - colon - 1, "***");
  }
  // …?password=PASSWORD&…: libpq takes any of its keywords as a query parameter.
  for (auto param = shown.find('?'); param != std::string::npos; param = shown.find('&', param)) {
    ++param;
    const auto end = std::min(shown.find('&', param), shown.size());
    const auto equals = shown.find('=', param);
    const auto key = std::string_view{shown}.substr(param, equals < end ? equals - param : 0);
    const auto is_password = std::ranges::equal(key, std::string_view{"password"}, [](char a, char b) {
      return std::tolower(static_cast<unsigned char>(a)) == b;
    });
    if (equals < end && is_password) {
      shown.replace(equals + 1, end - equals - 1, "***");
    }
  }
  return shown;
}

namespace {

// A reader upgrades nothing (a replica could not): it needs the schema this build writes.
std::unique_ptr<sql::PostgresConnection> open_postgres_reader(const std::string& url) {
  auto db = std::make_unique<sql::PostgresConnection>(url);
  db->exec("SET default_transaction_read_only = on");
  check_schema_version(printable_db_name(url), db->schema_version(), postgres_migrations().back().version, true,
                       "start a writer (serve, replay) on the primary first, then let the replica catch up");
  return db;
}

}  // namespace

std::unique_ptr<sql::PostgresConnection> open_postgres(const std::string& url, const DatabaseOptions& options) {
  if (options.read_only) return open_postgres_reader(url);
  auto db = std::make_unique<sql::PostgresConnection>(url);
  db->exec(fmt::format("SELECT pg_advisory_lock({})", kMigrationLock));
  try {
    db->exec(
        "CREATE TABLE IF NOT EXISTS seatmirror_schema (version integer PRIMARY KEY, name text NOT NULL, "
        "applied_at timestamptz NOT NULL DEFAULT now())");
    const int current = db->schema_version();
    check_schema_version(printable_db_name(url), current, postgres_migrations().back().version, false, {});
    for (const auto& migration : postgres_migrations()) {
      if (migration.version <= current) continue;
      sql::WriteTransaction transaction{*db};
      db->exec(migration.sql);
      const auto record = db->prepare("INSERT INTO seatmirror_schema (version, name) VALUES (?, ?)");
      record->bind(1, std::int64_t{migration.version});
      record->bind(2, std::string_view{migration.name});
      record->step();
      transaction.commit();
      spdlog::info("PostgreSQL schema upgraded to version {} ({})", migration.version, migration.name);
    }
  } catch (...) {
    db->exec(fmt::format("SELECT pg_advisory_unlock({})", kMigrationLock));
    throw;
  }
  db->exec(fmt::format("SELECT pg_advisory_unlock({})", kMigrationLock));
  // Set after the upgrade, which may take its time while other receivers wait for it. 0 means
  // "do not wait" for SQLite but "wait forever" for PostgreSQL: 1 ms is the nearest.
  db->exec(fmt::format("SET lock_timeout = {}", std::max(options.busy_timeout_ms, 1)));
  return db;
}

}  // namespace seatmirror
