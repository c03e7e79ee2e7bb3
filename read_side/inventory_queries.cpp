#include "read_side/inventory_queries.hpp"

#include "layout/seat_layout_json.hpp"
#include "read_side/row_json.hpp"

#include <fmt/format.h>
#include <boost/json/parse.hpp>
#include "storage/sql_binding.hpp"

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
    case InventoryKind::seat_fees:
      return "seat_fees";
    case InventoryKind::seat_classes:
      return "seat_classes";
    case InventoryKind::seatmaps:
      return "seatmaps";
  }
  return "";
}

std::string_view singular_name(InventoryKind kind) {
  switch (kind) {
    case InventoryKind::seat_fees:
      return "seat fee";
    case InventoryKind::seat_classes:
      return "seat class";
    case InventoryKind::seatmaps:
      return "seatmap";
  }
  return "";
}

const std::vector<ListFilter>& filterable_columns(InventoryKind kind) {
  static const std::vector<ListFilter> fees = {{"disabled", true}, {"name"}, {"short_name"}, {"type"}};
  static const std::vector<ListFilter> classes = {{"deleted", true}, {"name"}};
  static const std::vector<ListFilter> seatmaps = {{"deleted", true}, {"account_id"}, {"name"}};
  switch (kind) {
    case InventoryKind::seat_fees:
      return fees;
    case InventoryKind::seat_classes:
      return classes;
    case InventoryKind::seatmaps:
      return seatmaps;
  }
  return fees;
}

const ListFilter* find_filter(InventoryKind kind, std::string_view column) {
  for (const auto& filter : filterable_columns(kind)) {
    if (filter.column == column) return &filter;
  }
  return nullptr;
}

boost::json::array list_entities(sql::Connection& db, InventoryKind kind, const ListOptions& options) {
  std::string where = "id > ?";
  bool filters_deleted = false;
  for (const auto& [column, value] : options.equals) {
    if (!find_filter(kind, column)) {
      throw std::invalid_argument(fmt::format("cannot filter {} on {}", table_of(kind), column));
    }
    where += fmt::format(" AND {} = ?", column);  // column is from the fixed list above
    filters_deleted |= column == "deleted";
  }
  if (has_tombstones(kind) && !options.include_deleted && !filters_deleted) where += " AND deleted = 0";
  const auto select = db.prepare(fmt::format("SELECT * FROM {} WHERE {} ORDER BY id LIMIT ?", table_of(kind), where));
  int i = 1;
  bind_value(*select, i++, options.after_id);
  for (const auto& [column, value] : options.equals) bind_value(*select, i++, value);
  bind_value(*select, i, static_cast<std::int64_t>(options.limit));
  return all_rows(*select);
}

std::optional<boost::json::object> find_entity(sql::Connection& db, InventoryKind kind, const std::string& id) {
  const auto select = db.prepare(fmt::format("SELECT * FROM {} WHERE id = ?", table_of(kind)));
  bind_all(*select, id);
  if (!select->step()) return std::nullopt;
  return row_object(*select);
}

std::int64_t count_deleted(sql::Connection& db, InventoryKind kind) {
  if (!has_tombstones(kind)) return 0;
  const auto select = db.prepare(fmt::format("SELECT count(*) FROM {} WHERE deleted = 1", table_of(kind)));
  select->step();
  return select->column_int64(0);
}

StoredVersionReader::StoredVersionReader(sql::Connection& db, InventoryKind kind)
    : select_(db.prepare(fmt::format("SELECT doc, order_updated_at, {} FROM {} WHERE id = ?",
                                     has_tombstones(kind) ? "deleted" : "0", table_of(kind)))) {}

StoredVersionReader::~StoredVersionReader() = default;

std::optional<StoredVersionReader::Version> StoredVersionReader::find(const std::string& id) {
  StatementReset reset{*select_};
  bind_all(*select_, id);
  if (!select_->step()) return std::nullopt;
  return Version{select_->column_optional_text(0).value_or(""), select_->column_optional_text(1),
                 select_->column_int64(2) != 0};
}

boost::json::array list_events(sql::Connection& db, const EventFilter& filter) {
  const auto select = db.prepare(
      "SELECT arrival_seq, received_at, id, event, entity_id, outcome, created, attempt_id, "
      "livemode FROM webhook_events WHERE (CAST(?1 AS TEXT) IS NULL OR received_at >= ?1) AND "
      "(CAST(?2 AS TEXT) IS NULL OR outcome = ?2) AND (CAST(?3 AS TEXT) IS NULL OR entity_id = ?3) "
      "ORDER BY arrival_seq LIMIT ?4");
  bind_all(*select, filter.since, filter.outcome, filter.entity_id, static_cast<std::int64_t>(filter.limit));
  return all_rows(*select);
}

boost::json::array list_rejected(sql::Connection& db, std::size_t limit) {
  const auto select = db.prepare(
      "SELECT seq, received_at, source, reason, field, message, length(body) AS body_bytes, "
      "headers FROM rejected_events ORDER BY seq LIMIT ?");
  bind_all(*select, static_cast<std::int64_t>(limit));
  return all_rows(*select);
}

std::vector<LiveRowVersion> list_live_versions(sql::Connection& db, InventoryKind kind, const std::string& after_id,
                                               std::size_t limit) {
  const auto select = db.prepare(
      fmt::format("SELECT t.id, t.order_created, t.order_updated_at, e.received_at FROM {} AS t LEFT JOIN "
                  "webhook_events AS e ON e.id = t.last_event_id WHERE t.deleted = 0 AND t.id > ? ORDER BY t.id "
                  "LIMIT ?",
                  table_of(kind)));
  bind_all(*select, after_id, static_cast<std::int64_t>(limit));
  std::vector<LiveRowVersion> rows;
  while (select->step()) {
    rows.push_back({select->column_text(0), select->column_int64(1), select->column_optional_text(2),
                    select->column_optional_text(3)});
  }
  return rows;
}

int SeatmapPicture::seat_count() const {
  int count = 0;
  for (const auto& section : sections) count += section.layout ? section.layout->capacity() : 0;
  return count;
}

std::optional<SeatmapPicture> load_seatmap_picture(sql::Connection& db, const std::string& id) {
  const auto row_statement =
      db.prepare("SELECT name, capacity, deleted, deleted_at, layout FROM seatmaps WHERE id = ?");
  auto& row = *row_statement;
  bind_all(row, id);
  if (!row.step()) return std::nullopt;
  SeatmapPicture picture;
  picture.id = id;
  if (!row.is_null(0)) picture.name = row.column_text(0);
  if (!row.is_null(1)) picture.capacity = row.column_int64(1);
  if (row.column_int64(2) != 0) picture.deleted_at = row.column_text(3);
  std::set<std::string> referenced;
  if (!row.is_null(4)) {
    const auto names = db.prepare("SELECT name FROM seatmap_sections WHERE seatmap_id = ? ORDER BY position");
    bind_all(*names, id);
    for (auto& laid_out : decode_layouts(row.column_text(4))) {
      SeatmapPicture::Section section{std::move(laid_out.section_id), "", std::move(laid_out.layout),
                                      std::move(laid_out.problem)};
      if (names->step() && !names->is_null(0)) section.name = names->column_text(0);
      if (section.layout) {
        for (const auto& seat : section.layout->seats) {
          if (seat.seat_class_id) referenced.insert(*seat.seat_class_id);
          if (seat.seat_fee_id) referenced.insert(*seat.seat_fee_id);
        }
      }
      picture.sections.push_back(std::move(section));
    }
  }
  const auto colours = db.prepare(
      "SELECT id, bgcolor, name FROM seat_classes WHERE id = ?1 "
      "UNION ALL SELECT id, bgcolor, name FROM seat_fees WHERE id = ?1");
  for (const auto& ref : referenced) {
    StatementReset reset{*colours};
    bind_all(*colours, ref);
    while (colours->step()) {
      if (!colours->is_null(1)) picture.colour_of[ref] = colours->column_text(1);
      if (!colours->is_null(2)) picture.name_of[ref] = colours->column_text(2);
    }
  }
  return picture;
}

}  // namespace seatmirror
