#include "sync/inventory_scan.hpp"

#include "decode/bz_date.hpp"
#include "decode/delivery.hpp"
#include "decode/inventory_list.hpp"
#include "decode/json_document.hpp"
#include "decode/sync_record.hpp"
#include "read_side/inventory_queries.hpp"
#include "sync/repair_queue.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>
#include <chrono>
#include <cstring>
#include <memory>
#include <unordered_set>

namespace seatmirror::sync {
namespace {

constexpr std::size_t kMaxNotes = 1000;
constexpr int kMaxPages = 100'000;  // a bound on a paging loop the API controls

struct Family {
  InventoryKind kind;
  bool can_be_gone;
  std::string_view name() const { return table_of(kind); }  // as the report and the tables name it
};

constexpr Family kFamilies[] = {
    {InventoryKind::seat_fees, false}, {InventoryKind::seat_classes, true}, {InventoryKind::seatmaps, true}};

std::optional<StoredRecord> stored_record(StoredVersionReader& copy, const std::string& id) {
  auto row = copy.find(id);
  if (!row) return std::nullopt;
  StoredRecord stored{{}, std::move(row->updated_at), row->deleted};
  if (!row->doc.empty()) {
    if (auto doc = parse_json_document(row->doc); auto* value = std::get_if<boost::json::value>(&doc)) {
      if (value->is_object()) stored.doc = std::move(value->get_object());
    }
  }
  return stored;
}

std::optional<std::string> text_member(const boost::json::object& row, std::string_view name) {
  const auto* value = row.if_contains(name);
  return value && value->is_string() ? std::optional<std::string>{value->get_string()} : std::nullopt;
}

// The ids seen on a scan, 12 bytes each rather than 24 hex characters in a string: 150,000
// seat fees cost ~5 MB instead of ~15.
class SeenIds {
 public:
  // False when the id was seen before. Ids here are 24 lowercase hex (validated by decoding).
  bool insert(std::string_view id) { return ids_.insert(key_of(id)).second; }
  bool contains(std::string_view id) const { return ids_.count(key_of(id)) != 0; }

 private:
  using Key = std::array<unsigned char, 12>;
  struct Hash {
    std::size_t operator()(const Key& key) const noexcept {
      std::size_t h = 0;
      std::memcpy(&h, key.data() + 4, sizeof h);  // an ObjectId's last 8 bytes: counter and random
      return h;
    }
  };
  static Key key_of(std::string_view id) {
    Key key{};
    const auto nibble = [](char c) { return static_cast<unsigned char>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10); };
    for (std::size_t i = 0; i < key.size() && 2 * i + 1 < id.size(); ++i) {
      key[i] = static_cast<unsigned char>(nibble(id[2 * i]) << 4 | nibble(id[2 * i + 1]));
    }
    return key;
  }
  std::unordered_set<Key, Hash> ids_;
};

// A row the API no longer lists, with the ordering key its tombstone takes over.
struct GoneRow {
  const Family* family;
  std::string id;
  std::int64_t order_created;
  std::optional<std::string> order_updated_at;
};

// A scan asked to stop between two requests.
struct ScanStopped {};

// What one scan shares across its families: the report, the copy, where repairs go.
struct ScanState {
  sql::Connection& copy;
  const ScanOptions& options;
  ScanReport& report;
  std::unique_ptr<RepairQueue> repairs;  // none on a dry run
  std::vector<GoneRow> gone;

  void note(const Family& family, const std::string& id, std::string what) {
    if (report.notes.size() < kMaxNotes) report.notes.push_back({std::string{family.name()}, id, std::move(what)});
  }
  void repair(const Family& family, Delivery delivery) {
    if (!repairs) return;
    delivery.source = RejectionSource::inventory_sync;
    repairs->submit(std::string{family.name()}, std::move(delivery));
  }
};

class FamilyScan {
 public:
  FamilyScan(const Family& family, ScanState& scan)
      : family_(family),
        scan_(scan),
        counts_(scan.report.families[std::string{family.name()}]),
        stored_(scan.copy, family.kind),
        listing_began_(format_utc(std::chrono::system_clock::now())) {}

  // Judges one listed record, repairing it if it needs it; true when it was not seen before
  // on this scan.
  bool judge_item(const boost::json::object& item) {
    ++judged_;
    auto delivery = prepare_delivery(synced_record_body(family_.kind, item), std::chrono::system_clock::now());
    if (const auto* refused = std::get_if<Rejection>(&delivery.decoded)) {
      ++counts_.invalid;
      scan_.note(family_, text_member(item, "_id").value_or(""), refused->message);
      scan_.repair(family_, std::move(delivery));  // recorded in rejected_events
      return false;
    }
    const auto& event = std::get<InventoryEvent>(delivery.decoded);
    const auto id = *event.entity_id();
    if (!seen_.insert(id)) return false;  // listed twice (both fee lists, or a page repeated)
    ++counts_.remote;
    const auto judgement = judge(item, event.updated_at, stored_record(stored_, id));
    counts_.count(judgement.drift);
    if (judgement.drift == Drift::differs) {
      scan_.note(family_, id, fmt::format("differs in: {}", fmt::join(judgement.differing_fields, ", ")));
    }
    if (judgement.drift == Drift::missing || judgement.drift == Drift::behind) {
      scan_.repair(family_, std::move(delivery));
    }
    return true;
  }

  // After a complete listing: what the copy holds (not deleted) that the API did not list,
  // unless a webhook (or a sync) wrote it after the listing began: the API may list it now.
  void find_gone() {
    if (!family_.can_be_gone) return;
    constexpr std::size_t kChunk = 1000;
    std::string after_id;
    for (;;) {
      const auto rows = list_live_versions(scan_.copy, family_.kind, after_id, kChunk);
      for (const auto& row : rows) {
        if (seen_.contains(row.id) || (row.written_at && *row.written_at >= listing_began_)) continue;
        ++counts_.gone;
        scan_.note(family_, row.id, "gone: in the copy, not listed by the API");
        scan_.gone.push_back({&family_, row.id, row.order_created, row.order_updated_at});
      }
      if (rows.size() < kChunk) return;
      after_id = rows.back().id;
    }
  }

  std::int64_t judged() const { return judged_; }

 private:
  const Family& family_;
  ScanState& scan_;
  FamilyReport& counts_;
  StoredVersionReader stored_;
  const std::string listing_began_;  // ISO-8601 UTC, as received_at is stored
  SeenIds seen_;
  std::int64_t judged_ = 0;
};

std::vector<std::string> first_pages(const Family& family) {
  switch (family.kind) {
    case InventoryKind::seat_fees:
      return {"/seat-fees?disabled=false", "/seat-fees?disabled=true"};
    case InventoryKind::seat_classes:
      return {"/seat-classes"};
    case InventoryKind::seatmaps:
      return {};  // paged, below
  }
  return {};
}

// What one page held: what it said of the list, and how many records were new to this scan.
struct PageRead {
  InventoryListSummary summary;
  std::size_t fresh = 0;
};

void scan_family(const Family& family, InventoryClient& client, ScanState& state) {
  FamilyScan scan{family, state};
  // The page is spooled to a file, then read a record at a time: each is judged (and its
  // repair queued) as soon as it is parsed, so memory holds one record, not the page.
  const auto read = [&](const std::string& path) {
    if (state.options.stop && state.options.stop->load()) throw ScanStopped{};
    const auto body = client.get_spooled(path);
    PageRead page;
    try {
      InventoryListReader reader{[&](const boost::json::object& item) { page.fresh += scan.judge_item(item); }};
      body.read([&](std::string_view chunk) { reader.write(chunk); });
      page.summary = reader.finish();
    } catch (const InventoryListError& e) {
      throw InventoryListError{fmt::format("GET {}: {}", path, e.what())};
    }
    if (state.options.on_page) state.options.on_page(family.name(), scan.judged());
    return page;
  };
  if (family.kind == InventoryKind::seatmaps) {
    for (int page_number = 1; page_number <= kMaxPages; ++page_number) {
      const auto page = read(fmt::format("/seatmaps?page={}&originalOnly=true", page_number));
      const auto& list = page.summary;
      if (list.items == 0 || page.fresh == 0 || list.has_next == false) break;
      if (!list.has_next && list.count && scan.judged() >= *list.count) break;
    }
  } else {
    for (const auto& path : first_pages(family)) read(path);
  }
  scan.find_gone();
}

// Every repair's fate, added to its family's counts.
void add_repair_counts(ScanState& state) {
  if (!state.repairs) return;
  state.repairs->wait_all();
  for (const auto& [name, counts] : state.repairs->counts()) {
    auto& family = state.report.families[name];
    family.repaired += counts.repaired;
    family.superseded += counts.superseded;
  }
  state.report.write_failure = state.repairs->failure();
}

}  // namespace

std::vector<std::string> family_names() {
  std::vector<std::string> names;
  for (const auto& family : kFamilies) names.emplace_back(family.name());
  return names;
}

bool ScanReport::drift_left() const {
  for (const auto& [name, family] : families) {
    if (family.drift_left() > 0) return true;
  }
  return false;
}

ScanReport scan_inventory(InventoryClient& client, sql::Connection& copy, const ScanOptions& options) {
  ScanReport report;
  report.dry_run = options.writer == nullptr;
  ScanState state{copy, options, report, nullptr, {}};
  if (options.writer) state.repairs = std::make_unique<RepairQueue>(*options.writer, options.max_in_flight);
  for (const auto& name : family_names()) report.families[name];
  try {
    for (const auto& family : kFamilies) scan_family(family, client, state);
    report.complete = true;
  } catch (const InventoryApiError& e) {
    report.failure = e.what();
  } catch (const InventoryListError& e) {
    report.failure = e.what();
  } catch (const ScanStopped&) {
    report.failure = "stopped before the scan was complete (seatmirror is shutting down)";
  }
  // Only a complete scan may delete, and only when asked to.
  if (report.complete && options.delete_missing) {
    for (const auto& row : state.gone) {
      state.repair(*row.family,
                   prepare_delivery(gone_record_body(row.family->kind, row.id, row.order_created, row.order_updated_at),
                                    std::chrono::system_clock::now()));
    }
  }
  add_repair_counts(state);
  return report;
}

}  // namespace seatmirror::sync
