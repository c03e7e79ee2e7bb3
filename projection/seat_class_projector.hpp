// seat_classes: one row per seat class. seatclass.deleted keeps the row's last content and
// sets deleted = 1 and deleted_at (an analyst looking up the id on an old ticket sees its
// name); a delete of an unknown id leaves a content-less tombstone. Either way the row holds
// the delete's ordering key, so an older create or update arriving later is stale and changes
// nothing, and a newer one revives the row.
#pragma once

#include "projection/entity_table.hpp"

namespace seatmirror {

class SeatClassProjector {
 public:
  explicit SeatClassProjector(sql::Connection& db);

  std::optional<OrderingKey> stored_key(const std::string& id) { return keys_.find(id); }
  void upsert(const SeatClassUpserted& seat_class, const WriteStamp& stamp);
  void tombstone(const SeatClassDeleted& deleted, const WriteStamp& stamp);
  void clear();

 private:
  sql::Connection& db_;
  EntityKeys keys_;
  std::unique_ptr<sql::Statement> upsert_;
  std::unique_ptr<sql::Statement> tombstone_;
};

}  // namespace seatmirror
