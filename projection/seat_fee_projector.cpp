#include "projection/seat_fee_projector.hpp"

#include "storage/sql_binding.hpp"

namespace seatmirror {

SeatFeeProjector::SeatFeeProjector(sql::Connection& db)
    : db_(db),
      keys_(db, "seat_fees"),
      upsert_(db.prepare(
          entity_upsert_sql("seat_fees", {"short_name", "type", "value", "disabled", "bgcolor", "name", "lexicon_keys",
                                          "created_by", "updated_by", "created_at", "updated_at", "doc"}))) {}

void SeatFeeProjector::upsert(const SeatFeeUpserted& fee, const WriteStamp& stamp) {
  bind_all(*upsert_, fee.id, fee.short_name, fee.type, fee.value, fee.disabled, fee.bgcolor, fee.name, fee.lexicon_keys,
           fee.audit.created_by, fee.audit.updated_by, fee.audit.created_at, fee.audit.updated_at, fee.doc,
           stamp.event_id, stamp.key.created, stamp.key.updated_at);
  execute(*upsert_);
}

void SeatFeeProjector::clear() { db_.exec("DELETE FROM seat_fees"); }

}  // namespace seatmirror
