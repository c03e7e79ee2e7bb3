// Read-side queries over the read models and the ledger, for `query`, `events`, `rejected`,
// `show` and the JSON API. Each takes a connection to either store (read-only is enough) and returns plain
// JSON objects whose members are the table's columns; JSON columns (doc, layout,
// lexicon_keys, custom) come back as JSON, not as text. Nothing here writes, and nothing
// recomputes what the write side stored: seat layouts are read as they were stored.
#pragma once

#include "decode/inventory_kind.hpp"
#include "layout/seat_layout.hpp"  // the layout types, as the write side stored them

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace seatmirror::sql {
class Connection;  // declared only: callers above projection/ never need to know the store
class Statement;
}  // namespace seatmirror::sql

namespace seatmirror {

std::optional<InventoryKind> inventory_kind(std::string_view name);  // "seat-fees", …
std::string_view table_of(InventoryKind kind);
std::string_view singular_name(InventoryKind kind);  // "seat fee", …

struct ListOptions {
  bool include_deleted = false;
  std::size_t limit = 1000;
  std::string after_id;  // keyset pagination: rows with a greater id
  // Exact-match filters on columns; only the columns filterable_columns() names are allowed.
  std::vector<std::pair<std::string, std::string>> equals;
};

// A column a list may be filtered on (e.g. disabled, deleted, account_id, name), and whether it
// is a flag (stored 0/1, asked for as true/false) rather than text.
struct ListFilter {
  std::string column;
  bool is_flag = false;
};
const std::vector<ListFilter>& filterable_columns(InventoryKind kind);
const ListFilter* find_filter(InventoryKind kind, std::string_view column);  // nullptr: not filterable

boost::json::array list_entities(sql::Connection& db, InventoryKind kind, const ListOptions& options = {});
std::optional<boost::json::object> find_entity(sql::Connection& db, InventoryKind kind, const std::string& id);
// Tombstones of a family (0 for seat fees, which are disabled, never deleted).
std::int64_t count_deleted(sql::Connection& db, InventoryKind kind);

// What a comparison with the Inventory API needs of a stored row, looked up by id with one
// statement prepared once: the doc as stored (text), its ordering updatedAt, whether it is a
// tombstone. Lighter than find_entity, which reads every column as JSON (a seatmap's layout too).
class StoredVersionReader {
 public:
  StoredVersionReader(sql::Connection& db, InventoryKind kind);
  ~StoredVersionReader();
  struct Version {
    std::string doc;  // "" for a content-less tombstone
    std::optional<std::string> updated_at;
    bool deleted = false;
  };
  std::optional<Version> find(const std::string& id);

 private:
  std::unique_ptr<sql::Statement> select_;
};

struct EventFilter {
  std::optional<std::string> since;  // received_at >= since (ISO-8601 UTC)
  std::optional<std::string> outcome;
  std::optional<std::string> entity_id;
  std::size_t limit = 1000;
};
boost::json::array list_events(sql::Connection& db, const EventFilter& filter);
boost::json::array list_rejected(sql::Connection& db, std::size_t limit = 1000);
// The rows of a family with tombstones (seat classes, seatmaps) that are not deleted, by id
// after `after_id`, at most `limit`: each with the ordering key it was written with and when
// the ledger received the event that wrote it (for sync's `gone`).
struct LiveRowVersion {
  std::string id;
  std::int64_t order_created = 0;
  std::optional<std::string> order_updated_at;
  std::optional<std::string> written_at;  // webhook_events.received_at of last_event_id
};
std::vector<LiveRowVersion> list_live_versions(sql::Connection& db, InventoryKind kind, const std::string& after_id,
                                               std::size_t limit);

// Everything needed to draw a seatmap: its sections laid out, and colours and names for the
// seat classes and fees its seats refer to.
struct SeatmapPicture {
  std::string id, name;
  // For a deleted seatmap: when. Its name and layout are the last ones it had, kept in its row.
  std::optional<std::string> deleted_at;
  std::optional<std::int64_t> capacity;
  struct Section {
    std::string id, name;
    std::optional<SectionLayout> layout;
    std::string problem;
  };
  std::vector<Section> sections;
  std::map<std::string, std::string> colour_of;  // seat class or fee id → bgcolor
  std::map<std::string, std::string> name_of;    // seat class or fee id → name
  int seat_count() const;
};
std::optional<SeatmapPicture> load_seatmap_picture(sql::Connection& db, const std::string& id);

}  // namespace seatmirror
