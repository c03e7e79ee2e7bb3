// The boundary: raw webhook bytes in, a validated InventoryEvent or a Rejection out.
//
// Nothing is written here. Validation is complete before any row is touched, so a rejected
// delivery can never leave a half-applied change behind.
#pragma once

#include "decode/inventory_event.hpp"
#include "decode/rejection.hpp"

#include <span>
#include <string_view>
#include <variant>

namespace seatmirror {

using DecodeResult = std::variant<InventoryEvent, Rejection>;

DecodeResult decode_event(std::string_view body);

// The webhook events seatmirror projects, by the Inventory API's names (any other name is kept
// in the ledger and ignored); /metrics starts a series at 0 for each.
std::span<const std::string_view> projected_webhook_events();

}  // namespace seatmirror
