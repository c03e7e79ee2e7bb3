// The boundary: raw webhook bytes in, a validated InventoryEvent or a Rejection out.
//
// Nothing is written here. Validation is complete before any row is touched, so a rejected
// delivery can never leave a half-applied change behind.
#pragma once

#include "decode/inventory_event.hpp"
#include "decode/rejection.hpp"

#include <string_view>
#include <variant>

namespace seatmirror {

using DecodeResult = std::variant<InventoryEvent, Rejection>;

DecodeResult decode_event(std::string_view body);

}  // namespace seatmirror
