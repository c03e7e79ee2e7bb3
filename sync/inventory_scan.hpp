// One full scan of the three families the webhooks carry, compared with the copy and, unless
// it is a dry run, repaired: seat fees (GET /seat-fees?disabled=false and ?disabled=true: fees
// are never deleted, only disabled, so both states are listed), seat classes (GET
// /seat-classes, deleted ones included) and seatmaps (GET /seatmaps?page=N&originalOnly=true,
// 1-based, until a page says there is no next, comes back empty or brings no record not
// already seen). Each page is spooled to a temporary file and read back a record at a time
// (decode/inventory_list.hpp), each record judged as soon as it is parsed: memory holds one
// record and the ids seen so far (to find what is `gone`), never a page or the inventory.
//
// Each listed record is put in its ledger form (decode/sync_record.hpp) and decoded by the
// webhooks' rules; one they refuse is `invalid` and, when repairing, recorded in
// rejected_events (source inventory_sync). A `missing` or `behind` record is repaired through
// the one writer (repair_queue.hpp), which orders it against whatever a webhook wrote in the
// meantime. `gone` rows (in the copy, not listed, last written before their family's listing
// began) are tombstoned only with delete_missing, and only after the whole scan completed.
//
// The scan is complete when every page was answered and read. A failure ends it: the report
// says incomplete, names the failure, and keeps what was judged before it; what was repaired
// before it stays repaired, and nothing is deleted.
#pragma once

#include "sync/drift.hpp"
#include "sync/inventory_client.hpp"

#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace seatmirror {
class DeliveryWriter;
}
namespace seatmirror::sql {
class Connection;
}

namespace seatmirror::sync {

struct RecordNote {
  std::string family;  // seat_fees, seat_classes, seatmaps
  std::string id;      // "" when the item had none
  std::string what;    // "differs in: name, value", "gone", or why an item was refused
};

struct ScanOptions {
  DeliveryWriter* writer = nullptr;  // where repairs go; nullptr: a dry run, nothing is written
  bool delete_missing = false;       // tombstone `gone` rows after a complete scan
  std::size_t max_in_flight = 256;   // repairs queued for the writer at once (repair_queue.hpp)
  // Told the family and the records judged so far after each page, for a progress display.
  std::function<void(std::string_view family, std::int64_t judged)> on_page;
  // Checked before each request: once true, the scan ends incomplete ("stopped").
  const std::atomic<bool>* stop = nullptr;
};

struct ScanReport {
  bool complete = false;
  bool dry_run = true;
  std::string failure;                           // why the scan stopped early, when it did
  std::string write_failure;                     // the first repair the database did not store
  std::map<std::string, FamilyReport> families;  // seat_fees, seat_classes, seatmaps
  std::vector<RecordNote> notes;                 // differs, gone and invalid, the first 1,000

  // Drift the scan found and did not repair (a dry run repairs none).
  bool drift_left() const;
};

ScanReport scan_inventory(InventoryClient& client, sql::Connection& copy, const ScanOptions& options = {});

// The families a scan reports on, in scan order: seat_fees, seat_classes, seatmaps.
std::vector<std::string> family_names();

}  // namespace seatmirror::sync
