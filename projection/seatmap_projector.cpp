#include "projection/seatmap_projector.hpp"

#include "decode/bz_date.hpp"
#include "storage/sql_binding.hpp"

namespace seatmirror {

SeatmapProjector::SeatmapProjector(sql::Connection& db)
    : db_(db),
      keys_(db, "seatmaps"),
      upsert_(db.prepare(entity_upsert_sql(
          "seatmaps",
          {"account_id", "name", "capacity", "standard", "allow_seat_orientation", "amenity_group_id", "brand_id",
           "created_by", "updated_by", "created_at", "updated_at", "computed_capacity", "doc", "layout"},
          {{"deleted", "0"}, {"deleted_at", "NULL"}}))),
      tombstone_(db.prepare(tombstone_upsert_sql("seatmaps"))) {}

void SeatmapProjector::upsert(const SeatmapUpserted& seatmap, const WriteStamp& stamp) {
  bind_all(*upsert_, seatmap.id, seatmap.account_id, seatmap.name, seatmap.capacity, seatmap.standard,
           seatmap.allow_seat_orientation, seatmap.amenity_group_id, seatmap.brand_id, seatmap.audit.created_by,
           seatmap.audit.updated_by, seatmap.audit.created_at, seatmap.audit.updated_at, seatmap.computed_capacity,
           seatmap.doc, seatmap.layout_json, stamp.event_id, stamp.key.created, stamp.key.updated_at);
  execute(*upsert_);
}

void SeatmapProjector::tombstone(const SeatmapDeleted& deleted, const WriteStamp& stamp) {
  bind_all(*tombstone_, deleted.id, format_unix_seconds(stamp.created), stamp.event_id, stamp.key.created,
           stamp.key.updated_at);
  execute(*tombstone_);
}

void SeatmapProjector::clear() { db_.exec("DELETE FROM seatmaps"); }

}  // namespace seatmirror
