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
  explicit SeatmapProjector(sql::Connection& db);

  std::optional<OrderingKey> stored_key(const std::string& id) { return keys_.find(id); }
  void upsert(const SeatmapUpserted& seatmap, const WriteStamp& stamp);
  void tombstone(const SeatmapDeleted& deleted, const WriteStamp& stamp);
  void clear();

 private:
  sql::Connection& db_;
  EntityKeys keys_;
  std::unique_ptr<sql::Statement> upsert_;
  std::unique_ptr<sql::Statement> tombstone_;
};

}  // namespace seatmirror
