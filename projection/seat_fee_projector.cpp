#include "projection/seat_fee_projector.hpp"

#include "projection/sql_binding.hpp"

namespace seatmirror {

SeatFeeProjector::SeatFeeProjector(SQLite::Database& db)
    : db_(db),
      keys_(db, "seat_fees"),
      replace_(db,
               "REPLACE INTO seat_fees (id, short_name, type, value, disabled, bgcolor, name, "
               "lexicon_keys, created_by, updated_by, created_at, updated_at, doc, last_event_id, "
               "order_created, order_updated_at) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)") {}

void SeatFeeProjector::upsert(const SeatFeeUpserted& fee, const WriteStamp& stamp) {
  bind_all(replace_, fee.id, fee.short_name, fee.type, fee.value, fee.disabled, fee.bgcolor,
           fee.name, fee.lexicon_keys, fee.audit.created_by, fee.audit.updated_by,
           fee.audit.created_at, fee.audit.updated_at, fee.doc, stamp.event_id, stamp.key.created,
           stamp.key.updated_at);
  execute(replace_);
}

void SeatFeeProjector::clear() { db_.exec("DELETE FROM seat_fees"); }

}  // namespace seatmirror
