// `query`, `events`, `rejected` and `show`: reading the inventory from the database, as a
// table or as JSON, and seatmaps as pictures. All open the database read-only.
#include "app/commands.hpp"

#include "app/table_output.hpp"
#include "decode/bz_date.hpp"
#include "json/json_text.hpp"

#include "read_side/inventory_queries.hpp"
#include "storage/postgres_database.hpp"
#include "storage/store.hpp"
#include "views/terminal_layout.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <filesystem>

namespace seatmirror::cli {
namespace {

// The columns a table shows per kind; --json shows every column.
std::vector<std::string> table_columns(InventoryKind kind) {
  switch (kind) {
    case InventoryKind::seat_fees:
      return {"id", "short_name", "type", "value", "disabled", "name", "updated_at"};
    case InventoryKind::seat_classes:
      return {"id", "name", "description", "bgcolor", "deleted", "updated_at"};
    case InventoryKind::seatmaps:
      return {"id", "name", "capacity", "computed_capacity", "deleted", "updated_at"};
  }
  return {};
}

struct QueryOptions {
  std::string db_path = "seatmirror.db";
  std::string kind;
  std::string id;
  bool all = false;
  bool json = false;
};

int run_query(const QueryOptions& options) {
  if (!require_database(options.db_path)) return kExitUsage;
  const auto kind = *inventory_kind(options.kind);
  auto db = open_store(options.db_path, {.read_only = true});
  if (!options.id.empty()) {
    const auto row = find_entity(*db, kind, options.id);
    if (!row) {
      fmt::print(stderr, "no {} with id {} in {}\n", singular_name(kind), options.id,
                 printable_db_name(options.db_path));
      return 1;
    }
    if (options.json) {
      fmt::print("{}\n", json_text(*row));
    } else {
      for (const auto& [column, value] : *row) fmt::print("{:<24} {}\n", std::string_view{column}, cell_text(&value));
    }
    return kExitOk;
  }
  const auto rows = list_entities(*db, kind, {.include_deleted = options.all, .limit = 1'000'000});
  if (options.json) {
    fmt::print("{}\n", json_text(rows));
  } else {
    print_table(rows, table_columns(kind));
    // Said on stderr, like sqlite3's notes: the table on stdout stays what a script reads.
    const auto hidden = options.all ? 0 : count_deleted(*db, kind);
    if (hidden > 0) {
      fmt::print(stderr, "{} deleted {} not shown: add --all to include them\n", hidden,
                 hidden == 1 ? singular_name(kind) : std::string_view{options.kind});
    }
  }
  return kExitOk;
}

// Says on stderr when `limit` cut a listing short (the query asked for one row more).
void note_if_cut(boost::json::array& rows, std::size_t limit, std::string_view what, std::string_view hint = "") {
  if (rows.size() <= limit) return;
  rows.pop_back();
  fmt::print(stderr, "showing the first {} {}; more match: raise --limit{}\n", limit, what, hint);
}

// --limit's bound: one row more than the limit is asked for (to tell a cut list), so the
// limit must leave room for it; no terminal wants more rows than this anyway.
constexpr std::size_t kMaxListLimit = 1'000'000'000;

struct EventsOptions {
  std::string db_path = "seatmirror.db";
  std::string since, outcome, entity;
  std::size_t limit = 1000;
  bool json = false;
};

int run_events(const EventsOptions& options) {
  if (!require_database(options.db_path)) return kExitUsage;
  auto db = open_store(options.db_path, {.read_only = true});
  auto optional = [](const std::string& s) { return s.empty() ? std::nullopt : std::optional{s}; };
  auto rows = list_events(
      *db, {optional(options.since), optional(options.outcome), optional(options.entity), options.limit + 1});
  note_if_cut(rows, options.limit, "events", ", or narrow with --since, --outcome or --entity");
  if (options.json) {
    fmt::print("{}\n", json_text(rows));
  } else {
    print_table(rows, {"arrival_seq", "received_at", "id", "event", "entity_id", "outcome"});
  }
  return kExitOk;
}

struct RejectedOptions {
  std::string db_path = "seatmirror.db";
  std::size_t limit = 1000;
  bool json = false;
};

int run_rejected(const RejectedOptions& options) {
  if (!require_database(options.db_path)) return kExitUsage;
  auto db = open_store(options.db_path, {.read_only = true});
  auto rows = list_rejected(*db, options.limit + 1);
  note_if_cut(rows, options.limit, "rejected deliveries");
  if (options.json) {
    fmt::print("{}\n", json_text(rows));
  } else {
    print_table(rows, {"seq", "received_at", "source", "reason", "field", "message"});
  }
  return kExitOk;
}

struct ShowOptions {
  std::string db_path = "seatmirror.db";
  std::string what = "seatmap";
  std::string id;
  std::string colour = "auto";
};

int run_show(const ShowOptions& options) {
  if (!require_database(options.db_path)) return kExitUsage;
  auto db = open_store(options.db_path, {.read_only = true});
  const auto picture = load_seatmap_picture(*db, options.id);
  if (!picture) {
    fmt::print(stderr, "no seatmap with id {} in {}\n", options.id, printable_db_name(options.db_path));
    return 1;
  }
  const bool colour =
      options.colour == "always" || (options.colour == "auto" && ::isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR"));
  fmt::print("{}", views::draw_seatmap_text(*picture, colour));
  return kExitOk;
}

}  // namespace

// A date or a date-time with a zone, as canonical_utc_or_date reads it; the option then holds
// the canonical UTC text the ledger's received_at is compared with.
CLI::Validator user_instant() {
  return CLI::Validator(
      [](std::string& text) {
        auto canonical = canonical_utc_or_date(text);
        if (!canonical) {
          return fmt::format("{:?} is not a date (2026-11-25) or an ISO-8601 time with a zone (2026-11-25T10:00:00Z)",
                             text);
        }
        text = std::move(*canonical);
        return std::string{};
      },
      "DATE|TIME");
}

void add_read_commands(CLI::App& app, Runner& run) {
  auto query = std::make_shared<QueryOptions>();
  auto* q = app.add_subcommand("query", "Show seat fees, seat classes or seatmaps: a table, or JSON with --json");
  add_db_option(*q, query->db_path);
  q->add_option("kind", query->kind, "seat-fees, seat-classes or seatmaps")
      ->required()
      ->check(CLI::IsMember({"seat-fees", "seat-classes", "seatmaps"}));
  q->add_option("id", query->id, "one entity's 24-hex id");
  q->add_flag("--all", query->all, "include deleted seat classes and seatmaps (tombstones)");
  q->add_flag("--json", query->json, "JSON: one object, or an array");
  q->callback([&run, query] { run = [query] { return run_query(*query); }; });

  auto events = std::make_shared<EventsOptions>();
  auto* e = app.add_subcommand("events", "List the event ledger in arrival order");
  add_db_option(*e, events->db_path);
  e->add_option("--since", events->since,
                "received at or after this date (2026-11-25, midnight UTC) or ISO-8601 time with a zone")
      ->transform(user_instant());
  e->add_option("--outcome", events->outcome, "applied, stale or ignored")
      ->check(CLI::IsMember({"applied", "stale", "ignored"}));
  e->add_option("--entity", events->entity, "only events about this 24-hex id");
  e->add_option("--limit", events->limit, "at most this many")
      ->check(CLI::Range(std::size_t{1}, kMaxListLimit))
      ->capture_default_str();
  e->add_flag("--json", events->json, "JSON array");
  e->callback([&run, events] { run = [events] { return run_events(*events); }; });

  auto rejected = std::make_shared<RejectedOptions>();
  auto* r = app.add_subcommand("rejected", "List rejected deliveries with their reasons");
  add_db_option(*r, rejected->db_path);
  r->add_option("--limit", rejected->limit, "at most this many")
      ->check(CLI::Range(std::size_t{1}, kMaxListLimit))
      ->capture_default_str();
  r->add_flag("--json", rejected->json, "JSON array");
  r->callback([&run, rejected, r] {
    if (r->get_subcommands().empty()) run = [rejected] { return run_rejected(*rejected); };  // not `rejected retry`
  });

  auto show = std::make_shared<ShowOptions>();
  auto* s = app.add_subcommand("show", "Draw a seatmap's seat layout in the terminal");
  add_db_option(*s, show->db_path);
  s->add_option("what", show->what, "seatmap")->required()->check(CLI::IsMember({"seatmap"}));
  s->add_option("id", show->id, "the seatmap's 24-hex id")->required();
  s->add_option("--colour", show->colour, "auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  s->callback([&run, show] { run = [show] { return run_show(*show); }; });
}

}  // namespace seatmirror::cli
