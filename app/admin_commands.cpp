// `rebuild`, `stats` and `backup`: maintenance commands over an existing database.
#include "app/commands.hpp"

#include "projection/projection_engine.hpp"
#include "read_side/inventory_stats.hpp"
#include "storage/backup.hpp"
#include "storage/database.hpp"
#include "storage/postgres_database.hpp"
#include "storage/store.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>

namespace seatmirror::cli {

CLI::Option* add_db_option(CLI::App& command, std::string& db_path) {
  return command.add_option("--db", db_path, "SQLite database file, or postgresql://USER@HOST:PORT/DB")
      ->envname("SEATMIRROR_DB")
      ->capture_default_str();
}

bool require_database(const std::string& db_path) {
  if (is_postgres_url(db_path) || std::filesystem::exists(db_path)) return true;
  fmt::print(stderr, "error: {} does not exist; pass --db with the path of a seatmirror database\n",
             printable_db_name(db_path));
  return false;
}

namespace {

int run_rebuild(const std::string& db_path) {
  if (!require_database(db_path)) return kExitUsage;
  auto db = open_store(db_path, with_reprojection());
  const auto started = std::chrono::steady_clock::now();
  const auto report = rebuild_read_models(*db);
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
  fmt::print(
      "rebuilt read models from {} ledger events: {} applied, {} stale, {} ignored ({:.2f} s, {:.0f} events/s)\n",
      report.events, report.applied, report.stale, report.ignored, elapsed.count(),
      elapsed.count() > 0 ? static_cast<double>(report.events) / elapsed.count() : 0.0);
  fmt::print("re-read {} seat events and {} entitlements from what was recorded\n", report.seat_events,
             report.entitlements);
  if (report.changed_outcomes > 0) {
    spdlog::warn("{} events got a different outcome than when they arrived: the projection rules changed since",
                 report.changed_outcomes);
  }
  return kExitOk;
}

int run_stats(const std::string& db_path) {
  if (!require_database(db_path)) return kExitUsage;
  auto db = open_store(db_path, with_reprojection());
  const auto stats = collect_stats(*db);
  fmt::print("database          {} (schema version {})\n", printable_db_name(db_path), stats.schema_version);
  fmt::print("read models\n");
  for (const auto& [table, rows] : stats.read_model_rows) fmt::print("  {:<24} {:>10}\n", table, rows);
  fmt::print("ledger            {:>10} events\n", stats.ledger_events);
  for (const auto& [outcome, events] : stats.ledger_outcomes) fmt::print("  {:<24} {:>10}\n", outcome, events);
  fmt::print("rejected          {:>10} deliveries\n", stats.rejected);
  return kExitOk;
}

int run_backup(const std::string& db_path, const std::string& destination) {
  if (is_postgres_url(db_path)) {
    fmt::print(stderr,
               "error: backup copies an SQLite file; back up PostgreSQL with pg_dump (see the README's Backups)\n");
    return kExitUsage;
  }
  if (!require_database(db_path)) return kExitUsage;
  try {
    const auto started = std::chrono::steady_clock::now();
    const auto report = backup_sqlite(db_path, destination);
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    fmt::print("backed up {} to {}: {} ledger events, {:.1f} MB, schema version {}, integrity ok ({:.2f} s)\n", db_path,
               destination, report.events, static_cast<double>(report.bytes) / 1e6, report.schema_version,
               took.count());
    return kExitOk;
  } catch (const BackupError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return kExitUsage;
  }
}

}  // namespace

void add_backup_command(CLI::App& app, Runner& run) {
  auto* command = app.add_subcommand(
      "backup",
      "Copy a live SQLite database to a new file, safely while serve writes (SQLite's online backup API: the copy "
      "holds every transaction committed before it began), then check the copy (PRAGMA integrity_check). "
      "PostgreSQL: use pg_dump.");
  auto db_path = std::make_shared<std::string>("seatmirror.db");
  auto destination = std::make_shared<std::string>();
  add_db_option(*command, *db_path);
  command->add_option("destination", *destination, "the new file to write")->required();
  command->callback(
      [&run, db_path, destination] { run = [db_path, destination] { return run_backup(*db_path, *destination); }; });
}

void add_rebuild_command(CLI::App& app, Runner& run) {
  auto* command =
      app.add_subcommand("rebuild", "Empty the read models and re-apply the event ledger in arrival order, atomically");
  auto db_path = std::make_shared<std::string>("seatmirror.db");
  add_db_option(*command, *db_path);
  command->callback([&run, db_path] { run = [db_path] { return run_rebuild(*db_path); }; });
}

void add_stats_command(CLI::App& app, Runner& run) {
  auto* command = app.add_subcommand("stats", "Rows per read model, ledger outcomes and rejected deliveries");
  auto db_path = std::make_shared<std::string>("seatmirror.db");
  add_db_option(*command, *db_path);
  command->callback([&run, db_path] { run = [db_path] { return run_stats(*db_path); }; });
}

}  // namespace seatmirror::cli
