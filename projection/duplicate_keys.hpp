// Finds a key repeated within one JSON object. Boost.JSON keeps the last of duplicate keys
// silently; a body that means different things to different parsers is refused instead, so
// that what was verified, stored and projected can never disagree.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace seatmirror {

// The first repeated key (in the order objects close), or nullopt. `json` must be valid JSON.
std::optional<std::string> find_duplicate_key(std::string_view json);

}  // namespace seatmirror
