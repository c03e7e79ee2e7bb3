#include "projection/seatmap_projector.hpp"

#include "projection/bz_date.hpp"
#include "projection/sql_binding.hpp"

#include <spdlog/spdlog.h>

namespace seatmirror {
namespace {

// Columns a tombstone clears; upsert() binds them in this order.
const std::vector<std::string>& content_columns() {
  static const std::vector<std::string> columns = {
      "account_id", "name",       "capacity",   "standard",   "allow_seat_orientation", "amenity_group_id",
      "brand_id",   "created_by", "updated_by", "created_at", "updated_at", "computed_capacity"};
  return columns;
}

}  // namespace

SeatmapProjector::SeatmapProjector(SQLite::Database& db)
    : db_(db),
      keys_(db, "seatmaps"),
      upsert_(db, entity_upsert_sql("seatmaps", content_columns(), "?",
                                     {{"deleted", "0"}, {"deleted_at", "NULL"}, {"doc", "?"}})),
      tombstone_(db, entity_upsert_sql("seatmaps", content_columns(), "NULL",
                                       {{"deleted", "1"}, {"deleted_at", "?"}, {"doc", "NULL"}})),
      stored_sections_(db, "SELECT section_id, doc FROM seatmap_sections WHERE seatmap_id = ? ORDER BY position"),
      delete_sections_(db, "DELETE FROM seatmap_sections WHERE seatmap_id = ?"),
      delete_facilities_(db, "DELETE FROM seatmap_facilities WHERE seatmap_id = ?"),
      insert_section_(db,
                      "INSERT INTO seatmap_sections (seatmap_id, section_id, position, name, "
                      "capacity, available_rows, available_cols, seats_per_row_left, "
                      "seats_per_row_right, doc, computed_capacity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
      insert_facility_(db,
                       "INSERT INTO seatmap_facilities (seatmap_id, section_id, position, type, "
                       "row, col, width, height, alignment, label) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
      delete_seats_(db, "DELETE FROM seatmap_seats WHERE seatmap_id = ?"),
      insert_seat_(db,
                   "INSERT INTO seatmap_seats (seatmap_id, section_id, row, col, label, row_label, status, "
                   "seat_class_id, seat_fee_id, overlapped, custom) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)") {}

void SeatmapProjector::upsert(const SeatmapUpserted& seatmap, const WriteStamp& stamp) {
  // The seats the sections lay out, when every section could be laid out.
  std::optional<std::int64_t> computed = 0;
  for (const auto& section : seatmap.sections) {
    if (section.layout && computed) {
      *computed += section.layout->capacity();
    } else if (!section.layout) {
      computed.reset();
      spdlog::warn("seatmap {} section {} has no seat layout: {}", seatmap.id, section.id, section.layout_problem);
    }
  }
  if (computed && seatmap.capacity && *computed != *seatmap.capacity) {
    spdlog::warn("seatmap {}: its sections lay out {} seats, its capacity says {}", seatmap.id, *computed,
                 *seatmap.capacity);
  }
  bind_all(upsert_, seatmap.id, seatmap.account_id, seatmap.name, seatmap.capacity,
           seatmap.standard, seatmap.allow_seat_orientation, seatmap.amenity_group_id,
           seatmap.brand_id, seatmap.audit.created_by, seatmap.audit.updated_by,
           seatmap.audit.created_at, seatmap.audit.updated_at, computed, seatmap.doc, stamp.event_id,
           stamp.key.created, stamp.key.updated_at);
  execute(upsert_);
  if (sections_unchanged(seatmap)) return;
  remove_children(seatmap.id);
  for (std::size_t i = 0; i < seatmap.sections.size(); ++i) {
    insert_section(seatmap.id, seatmap.sections[i], static_cast<std::int64_t>(i));
  }
}

void SeatmapProjector::tombstone(const SeatmapDeleted& deleted, const WriteStamp& stamp) {
  bind_all(tombstone_, deleted.id, format_unix_seconds(stamp.created), stamp.event_id,
           stamp.key.created, stamp.key.updated_at);
  execute(tombstone_);
  remove_children(deleted.id);
}

// Sections, facilities and seats derive from the section documents alone, so when every
// stored section has the same id, position and document as the new one, the rows already
// there are exactly what a rewrite would produce. An update of the seatmap's own fields (its
// name, brand, amenities) then costs one row instead of ~100. (Seats computed by an older
// seatmirror's layout rules stay until the sections change or `rebuild` runs.)
bool SeatmapProjector::sections_unchanged(const SeatmapUpserted& seatmap) {
  StatementReset reset{stored_sections_};
  bind_all(stored_sections_, seatmap.id);
  std::size_t i = 0;
  for (; stored_sections_.executeStep(); ++i) {
    if (i == seatmap.sections.size()) return false;
    const auto& section = seatmap.sections[i];
    if (section.id != stored_sections_.getColumn(0).getText() ||
        section.doc != stored_sections_.getColumn(1).getText()) {
      return false;
    }
  }
  return i == seatmap.sections.size();
}

void SeatmapProjector::remove_children(const std::string& seatmap_id) {
  for (auto* statement : {&delete_sections_, &delete_facilities_, &delete_seats_}) {
    bind_all(*statement, seatmap_id);
    execute(*statement);
  }
}

void SeatmapProjector::insert_section(const std::string& seatmap_id, const SeatmapSection& section,
                                      std::int64_t position) {
  std::optional<std::int64_t> computed;
  if (section.layout) computed = section.layout->capacity();
  bind_all(insert_section_, seatmap_id, section.id, position, section.name, section.capacity,
           section.available_rows, section.available_cols, section.seats_per_row_left,
           section.seats_per_row_right, section.doc, computed);
  execute(insert_section_);
  insert_seats(seatmap_id, section);
  for (std::size_t i = 0; i < section.facilities.size(); ++i) {
    const auto& facility = section.facilities[i];
    bind_all(insert_facility_, seatmap_id, section.id, static_cast<std::int64_t>(i),
             facility.type, facility.row, facility.col, facility.width, facility.height,
             facility.alignment, facility.label);
    execute(insert_facility_);
  }
}

void SeatmapProjector::insert_seats(const std::string& seatmap_id, const SeatmapSection& section) {
  if (!section.layout) return;
  for (const auto& seat : section.layout->seats) {
    bind_all(insert_seat_, seatmap_id, section.id, std::int64_t{seat.row}, std::int64_t{seat.col}, seat.label,
             seat.row_label, seat.status, seat.seat_class_id, seat.seat_fee_id, seat.overlapped, seat.custom);
    execute(insert_seat_);
  }
}

void SeatmapProjector::clear() {
  db_.exec("DELETE FROM seatmap_seats; DELETE FROM seatmap_facilities; DELETE FROM seatmap_sections; "
           "DELETE FROM seatmaps");
}

}  // namespace seatmirror
