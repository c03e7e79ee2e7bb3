// Why a delivery was refused, in a form both machines and people can read.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace seatmirror {

enum class RejectionReason {
  malformed_json,       // not JSON, or not a JSON object
  invalid_envelope,     // id, attemptId, created, event, livemode or data missing or mistyped
  invalid_data,         // a known event whose data breaks a rule
  invalid_seat_event,   // a seat event body missing a field, or with one mistyped or out of range
  unsupported_version,  // a Sequence-Version header naming an API version seatmirror does not implement
};

std::string_view to_string(RejectionReason reason);

// What a refused body was sent as (rejected_events.source): a webhook, a seat event POST, or
// a record `sync` took from the Inventory API (in its ledger form, sync_record.hpp).
enum class RejectionSource { inventory_webhook, seat_event, inventory_sync };
std::string_view to_string(RejectionSource source);
std::optional<RejectionSource> rejection_source_from_string(std::string_view text);

struct Rejection {
  RejectionReason reason;
  std::string field;    // JSON path of the offending field, e.g. "data.sections[0]._id"; may be empty
  std::string message;  // a sentence naming the field and what was wrong
};

// The refusal of a body holding U+0000 at `field` (json_document.hpp: find_text_with_nul).
inline Rejection text_with_nul(RejectionReason reason, std::string field) {
  auto message = field + " holds U+0000 (NUL), which cannot be stored as text; send it without";
  return Rejection{reason, std::move(field), std::move(message)};
}

}  // namespace seatmirror
