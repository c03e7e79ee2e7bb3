// The ledger form of what `sync` takes from the Inventory API: an envelope seatmirror writes
// around a record, so that a repair takes the webhooks' one path (decode, dedupe, ordering,
// ledger, read models) and `rebuild` re-applies it like any delivery.
//
//   {"id": UUID, "attemptId": "sync", "created": S, "event": E, "livemode": true, "data": D}
//
// E is one of seatmirror's own event names, never one Betterez sends: `seatfees.synced`,
// `seatclass.synced`, `seatmap.synced` (D is the record as the API listed it; its updatedAt is
// required, since it is the record's version) and `seatclass.gone`, `seatmap.gone` (D is
// {"_id", "updatedAt"}: a tombstone for a record the API no longer lists, written only by
// `sync --delete-missing` after a complete scan).
//
// The id is a name-based UUID (RFC 4122 version 5) of the event name, the record's id and its
// updatedAt, so syncing the same version twice yields the same id and the second is a
// duplicate. The ordering key (created, updatedAt) is taken from the record alone, never from
// this machine's clock:
//   - a synced record: created = its updatedAt, whole seconds. The webhook that announced the
//     same version was created no earlier than that second, and every later change carries a
//     later updatedAt (and a created no earlier): the synced record never wins over a newer
//     change, and an older change arriving late loses to it by created or, in the same second,
//     by updatedAt. That holds however far this machine's clock is from Betterez's. The one
//     window left is the one two webhooks already share: an older change whose event was
//     stamped in a later second than a newer change's save.
//   - a gone tombstone: the ordering key of the row it deletes, exactly. A tie is won by the
//     later arrival, so it replaces that row; anything older stays stale, anything newer (the
//     record listed again) revives it.
#pragma once

#include "decode/inventory_kind.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace seatmirror {

std::string_view synced_event_name(InventoryKind family);  // seatfees.synced, …
std::string_view gone_event_name(InventoryKind family);    // seatclass.gone, seatmap.gone; "" for fees
bool is_synced_event(std::string_view event);
bool is_gone_event(std::string_view event);

// The body recorded for `record` as the API listed it. A record without a usable _id or
// updatedAt still gets a body (its id then derived from its whole content), which decoding
// refuses with the field's name: the refusal is what an operator sees in rejected_events.
std::string synced_record_body(InventoryKind family, const boost::json::object& record);

// The tombstone for a row the API no longer lists: its id and the ordering key it was written
// with (order_created, order_updated_at).
std::string gone_record_body(InventoryKind family, std::string_view id, std::int64_t order_created,
                             const std::optional<std::string>& order_updated_at);

// RFC 4122 version 5 (SHA-1, name-based) in seatmirror's own namespace, lowercase.
std::string name_based_uuid(std::string_view name);

}  // namespace seatmirror
