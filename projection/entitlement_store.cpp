#include "projection/entitlement_store.hpp"

#include "json/json_text.hpp"

#include "decode/bz_date.hpp"
#include "decode/json_document.hpp"
#include "projection/lock_keys.hpp"
#include "storage/sql_binding.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace seatmirror {
namespace {

Entitlement parse_stored(const std::string& id, const std::string& doc) {
  auto parsed = parse_json_document(doc);
  auto* value = std::get_if<boost::json::value>(&parsed);
  if (!value) throw std::runtime_error(fmt::format("stored entitlement {} is not JSON", id));
  auto read = read_entitlement(*value);
  if (auto* rejection = std::get_if<Rejection>(&read)) {
    throw std::runtime_error(
        fmt::format("stored entitlement {} no longer passes validation: {}", id, rejection->message));
  }
  return std::get<Entitlement>(std::move(read));
}

}  // namespace

EntitlementStore::EntitlementStore(sql::Connection& db)
    : db_(db),
      find_(db.prepare("SELECT organization_id, last_update_time, doc FROM entitlements WHERE id = ?")),
      upsert_(db.prepare(
          "INSERT INTO entitlements (id, organization_id, partner, status, buyer_id, product_id, quantity, "
          "last_update_time, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
          "organization_id = excluded.organization_id, partner = excluded.partner, status = excluded.status, "
          "buyer_id = excluded.buyer_id, product_id = excluded.product_id, quantity = excluded.quantity, "
          "last_update_time = excluded.last_update_time, doc = excluded.doc")),
      insert_change_(db.prepare("INSERT INTO entitlement_seat_changes (entitlement_id, old_quantity, new_quantity, "
                                "changed_at, seat_event_id) VALUES (?, ?, ?, ?, ?)")) {}

void EntitlementStore::write(const Entitlement& e) {
  bind_all(*upsert_, e.id, e.organization_id, e.partner, e.status, e.buyer_id, e.product_id, e.quantity,
           e.last_update_time, json_text(e.doc));
  execute(*upsert_);
}

ImportOutcome EntitlementStore::import(const Entitlement& entitlement) {
  std::optional<std::optional<std::string>> stored_update;  // outer: a row exists
  {
    StatementReset reset{*find_};
    bind_all(*find_, entitlement.id);
    if (find_->step()) stored_update.emplace(find_->column_optional_text(1));
  }
  // Canonical timestamps have a fixed width, so text order is time order.
  const bool newer = !stored_update || (entitlement.last_update_time &&
                                        (!*stored_update || *entitlement.last_update_time > **stored_update));
  if (!newer) return ImportOutcome::kept;
  write(entitlement);
  return stored_update ? ImportOutcome::replaced : ImportOutcome::added;
}

SeatChangeResult EntitlementStore::change_seats(const SeatChangeRequest& request, SeatEventLedger& seat_events) {
  std::optional<Entitlement> before;
  db_.lock_key(lock_keys::entitlement(request.entitlement_id));  // changes to one entitlement, one at a time
  {
    StatementReset reset{*find_};
    bind_all(*find_, request.entitlement_id);
    if (find_->step() && find_->column_text(0) == request.organization_id) {
      before = parse_stored(request.entitlement_id, find_->column_text(2));
    }
  }
  if (!before) return SeatChangeResult{.outcome = SeatChangeOutcome::not_found};
  SeatChangeResult result{.outcome = SeatChangeOutcome::changed, .previous = before->doc};
  if (auto conflict = seat_change_conflict(*before)) {
    result.outcome = SeatChangeOutcome::conflict;
    result.reason = std::move(*conflict);
    return result;
  }
  if (before->quantity == request.new_seat) {
    result.outcome = SeatChangeOutcome::unchanged;
    return result;
  }
  // Changes to one entitlement are applied one at a time (the lock above), but their arrival
  // times were taken before that, on the network threads: two PATCHes arriving together can
  // be applied in the other order. The change time is kept after the state it changes, so the
  // seat events' time order is the order the changes were applied in (and the last one is the
  // entitlement's seats now).
  auto at = request.at;
  if (before->last_update_time) {
    const std::chrono::system_clock::time_point previous{
        std::chrono::milliseconds{unix_millis(*before->last_update_time)}};
    if (at <= previous) at = previous + std::chrono::milliseconds{1};
  }
  const auto after = with_quantity(*before, request.new_seat, at);
  write(after);
  const SeatEvent usage{.customer_alias = *after.buyer_id,
                        .seat_type = *after.product_id,
                        .event_timestamp = *after.last_update_time,
                        .total = request.new_seat};
  result.seat_event = seat_events.record(usage, usage.event_timestamp, seat_event_body(usage));
  bind_all(*insert_change_, after.id, before->quantity, request.new_seat, usage.event_timestamp, result.seat_event->id);
  execute(*insert_change_);
  return result;
}

std::int64_t EntitlementStore::reproject() {
  std::vector<Entitlement> rows;
  {
    const auto all = db_.prepare("SELECT id, doc FROM entitlements ORDER BY id");
    while (all->step()) rows.push_back(parse_stored(all->column_text(0), all->column_text(1)));
  }
  for (const auto& row : rows) write(row);
  return static_cast<std::int64_t>(rows.size());
}

}  // namespace seatmirror
