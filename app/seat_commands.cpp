// `seats usage` and `entitlements import|list|show`: seat usage per customer and period, and
// the marketplace entitlements whose seats PATCH /org/{orgId}/entitlement/{id}/seat changes.
#include "app/commands.hpp"

#include "app/table_output.hpp"
#include "json/json_text.hpp"

#include "decode/bz_date.hpp"
#include "decode/json_document.hpp"
#include "projection/entitlement_store.hpp"
#include "projection/projection_engine.hpp"
#include "read_side/entitlement_queries.hpp"
#include "read_side/seat_usage.hpp"
#include "storage/postgres_database.hpp"
#include "storage/store.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace seatmirror::cli {
namespace {

struct UsageOptions {
  std::string db_path = "seatmirror.db";
  std::string customer, type, from, to;
  bool json = false;
};

int run_usage(const UsageOptions& options) {
  if (!require_database(options.db_path)) return kExitUsage;
  UsageQuery query{.customer = options.customer};
  if (!options.type.empty()) query.seat_type = options.type;
  if (auto problem = set_usage_period(query, "--from", options.from, "--to", options.to)) {
    fmt::print(stderr, "error: {}\n", *problem);
    return kExitUsage;
  }
  auto db = open_store(options.db_path, {.read_only = true});
  const auto answer = seat_usage_json(query, seat_usage(*db, query));
  if (options.json) {
    fmt::print("{}\n", json_text(answer));
    return kExitOk;
  }
  fmt::print("seat usage of {} from {} to {} (excluded)\n", query.customer, answer_timestamp(query.from),
             answer_timestamp(query.to));
  auto types = answer.at("types").as_array();
  if (types.empty()) {
    fmt::print("no seat events for this customer\n");
    return kExitOk;
  }
  for (auto& row : types) {  // fixed decimals read better in a table than shortest-form doubles
    auto& object = row.as_object();
    object["average_seats"] = fmt::format("{:.3f}", object["average_seats"].as_double());
    object["seat_days"] = fmt::format("{:.3f}", object["seat_days"].as_double());
  }
  print_table(types, {"seatType", "seats_at_start", "seats_at_end", "max_seats", "average_seats", "seat_days"});
  return kExitOk;
}

// The JSON values a file holds: one object, an array of them, or one per line (NDJSON).
std::vector<boost::json::value> read_json_values(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in) throw std::runtime_error(fmt::format("cannot read {}", path));
  std::ostringstream text;
  text << in.rdbuf();
  const auto bytes = text.str();
  auto whole = parse_json_document(bytes);
  if (auto* value = std::get_if<boost::json::value>(&whole)) {
    if (value->is_array()) return {value->get_array().begin(), value->get_array().end()};
    return {std::move(*value)};
  }
  std::vector<boost::json::value> values;
  std::istringstream lines{bytes};
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto parsed = parse_json_document(line);
    if (auto* error = std::get_if<JsonSyntaxError>(&parsed)) {
      throw std::runtime_error(
          fmt::format("{}: neither one JSON document nor NDJSON (line {}: {})", path, number, error->message));
    }
    values.push_back(std::move(std::get<boost::json::value>(parsed)));
  }
  return values;
}

struct ImportOptions {
  std::string db_path = "seatmirror.db";
  std::vector<std::string> files;
};

// All or nothing: every object is checked before any is written, so a file with one bad
// entitlement changes nothing and can be fixed and imported again.
int run_import(const ImportOptions& options) {
  std::vector<Entitlement> entitlements;
  int invalid = 0;
  for (const auto& file : options.files) {
    std::vector<boost::json::value> values;
    try {
      values = read_json_values(file);
    } catch (const std::exception& e) {
      fmt::print(stderr, "error: {}\n", e.what());
      return kExitUsage;
    }
    for (std::size_t i = 0; i < values.size(); ++i) {
      auto read = read_entitlement(values[i], values.size() > 1 ? fmt::format("[{}]", i) : "");
      if (auto* rejection = std::get_if<Rejection>(&read)) {
        fmt::print(stderr, "{}: {}\n", file, rejection->message);
        ++invalid;
      } else {
        entitlements.push_back(std::get<Entitlement>(std::move(read)));
      }
    }
  }
  if (invalid > 0) {
    fmt::print(stderr, "{} invalid entitlement(s); nothing was imported\n", invalid);
    return kExitRejected;
  }
  auto db = open_store(options.db_path, with_reprojection());
  auto& connection = *db;
  EntitlementStore store{connection};
  int added = 0, replaced = 0, kept = 0;
  sql::WriteTransaction transaction{connection};
  for (const auto& entitlement : entitlements) {
    switch (store.import(entitlement)) {
      case ImportOutcome::added:
        ++added;
        fmt::print("added     {}\n", entitlement.id);
        break;
      case ImportOutcome::replaced:
        ++replaced;
        fmt::print("replaced  {}\n", entitlement.id);
        break;
      case ImportOutcome::kept:
        ++kept;
        fmt::print("kept      {} (the stored one is as new or newer)\n", entitlement.id);
        break;
    }
  }
  transaction.commit();
  fmt::print("{} added, {} replaced, {} kept\n", added, replaced, kept);
  return kExitOk;
}

struct EntitlementReadOptions {
  std::string db_path = "seatmirror.db";
  std::string id;
  bool json = false;
};

int run_list(const EntitlementReadOptions& options) {
  if (!require_database(options.db_path)) return kExitUsage;
  auto db = open_store(options.db_path, {.read_only = true});
  const auto rows = list_entitlements(*db);
  if (options.json) {
    fmt::print("{}\n", json_text(rows));
  } else {
    print_table(
        rows, {"id", "organization_id", "partner", "status", "buyer_id", "product_id", "quantity", "last_update_time"});
  }
  return kExitOk;
}

int run_show(const EntitlementReadOptions& options) {
  if (!require_database(options.db_path)) return kExitUsage;
  auto db = open_store(options.db_path, {.read_only = true});
  const auto entitlement = find_entitlement(*db, options.id);
  if (!entitlement) {
    fmt::print(stderr, "no entitlement with id {} in {}\n", options.id, printable_db_name(options.db_path));
    return 1;
  }
  if (options.json) {
    fmt::print("{}\n", json_text(*entitlement));
    return kExitOk;
  }
  for (const auto& [column, value] : *entitlement) {
    if (column != "doc" && column != "seat_changes")
      fmt::print("{:<18} {}\n", std::string_view{column}, cell_text(&value));
  }
  fmt::print("\nseat changes\n");
  print_table(entitlement->at("seat_changes").as_array(),
              {"seq", "changed_at", "old_quantity", "new_quantity", "seat_event_id"});
  return kExitOk;
}

}  // namespace

void add_seat_commands(CLI::App& app, Runner& run) {
  auto* seats = app.add_subcommand("seats", "Seat usage recorded from seat events");
  seats->require_subcommand(1);
  auto usage = std::make_shared<UsageOptions>();
  auto* u = seats->add_subcommand("usage",
                                  "Seats at start and end, maximum, time-weighted average and seat-days "
                                  "of one customer over [--from, --to)");
  add_db_option(*u, usage->db_path);
  u->add_option("--customer", usage->customer, "the customerAlias")->required();
  u->add_option("--type", usage->type, "one seat type (default: every type the customer has)");
  u->add_option("--from", usage->from, "period start (included): 2024-03-01 (midnight UTC) or ISO-8601 with a zone")
      ->required();
  u->add_option("--to", usage->to, "period end (excluded): 2024-04-01 (midnight UTC) or ISO-8601 with a zone")
      ->required();
  u->add_flag("--json", usage->json, "JSON, as GET /v1/seat-usage answers");
  u->callback([&run, usage] { run = [usage] { return run_usage(*usage); }; });

  auto* entitlements = app.add_subcommand("entitlements", "Marketplace entitlements (Suger's entitlement objects)");
  entitlements->require_subcommand(1);
  auto import = std::make_shared<ImportOptions>();
  auto* i = entitlements->add_subcommand("import",
                                         "Load entitlements from JSON (one object or an array) or NDJSON "
                                         "files; a stored one is replaced only by a newer lastUpdateTime");
  add_db_option(*i, import->db_path);
  i->add_option("files", import->files, "files to import")->required()->check(CLI::ExistingFile);
  i->callback([&run, import] { run = [import] { return run_import(*import); }; });

  auto list = std::make_shared<EntitlementReadOptions>();
  auto* l = entitlements->add_subcommand("list", "List the stored entitlements");
  add_db_option(*l, list->db_path);
  l->add_flag("--json", list->json, "JSON array");
  l->callback([&run, list] { run = [list] { return run_list(*list); }; });

  auto show = std::make_shared<EntitlementReadOptions>();
  auto* s = entitlements->add_subcommand("show", "One entitlement, whole, with its seat changes");
  add_db_option(*s, show->db_path);
  s->add_option("id", show->id, "the entitlement id")->required();
  s->add_flag("--json", show->json, "JSON object (doc: the entitlement as stored)");
  s->callback([&run, show] { run = [show] { return run_show(*show); }; });
}

}  // namespace seatmirror::cli
