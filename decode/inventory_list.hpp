// One page of a Betterez Inventory API list (GET /seat-fees, /seat-classes, /seatmaps?page=N),
// read without trusting its shape. The list envelope is not documented; other inventory lists
// answer {"<name>": [...], "count": N, "next": ..., "previous": ...}. So a page is accepted as
//   - a top-level array of items, or
//   - an object with exactly one array-valued member (whatever its name) holding the items,
//     and `count` (a non-negative integer) and `next` (absent, null, a string or a number)
//     read when present;
// anything else is refused with a message that says what was found. Each item must be an
// object; whether it is a valid record is the decoder's business (envelope.cpp), item by item.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace seatmirror {

struct InventoryListPage {
  std::vector<boost::json::object> items;
  std::optional<std::int64_t> count;  // what the API says the whole list holds
  std::optional<bool> has_next;       // whether `next` names a page; nullopt when the page has no `next`
};

// What a page that cannot be read as a list is refused with: e.g. "the answer is an object
// with no array member (members: error, message)".
class InventoryListError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws InventoryListError.
InventoryListPage parse_inventory_list(std::string_view body);

}  // namespace seatmirror
