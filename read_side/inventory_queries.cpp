#include "read_side/inventory_queries.hpp"

#include "projection/seat_layout_json.hpp"
#include "read_side/row_json.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <boost/json/parse.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <stdexcept>

namespace seatmirror {
namespace {

bool has_tombstones(InventoryKind kind) { return kind != InventoryKind::seat_fees; }

}  // namespace

std::optional<InventoryKind> inventory_kind(std::string_view name) {
  if (name == "seat-fees") return InventoryKind::seat_fees;
  if (name == "seat-classes") return InventoryKind::seat_classes;
  if (name == "seatmaps") return InventoryKind::seatmaps;
  return std::nullopt;
}

std::string_view table_of(InventoryKind kind) {
  switch (kind) {
    case InventoryKind::seat_fees: return "seat_fees";
    case InventoryKind::seat_classes: return "seat_classes";
    case InventoryKind::seatmaps: return "seatmaps";
  }
  return "";
}

std::string_view singular_name(InventoryKind kind) {
  switch (kind) {
    case InventoryKind::seat_fees: return "seat fee";
    case InventoryKind::seat_classes: return "seat class";
    case InventoryKind::seatmaps: return "seatmap";
  }
  return "";
}

const std::vector<std::string>& filterable_columns(InventoryKind kind) {
  static const std::vector<std::string> fees = {"disabled", "name", "short_name", "type"};
  static const std::vector<std::string> classes = {"deleted", "name"};
  static const std::vector<std::string> seatmaps = {"deleted", "account_id", "name"};
  switch (kind) {
    case InventoryKind::seat_fees: return fees;
    case InventoryKind::seat_classes: return classes;
    case InventoryKind::seatmaps: return seatmaps;
  }
  return fees;
}

boost::json::array list_entities(SQLite::Database& db, InventoryKind kind, const ListOptions& options) {
  std::string where = "id > ?";
  bool filters_deleted = false;
  for (const auto& [column, value] : options.equals) {
    const auto& allowed = filterable_columns(kind);
    if (std::find(allowed.begin(), allowed.end(), column) == allowed.end()) {
      throw std::invalid_argument(fmt::format("cannot filter {} on {}", table_of(kind), column));
    }
    where += fmt::format(" AND {} = ?", column);  // column is from the fixed list above
    filters_deleted |= column == "deleted";
  }
  if (has_tombstones(kind) && !options.include_deleted && !filters_deleted) where += " AND deleted = 0";
  SQLite::Statement select{db, fmt::format("SELECT * FROM {} WHERE {} ORDER BY id LIMIT ?", table_of(kind), where)};
  int i = 1;
  select.bind(i++, options.after_id);
  for (const auto& [column, value] : options.equals) select.bind(i++, value);
  select.bind(i, static_cast<std::int64_t>(options.limit));
  return all_rows(select);
}

std::optional<boost::json::object> find_entity(SQLite::Database& db, InventoryKind kind, const std::string& id) {
  SQLite::Statement select{db, fmt::format("SELECT * FROM {} WHERE id = ?", table_of(kind))};
  select.bind(1, id);
  if (!select.executeStep()) return std::nullopt;
  return row_object(select);
}

boost::json::array list_events(SQLite::Database& db, const EventFilter& filter) {
  SQLite::Statement select{db,
                           "SELECT arrival_seq, received_at, id, event, entity_id, outcome, created, attempt_id, "
                           "livemode FROM webhook_events WHERE (?1 IS NULL OR received_at >= ?1) AND "
                           "(?2 IS NULL OR outcome = ?2) AND (?3 IS NULL OR entity_id = ?3) "
                           "ORDER BY arrival_seq LIMIT ?4"};
  auto bind_optional = [&](int i, const std::optional<std::string>& v) { v ? select.bind(i, *v) : select.bind(i); };
  bind_optional(1, filter.since);
  bind_optional(2, filter.outcome);
  bind_optional(3, filter.entity_id);
  select.bind(4, static_cast<std::int64_t>(filter.limit));
  return all_rows(select);
}

boost::json::array list_rejected(SQLite::Database& db, std::size_t limit) {
  SQLite::Statement select{db, "SELECT seq, received_at, source, reason, field, message, length(body) AS body_bytes, headers "
                               "FROM rejected_events ORDER BY seq LIMIT ?"};
  select.bind(1, static_cast<std::int64_t>(limit));
  return all_rows(select);
}

int SeatmapPicture::seat_count() const {
  int count = 0;
  for (const auto& section : sections) count += section.layout ? section.layout->capacity() : 0;
  return count;
}

std::optional<SeatmapPicture> load_seatmap_picture(SQLite::Database& db, const std::string& id) {
  SQLite::Statement row{db, "SELECT name, capacity, deleted, deleted_at, layout FROM seatmaps WHERE id = ?"};
  row.bind(1, id);
  if (!row.executeStep()) return std::nullopt;
  SeatmapPicture picture;
  picture.id = id;
  if (!row.getColumn(0).isNull()) picture.name = row.getColumn(0).getString();
  if (!row.getColumn(1).isNull()) picture.capacity = row.getColumn(1).getInt64();
  if (row.getColumn(2).getInt() != 0) picture.deleted_at = row.getColumn(3).getString();
  std::set<std::string> referenced;
  if (!row.getColumn(4).isNull()) {
    SQLite::Statement names{db, "SELECT name FROM seatmap_sections WHERE seatmap_id = ? ORDER BY position"};
    names.bind(1, id);
    for (auto& laid_out : decode_layouts(row.getColumn(4).getString())) {
      SeatmapPicture::Section section{std::move(laid_out.section_id), "", std::move(laid_out.layout),
                                      std::move(laid_out.problem)};
      if (names.executeStep() && !names.getColumn(0).isNull()) section.name = names.getColumn(0).getString();
      if (section.layout) {
        for (const auto& seat : section.layout->seats) {
          if (seat.seat_class_id) referenced.insert(*seat.seat_class_id);
          if (seat.seat_fee_id) referenced.insert(*seat.seat_fee_id);
        }
      }
      picture.sections.push_back(std::move(section));
    }
  }
  SQLite::Statement colours{db, "SELECT id, bgcolor, name FROM seat_classes WHERE id = ?1 "
                                "UNION ALL SELECT id, bgcolor, name FROM seat_fees WHERE id = ?1"};
  for (const auto& ref : referenced) {
    colours.reset();
    colours.bind(1, ref);
    while (colours.executeStep()) {
      if (!colours.getColumn(1).isNull()) picture.colour_of[ref] = colours.getColumn(1).getString();
      if (!colours.getColumn(2).isNull()) picture.name_of[ref] = colours.getColumn(2).getString();
    }
  }
  return picture;
}

}  // namespace seatmirror
