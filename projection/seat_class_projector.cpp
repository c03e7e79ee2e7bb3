#include "projection/seat_class_projector.hpp"

#include "decode/bz_date.hpp"
#include "storage/sql_binding.hpp"

namespace seatmirror {

SeatClassProjector::SeatClassProjector(sql::Connection& db)
    : db_(db),
      keys_(db, "seat_classes"),
      upsert_(db.prepare(entity_upsert_sql(
          "seat_classes", {"name", "description", "bgcolor", "lexicon_keys", "created_by", "updated_by", "created_at",
                           "updated_at", "deleted", "deleted_at", "doc"}))),
      tombstone_(db.prepare(tombstone_upsert_sql("seat_classes"))) {}

void SeatClassProjector::upsert(const SeatClassUpserted& seat_class, const WriteStamp& stamp) {
  // A payload may itself say deleted: true (a soft delete sent as an update); then the
  // deletion time is the update's, or the event's when the payload has none.
  const bool deleted = seat_class.deleted.value_or(false);
  std::optional<std::string> deleted_at;
  if (deleted) deleted_at = seat_class.audit.updated_at.value_or(format_unix_seconds(stamp.created));
  bind_all(*upsert_, seat_class.id, seat_class.name, seat_class.description, seat_class.bgcolor,
           seat_class.lexicon_keys, seat_class.audit.created_by, seat_class.audit.updated_by,
           seat_class.audit.created_at, seat_class.audit.updated_at, deleted, deleted_at, seat_class.doc,
           stamp.event_id, stamp.key.created, stamp.key.updated_at);
  execute(*upsert_);
}

void SeatClassProjector::tombstone(const SeatClassDeleted& deleted, const WriteStamp& stamp) {
  bind_all(*tombstone_, deleted.id, format_unix_seconds(stamp.created), stamp.event_id, stamp.key.created,
           stamp.key.updated_at);
  execute(*tombstone_);
}

void SeatClassProjector::clear() { db_.exec("DELETE FROM seat_classes"); }

}  // namespace seatmirror
