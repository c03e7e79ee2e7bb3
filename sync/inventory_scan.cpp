#include "sync/inventory_scan.hpp"

#include "decode/inventory_list.hpp"
#include "decode/json_fields.hpp"
#include "read_side/inventory_queries.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <boost/json/parse.hpp>

#include <set>
#include <unordered_set>

namespace seatmirror::sync {
namespace {

constexpr std::size_t kMaxNotes = 1000;
constexpr int kMaxPages = 100'000;  // a bound on a paging loop the API controls

struct Family {
  std::string_view name;  // as the report and the tables name it
  InventoryKind kind;
  bool can_be_gone;
};

constexpr Family kFamilies[] = {{"seat_fees", InventoryKind::seat_fees, false},
                                {"seat_classes", InventoryKind::seat_classes, true},
                                {"seatmaps", InventoryKind::seatmaps, true}};

std::optional<StoredRecord> stored_record(sql::Connection& copy, InventoryKind kind, const std::string& id) {
  auto row = find_entity(copy, kind, id);
  if (!row) return std::nullopt;
  StoredRecord stored;
  if (const auto* doc = row->if_contains("doc"); doc && doc->is_object()) stored.doc = doc->get_object();
  if (const auto* updated = row->if_contains("order_updated_at"); updated && updated->is_string()) {
    stored.updated_at = std::string{updated->get_string()};
  }
  if (const auto* deleted = row->if_contains("deleted"); deleted && deleted->is_int64()) {
    stored.deleted = deleted->get_int64() != 0;
  }
  return stored;
}

class FamilyScan {
 public:
  FamilyScan(const Family& family, sql::Connection& copy, ScanReport& report)
      : family_(family), copy_(copy), report_(report), counts_(report.families[std::string{family.name}]) {}

  // Judges a page's records; returns how many were not seen before on this scan.
  std::size_t judge_page(const InventoryListPage& page) {
    std::size_t fresh = 0;
    for (std::size_t i = 0; i < page.items.size(); ++i) {
      const auto& item = page.items[i];
      const FieldReader fields{item, fmt::format("{}[{}]", family_.name, judged_), RejectionReason::invalid_data};
      ++judged_;
      try {
        const auto id = fields.required_object_id("_id");
        const auto updated_at = fields.bz_date("updatedAt");
        if (!seen_.insert(id).second) continue;  // listed twice (both fee lists, or a page repeated)
        ++fresh;
        ++counts_.remote;
        const auto judgement = judge(item, updated_at, stored_record(copy_, family_.kind, id));
        counts_.count(judgement.drift);
        if (judgement.drift == Drift::differs) {
          note(id, fmt::format("differs in: {}", fmt::join(judgement.differing_fields, ", ")));
        }
      } catch (const FieldError& e) {
        ++counts_.invalid;
        note("", e.message);
      }
    }
    return fresh;
  }

  // After a complete listing: what the copy holds (not deleted) that the API did not list.
  void find_gone() {
    if (!family_.can_be_gone) return;
    ListOptions options{.limit = 1000};
    for (;;) {
      const auto rows = list_entities(copy_, family_.kind, options);
      for (const auto& row : rows) {
        const std::string id{row.at("id").as_string()};
        if (seen_.count(id)) continue;
        ++counts_.gone;
        note(id, "gone: in the copy, not listed by the API");
      }
      if (rows.size() < options.limit) return;
      options.after_id = std::string{rows.back().at("id").as_string()};
    }
  }

  std::int64_t judged() const { return judged_; }

 private:
  void note(const std::string& id, std::string what) {
    if (report_.notes.size() < kMaxNotes) report_.notes.push_back({std::string{family_.name}, id, std::move(what)});
  }

  const Family& family_;
  sql::Connection& copy_;
  ScanReport& report_;
  FamilyReport& counts_;
  std::unordered_set<std::string> seen_;
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

void scan_family(const Family& family, InventoryClient& client, sql::Connection& copy, ScanReport& report,
                 const std::function<void(std::string_view, std::int64_t)>& on_page) {
  FamilyScan scan{family, copy, report};
  const auto read = [&](const std::string& path) {
    const auto body = client.get(path);
    try {
      return parse_inventory_list(body);
    } catch (const InventoryListError& e) {
      throw InventoryListError{fmt::format("GET {}: {}", path, e.what())};
    }
  };
  if (family.kind == InventoryKind::seatmaps) {
    for (int page_number = 1; page_number <= kMaxPages; ++page_number) {
      const auto page = read(fmt::format("/seatmaps?page={}&originalOnly=true", page_number));
      const auto fresh = scan.judge_page(page);
      if (on_page) on_page(family.name, scan.judged());
      if (page.items.empty() || fresh == 0 || page.has_next == false) break;
      if (!page.has_next && page.count && scan.judged() >= *page.count) break;
    }
  } else {
    for (const auto& path : first_pages(family)) {
      scan.judge_page(read(path));
      if (on_page) on_page(family.name, scan.judged());
    }
  }
  scan.find_gone();
}

}  // namespace

ScanReport scan_inventory(InventoryClient& client, sql::Connection& copy,
                          const std::function<void(std::string_view, std::int64_t)>& on_page) {
  ScanReport report;
  for (const auto& family : kFamilies) report.families[std::string{family.name}];
  try {
    for (const auto& family : kFamilies) scan_family(family, client, copy, report, on_page);
    report.complete = true;
  } catch (const InventoryApiError& e) {
    report.failure = e.what();
  } catch (const InventoryListError& e) {
    report.failure = e.what();
  }
  return report;
}

}  // namespace seatmirror::sync
