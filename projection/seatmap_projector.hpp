// seatmaps: one row per seatmap, holding its doc (sections and facilities included) and the
// seat layouts decode_event computed for its sections (`layout`, see seat_layout_json.hpp)
// with the capacity they add up to. A write is that one row; seatmap_sections,
// seatmap_facilities and seatmap_seats are views over it (schema/006).
// seatmap.deleted keeps the row's last content and sets deleted = 1 and deleted_at (a delete
// of an unknown id leaves a content-less tombstone), as for seat classes.
#pragma once

#include "projection/entity_table.hpp"

namespace seatmirror {

class SeatmapProjector {
 public:
  explicit SeatmapProjector(SQLite::Database& db);

  std::optional<OrderingKey> stored_key(const std::string& id) { return keys_.find(id); }
  void upsert(const SeatmapUpserted& seatmap, const WriteStamp& stamp);
  void tombstone(const SeatmapDeleted& deleted, const WriteStamp& stamp);
  void clear();

 private:
  SQLite::Database& db_;
  EntityKeys keys_;
  SQLite::Statement upsert_;
  SQLite::Statement tombstone_;
};

}  // namespace seatmirror
