// One full scan of the three families the webhooks carry, compared with the copy: seat fees
// (GET /seat-fees?disabled=false and ?disabled=true: fees are never deleted, only disabled, so
// both states are listed), seat classes (GET /seat-classes, deleted ones included) and
// seatmaps (GET /seatmaps?page=N&originalOnly=true, 1-based, until a page says there is no
// next, comes back empty or brings no record not already seen). Pages are judged as they
// arrive and dropped; only the ids seen are kept, to find what is `gone`.
//
// The scan is complete when every page was answered and read. A failure ends it: the report
// says incomplete, names the failure, and keeps what was judged before it, so nothing may be
// deleted on its strength. Nothing here writes.
#pragma once

#include "sync/drift.hpp"
#include "sync/inventory_client.hpp"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace seatmirror::sql {
class Connection;
}

namespace seatmirror::sync {

struct RecordNote {
  std::string family;  // seat_fees, seat_classes, seatmaps
  std::string id;      // "" when the item had none
  std::string what;    // "differs in: name, value", "gone", or why an item was not usable
};

struct ScanReport {
  bool complete = false;
  std::string failure;                           // why the scan stopped early, when it did
  std::map<std::string, FamilyReport> families;  // seat_fees, seat_classes, seatmaps
  std::vector<RecordNote> notes;                 // differs, gone and invalid, the first 1,000
};

// `on_page` (may be empty) is told the family and the records judged so far, for a progress display.
ScanReport scan_inventory(InventoryClient& client, sql::Connection& copy,
                          const std::function<void(std::string_view family, std::int64_t judged)>& on_page = {});

}  // namespace seatmirror::sync
