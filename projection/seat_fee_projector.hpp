// seat_fees: one row per seat fee, written by seatfees.created / seatfees.updated.
// Betterez has no delete for seat fees (a fee is disabled instead), so there are no tombstones.
#pragma once

#include "projection/entity_table.hpp"

namespace seatmirror {

class SeatFeeProjector {
 public:
  explicit SeatFeeProjector(sql::Connection& db);

  std::optional<OrderingKey> stored_key(const std::string& id) { return keys_.find(id); }
  void upsert(const SeatFeeUpserted& fee, const WriteStamp& stamp);
  void clear();

 private:
  sql::Connection& db_;
  EntityKeys keys_;
  std::unique_ptr<sql::Statement> upsert_;
};

}  // namespace seatmirror
