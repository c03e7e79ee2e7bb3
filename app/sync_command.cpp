// `sync`: compares the copy with the Betterez Inventory API (sync/inventory_scan.hpp) and
// reports the drift per family: a table, or one JSON object with --json. This first version
// only reports (--dry-run is required); repairing through the writer comes next (issue 18).
// Exit codes: 0 the copy matches; 1 drift found; 2 usage; 3 database; 4 the API failed.
#include "app/commands.hpp"
#include "app/secrets.hpp"
#include "app/table_output.hpp"
#include "storage/store.hpp"
#include "sync/inventory_scan.hpp"

#include <fmt/format.h>
#include <boost/json/serialize.hpp>

#include <unistd.h>

namespace seatmirror::cli {
namespace {

constexpr int kExitApi = 4;

struct SyncOptions {
  std::string db_path = "seatmirror.db";
  std::string inventory_url;
  std::string api_key_file;
  std::string ca_file;
  bool dry_run = false;
  bool json = false;
};

// The counts of one family, named once for the JSON and the table.
constexpr std::pair<const char*, std::int64_t sync::FamilyReport::*> kCounts[] = {
    {"remote", &sync::FamilyReport::remote},   {"missing", &sync::FamilyReport::missing},
    {"behind", &sync::FamilyReport::behind},   {"ahead", &sync::FamilyReport::ahead},
    {"differs", &sync::FamilyReport::differs}, {"gone", &sync::FamilyReport::gone},
    {"in_sync", &sync::FamilyReport::in_sync}, {"repaired", &sync::FamilyReport::repaired},
    {"invalid", &sync::FamilyReport::invalid}};

boost::json::object counts_json(const sync::FamilyReport& family) {
  boost::json::object counts;
  for (const auto& [name, member] : kCounts) counts[name] = family.*member;
  return counts;
}

boost::json::object report_json(const sync::ScanReport& report) {
  boost::json::object families;
  for (const auto& [name, family] : report.families) families[name] = counts_json(family);
  boost::json::array notes;
  for (const auto& note : report.notes)
    notes.push_back({{"family", note.family}, {"id", note.id}, {"what", note.what}});
  boost::json::object out{{"complete", report.complete}, {"dry_run", true}, {"families", std::move(families)}};
  if (!report.failure.empty()) out["failure"] = report.failure;
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
  for (const auto& [name, member] : kCounts) columns.emplace_back(name);
  print_table(rows, columns);
  for (const auto& note : report.notes)
    fmt::print("{} {}: {}\n", note.family, note.id.empty() ? "-" : note.id, note.what);
  if (!report.complete) fmt::print("the scan is incomplete: nothing may be deleted on its strength\n");
}

int run_sync(const SyncOptions& options) {
  if (!options.dry_run) {
    fmt::print(stderr,
               "error: sync repairs the copy in a later version; for now it only reports drift: add --dry-run\n");
    return kExitUsage;
  }
  if (!require_database(options.db_path)) return kExitUsage;
  std::string api_key;
  try {
    const auto keys = read_secret_file(options.api_key_file);
    if (keys.size() != 1)
      throw std::runtime_error(fmt::format("{} holds {} keys; give one", options.api_key_file, keys.size()));
    api_key = keys.front();
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: --api-key-file: {}\n", e.what());
    return kExitUsage;
  }
  std::unique_ptr<sync::InventoryClient> client;
  try {
    sync::InventoryClientOptions client_options{.base_url = options.inventory_url, .api_key = std::move(api_key)};
    if (!options.ca_file.empty()) client_options.ca_file = options.ca_file;
    client = std::make_unique<sync::InventoryClient>(std::move(client_options));
  } catch (const sync::InventoryApiError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return kExitUsage;
  }
  const auto copy = open_store(options.db_path, {.read_only = true});
  const bool on_terminal = ::isatty(STDERR_FILENO) == 1 && !options.json;
  const auto report = sync::scan_inventory(*client, *copy, [&](std::string_view family, std::int64_t judged) {
    if (on_terminal) fmt::print(stderr, "\r{}: {} records compared   ", family, judged);
  });
  if (on_terminal) fmt::print(stderr, "\n");
  if (options.json) {
    fmt::print("{}\n", boost::json::serialize(report_json(report)));
  } else {
    print_report(report);
  }
  if (!report.complete) {
    fmt::print(stderr, "error: {}\n", report.failure);
    return kExitApi;
  }
  for (const auto& [name, family] : report.families) {
    if (family.drifted()) return kExitRejected;
  }
  return kExitOk;
}

}  // namespace

void add_sync_command(CLI::App& app, Runner& run) {
  auto options = std::make_shared<SyncOptions>();
  auto* command = app.add_subcommand(
      "sync",
      "Compare the copy with the Betterez Inventory API: what the webhooks missed (missing, behind), what arrived "
      "since (ahead), what disagrees at the same version (differs) and what the API no longer lists (gone). Exit 0 "
      "in sync, 1 drift, 2 usage, 3 database, 4 the API failed. This version reports only: --dry-run is required.");
  add_db_option(*command, options->db_path);
  command
      ->add_option("--inventory-url", options->inventory_url,
                   "the Inventory API, e.g. https://api.betterez.com/inventory")
      ->envname("SEATMIRROR_INVENTORY_URL")
      ->required();
  command->add_option("--api-key-file", options->api_key_file, "a file holding the account's API key (one line)")
      ->envname("SEATMIRROR_INVENTORY_API_KEY_FILE")
      ->required();
  command->add_option("--inventory-ca-file", options->ca_file, "trust only this CA (PEM) for the API's certificate");
  command->add_flag("--dry-run", options->dry_run, "compare and report; write nothing");
  command->add_flag("--json", options->json, "one JSON object: complete, dry_run, families, notes");
  command->callback([&run, options] { run = [options] { return run_sync(*options); }; });
}

}  // namespace seatmirror::cli
