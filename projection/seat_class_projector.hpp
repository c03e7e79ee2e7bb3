// seat_classes: one row per seat class. seatclass.deleted leaves a tombstone (deleted = 1)
// holding only the id, deletion time and ordering key, so that an older create or update
// arriving later is recognised as stale, and a newer one revives the row.
#pragma once

#include "projection/entity_table.hpp"

namespace seatmirror {

class SeatClassProjector {
 public:
  explicit SeatClassProjector(SQLite::Database& db);

  std::optional<OrderingKey> stored_key(const std::string& id) { return keys_.find(id); }
  void upsert(const SeatClassUpserted& seat_class, const WriteStamp& stamp);
  void tombstone(const SeatClassDeleted& deleted, const WriteStamp& stamp);
  void clear();

 private:
  SQLite::Database& db_;
  EntityKeys keys_;
  SQLite::Statement upsert_;
  SQLite::Statement tombstone_;
};

}  // namespace seatmirror
