// seatmaps with their seatmap_sections and seatmap_facilities. Every seatmap write replaces
// the sections and facilities as a whole: a section missing from an update is gone (when the
// sections are exactly the stored ones, their rows are left as they are: the same result).
// seatmap.deleted leaves a tombstone (deleted = 1, no sections), as for seat classes.
// Each write also stores the computed seats of every section (seatmap_seats) and the capacity
// they add up to; a capacity different from the payload's is logged, not refused.
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
  bool sections_unchanged(const SeatmapUpserted& seatmap);
  void remove_children(const std::string& seatmap_id);
  void insert_section(const std::string& seatmap_id, const SeatmapSection& section,
                      std::int64_t position);
  void insert_seats(const std::string& seatmap_id, const SeatmapSection& section);

  SQLite::Database& db_;
  EntityKeys keys_;
  SQLite::Statement upsert_;
  SQLite::Statement tombstone_;
  SQLite::Statement stored_sections_;
  SQLite::Statement delete_sections_;
  SQLite::Statement delete_facilities_;
  SQLite::Statement insert_section_;
  SQLite::Statement insert_facility_;
  SQLite::Statement delete_seats_;
  SQLite::Statement insert_seat_;
};

}  // namespace seatmirror
