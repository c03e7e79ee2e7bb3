// The typed form of one Betterez inventory webhook delivery.
//
// decode_event() (envelope.hpp) produces these from raw bytes; projectors consume them.
// Every id here is already validated and lowercase, every date already ISO-8601 UTC, every
// JSON-valued field already serialised and every seat layout already computed and encoded:
// nothing downstream re-validates, re-parses or recomputes. Decoding runs on the caller's
// thread, so the writer thread only writes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace seatmirror {

// Orders events for one entity: envelope `created`, then data.updatedAt where both have one.
struct OrderingKey {
  std::int64_t created = 0;
  std::optional<std::string> updated_at;  // canonical ISO-8601 UTC, so text order is time order
};

// True when `incoming` is strictly older than `stored`. A full tie is not older: the later
// arrival wins, which keeps retried deliveries of the same change harmless.
bool is_older(const OrderingKey& incoming, const OrderingKey& stored);

struct AuditFields {
  std::optional<std::string> created_by, updated_by, created_at, updated_at;
};

struct SeatFeeUpserted {
  std::string id;
  std::optional<std::string> short_name, type;
  std::optional<double> value;
  std::optional<bool> disabled;
  std::optional<std::string> bgcolor, name, lexicon_keys;
  AuditFields audit;
  std::string doc;
};

struct SeatClassUpserted {
  std::string id;
  std::optional<std::string> name, description, bgcolor, lexicon_keys;
  std::optional<bool> deleted;
  AuditFields audit;
  std::string doc;
};

struct SeatClassDeleted {
  std::string id;
};

struct SeatmapUpserted {
  std::string id;
  std::optional<std::string> account_id, name;
  std::optional<std::int64_t> capacity;
  std::optional<bool> standard, allow_seat_orientation;
  std::optional<std::string> amenity_group_id, brand_id;
  AuditFields audit;
  std::vector<std::string> section_ids;  // lowercase, in order, each once; the layout reads the rest
  std::string doc;
  std::string layout_json;                        // every section's layout (seat_layout_json.hpp)
  std::optional<std::int64_t> computed_capacity;  // the seats the sections lay out; nullopt if one cannot be
};

struct SeatmapDeleted {
  std::string id;
};

// An event name seatmirror does not know: logged as `ignored`, never an error, because the
// sender adds event types over time and would retry a refusal forever.
struct UnknownEvent {};

using EventData =
    std::variant<SeatFeeUpserted, SeatClassUpserted, SeatClassDeleted, SeatmapUpserted, SeatmapDeleted, UnknownEvent>;

struct Envelope {
  std::string id;  // the webhook event UUID, lowercase: the dedupe key
  std::string attempt_id;
  std::int64_t created = 0;  // unix seconds
  std::string event;
  bool livemode = false;
};

struct InventoryEvent {
  Envelope envelope;
  EventData data;
  std::optional<std::string> updated_at;  // data.updatedAt, the ordering tie-break

  OrderingKey ordering_key() const { return {envelope.created, updated_at}; }
  // The 24-hex id of the entity the event is about; empty for an unknown event.
  std::optional<std::string> entity_id() const;
};

}  // namespace seatmirror
