#include "projection/inventory_queries.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <boost/json/parse.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <stdexcept>

namespace seatmirror {
namespace {

bool is_json_column(std::string_view name) { return name == "doc" || name == "lexicon_keys" || name == "custom"; }

boost::json::object row_object(SQLite::Statement& row) {
  boost::json::object object;
  for (int i = 0; i < row.getColumnCount(); ++i) {
    const auto column = row.getColumn(i);
    const std::string_view name = row.getColumnName(i);
    if (column.isNull()) {
      object[name] = nullptr;
    } else if (column.isInteger()) {
      object[name] = column.getInt64();
    } else if (column.isFloat()) {
      object[name] = column.getDouble();
    } else if (is_json_column(name)) {
      boost::system::error_code ec;
      auto value = boost::json::parse(column.getString(), ec);
      object[name] = ec ? boost::json::value(column.getString()) : std::move(value);
    } else {
      object[name] = column.getString();
    }
  }
  return object;
}

boost::json::array all_rows(SQLite::Statement& statement) {
  boost::json::array rows;
  while (statement.executeStep()) rows.push_back(row_object(statement));
  return rows;
}

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
  SQLite::Statement select{db, "SELECT seq, received_at, reason, field, message, length(body) AS body_bytes "
                               "FROM rejected_events ORDER BY seq LIMIT ?"};
  select.bind(1, static_cast<std::int64_t>(limit));
  return all_rows(select);
}

int SeatmapPicture::seat_count() const {
  int count = 0;
  for (const auto& section : sections) count += section.layout ? section.layout->capacity() : 0;
  return count;
}

namespace {

// The sections (as JSON objects) and name a seatmap has now, or, for a tombstone, had in the
// last create or update that was applied to it.
std::vector<boost::json::object> current_or_last_sections(SQLite::Database& db, SeatmapPicture& picture,
                                                          const boost::json::object& row) {
  std::vector<boost::json::object> sections;
  if (row.at("deleted").to_number<std::int64_t>() == 0) {
    SQLite::Statement select{db, "SELECT doc FROM seatmap_sections WHERE seatmap_id = ? ORDER BY position"};
    select.bind(1, picture.id);
    while (select.executeStep()) sections.push_back(boost::json::parse(select.getColumn(0).getString()).as_object());
    return sections;
  }
  picture.deleted_at = row.at("deleted_at").as_string().c_str();
  SQLite::Statement last{db, "SELECT body FROM webhook_events WHERE entity_id = ? AND outcome = 'applied' AND "
                             "event IN ('seatmap.created', 'seatmap.updated') ORDER BY arrival_seq DESC LIMIT 1"};
  last.bind(1, picture.id);
  if (!last.executeStep()) return sections;
  const auto data = boost::json::parse(last.getColumn(0).getString()).at("data").as_object();
  if (const auto* name = data.if_contains("name"); name && name->is_string()) picture.name = name->get_string();
  if (const auto* list = data.if_contains("sections"); list && list->is_array()) {
    for (const auto& section : list->get_array()) {
      if (section.is_object()) sections.push_back(section.get_object());
    }
  }
  return sections;
}

}  // namespace

std::optional<SeatmapPicture> load_seatmap_picture(SQLite::Database& db, const std::string& id) {
  const auto seatmap = find_entity(db, InventoryKind::seatmaps, id);
  if (!seatmap) return std::nullopt;
  SeatmapPicture picture;
  picture.id = id;
  if (const auto* name = seatmap->if_contains("name"); name && name->is_string()) picture.name = name->get_string();
  if (const auto* capacity = seatmap->if_contains("capacity"); capacity && capacity->is_int64()) {
    picture.capacity = capacity->get_int64();
  }
  std::set<std::string> referenced;
  for (const auto& doc : current_or_last_sections(db, picture, *seatmap)) {
    SeatmapPicture::Section section;
    if (const auto* v = doc.if_contains("_id"); v && v->is_string()) section.id = v->get_string();
    if (const auto* v = doc.if_contains("name"); v && v->is_string()) section.name = v->get_string();
    section.layout = compute_section_layout(doc, section.problem);
    if (section.layout) {
      for (const auto& seat : section.layout->seats) {
        if (seat.seat_class_id) referenced.insert(*seat.seat_class_id);
        if (seat.seat_fee_id) referenced.insert(*seat.seat_fee_id);
      }
    }
    picture.sections.push_back(std::move(section));
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
