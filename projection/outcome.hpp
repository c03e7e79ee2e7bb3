// What became of one delivery.
#pragma once

#include "decode/rejection.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace seatmirror {

enum class Outcome {
  applied,    // the read model now reflects this event
  duplicate,  // its id was already in the ledger; nothing changed
  stale,      // recorded in the ledger, but an event with a newer ordering key got there first
  ignored,    // recorded in the ledger; an event type seatmirror does not project
  rejected,   // failed validation; recorded in rejected_events only
};

std::string_view to_string(Outcome outcome);
std::optional<Outcome> outcome_from_string(std::string_view text);

struct DeliveryResult {
  Outcome outcome = Outcome::rejected;
  std::string event_id;  // empty when the body had no readable id
  std::string event;
  std::optional<std::string> entity_id;
  std::optional<Rejection> rejection;  // set when outcome == rejected
};

}  // namespace seatmirror
