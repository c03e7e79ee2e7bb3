// `sync`: compares the copy with the Betterez Inventory API and repairs it through the one
// writer (sync/inventory_scan.hpp), then reports per family: a table, or one JSON object with
// --json. Exit codes: 0 the copy matched or was repaired; 1 drift left (a dry run, `differs`,
// `gone` without --delete-missing, a record the rules refuse); 2 usage; 3 the database did
// not store a repair; 4 the API failed (what was repaired before it stays, nothing is deleted).
#include "app/commands.hpp"

#include "app/inventory_api_options.hpp"
#include "app/table_output.hpp"
#include "json/json_text.hpp"
#include "projection/delivery_writer.hpp"
#include "storage/database.hpp"
#include "storage/store.hpp"
#include "sync/inventory_scan.hpp"

#include <fmt/format.h>

#include <unistd.h>

namespace seatmirror::cli {
namespace {

struct SyncOptions {
  std::string db_path = "seatmirror.db";
  InventoryApiOptions api;
  bool dry_run = false;
  bool delete_missing = false;
  bool json = false;
};

boost::json::object counts_json(const sync::FamilyReport& family) {
  boost::json::object counts;
  for (const auto& [name, member] : sync::kFamilyCounts) counts[name] = family.*member;
  return counts;
}

boost::json::object report_json(const sync::ScanReport& report) {
  boost::json::object families;
  for (const auto& [name, family] : report.families) families[name] = counts_json(family);
  boost::json::array notes;
  for (const auto& note : report.notes)
    notes.push_back({{"family", note.family}, {"id", note.id}, {"what", note.what}});
  boost::json::object out{
      {"complete", report.complete}, {"dry_run", report.dry_run}, {"families", std::move(families)}};
  if (!report.failure.empty()) out["failure"] = report.failure;
  if (!report.write_failure.empty()) out["write_failure"] = report.write_failure;
  out["notes"] = std::move(notes);
  return out;
}

void print_report(const sync::ScanReport& report) {
  boost::json::array rows;
  for (const auto& [name, family] : report.families) {
    auto row = counts_json(family);
    row["family"] = name;
    rows.push_back(std::move(row));
  }
  std::vector<std::string> columns{"family"};
  for (const auto& [name, member] : sync::kFamilyCounts) columns.emplace_back(name);
  print_table(rows, columns);
  for (const auto& note : report.notes)
    fmt::print("{} {}: {}\n", note.family, note.id.empty() ? "-" : note.id, note.what);
  if (!report.complete) fmt::print("the scan is incomplete: nothing was deleted on its strength\n");
}

int exit_code(const sync::ScanReport& report) {
  if (!report.complete) {
    fmt::print(stderr, "error: {}\n", report.failure);
    return kExitApi;
  }
  if (!report.write_failure.empty()) {
    fmt::print(stderr, "error: a repair was not stored: {}\n", report.write_failure);
    return kExitFailure;
  }
  return report.drift_left() ? kExitRejected : kExitOk;
}

int run_sync(const SyncOptions& options) {
  // A dry run only reads, so the copy must exist; a repairing sync may start from nothing.
  if (options.dry_run && !require_database(options.db_path)) return kExitUsage;
  std::unique_ptr<sync::InventoryClient> client;
  try {
    client = std::make_unique<sync::InventoryClient>(inventory_client_options(options.api));
  } catch (const std::runtime_error& e) {  // InventoryOptionsError, InventoryApiError: both the user's to fix
    fmt::print(stderr, "error: {}\n", e.what());
    return kExitUsage;
  }
  // The writer is opened first: it creates or upgrades the store. A load from the API is a bulk
  // load, like replay from files: large batches, a WAL copied back less often.
  constexpr std::size_t kBatch = 1000;
  std::unique_ptr<DeliveryWriter> writer;
  if (!options.dry_run) {
    writer = std::make_unique<DeliveryWriter>(
        options.db_path,
        WriterOptions{.max_batch = kBatch, .max_queued = kBatch, .wal_autocheckpoint_pages = kBulkLoadWalPages});
  }
  const auto copy = open_store(options.db_path, {.read_only = true});
  const bool on_terminal = ::isatty(STDERR_FILENO) == 1 && !options.json;
  sync::ScanOptions scan_options{
      .writer = writer.get(), .delete_missing = options.delete_missing, .max_in_flight = 2 * kBatch};
  if (on_terminal) {
    scan_options.on_page = [](std::string_view family, std::int64_t judged) {
      fmt::print(stderr, "\r\033[K{}: {} records compared", family, judged);
    };
  }
  const auto report = sync::scan_inventory(*client, *copy, scan_options);
  if (writer) writer->stop();
  if (on_terminal) fmt::print(stderr, "\r\033[K");
  if (options.json) {
    fmt::print("{}\n", json_text(report_json(report)));
  } else {
    print_report(report);
  }
  return exit_code(report);
}

}  // namespace

void add_sync_command(CLI::App& app, Runner& run) {
  auto options = std::make_shared<SyncOptions>();
  auto* command = app.add_subcommand(
      "sync",
      "Compare the copy with the Betterez Inventory API and repair it: what the webhooks missed (missing, behind) "
      "is written through the same writer, rules and ledger as a webhook (ledger events seatfees.synced, "
      "seatclass.synced, seatmap.synced; a second sync adds nothing); what arrived since (ahead) is left alone; what "
      "disagrees at the same version (differs) is only reported; what the API no longer lists (gone) is tombstoned "
      "only with --delete-missing and only after a complete scan (events seatclass.gone, seatmap.gone). A record "
      "the webhook rules refuse is recorded in rejected_events (source inventory_sync). Exit 0 in sync or "
      "repaired, 1 drift left, 2 usage, 3 database, 4 the API failed (what was repaired before stays; nothing is "
      "deleted).");
  add_db_option(*command, options->db_path);
  add_inventory_api_options(*command, options->api, true);
  command->add_flag("--dry-run", options->dry_run, "compare and report; write nothing at all");
  command->add_flag("--delete-missing", options->delete_missing,
                    "tombstone seat classes and seatmaps the API no longer lists (after a complete scan only)");
  command->add_flag("--json", options->json, "one JSON object: complete, dry_run, families, notes, failure");
  command->callback([&run, options] { run = [options] { return run_sync(*options); }; });
}

}  // namespace seatmirror::cli
