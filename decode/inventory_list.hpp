// One page of a Betterez Inventory API list (GET /seat-fees, /seat-classes, /seatmaps?page=N),
// read without trusting its shape. The list envelope is not documented; other inventory lists
// answer {"<name>": [...], "count": N, "next": ..., "previous": ...}. So a page is accepted as
//   - a top-level array of items, or
//   - an object with exactly one array-valued member (whatever its name) holding the items,
//     and `count` (a non-negative integer) and `next` (absent, null, a string or a number)
//     read when present;
// anything else is refused with a message that says what was found. Each item must be an
// object; whether it is a valid record is the decoder's business (envelope.cpp), item by item.
//
// InventoryListReader reads a page as a stream: bytes in as they come, each item handed over
// as soon as it is complete, so a page of any length (the API does not page seat fees) needs
// memory for one item at a time. A refusal found late (a second array member after the first
// one's items, a malformed tail) comes after the items before it were handed over: a caller
// that must not act on an incomplete page waits for finish(). Keys repeated within one object
// and numbers beyond ±1.8e308 are refused, as in a webhook body (checked_json_builder.hpp).
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace seatmirror {

// What a page said about the list, beside its items.
struct InventoryListSummary {
  std::size_t items = 0;              // items handed over
  std::optional<std::int64_t> count;  // what the API says the whole list holds
  std::optional<bool> has_next;       // whether `next` names a page; nullopt when the page has no `next`
};

// What a page that cannot be read as a list is refused with: e.g. "the answer is an object
// with no array member (members: error, message)".
class InventoryListError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class InventoryListReader {
 public:
  using ItemHandler = std::function<void(boost::json::object item)>;

  explicit InventoryListReader(ItemHandler on_item);
  ~InventoryListReader();
  InventoryListReader(const InventoryListReader&) = delete;
  InventoryListReader& operator=(const InventoryListReader&) = delete;

  // The next bytes of the page. Throws InventoryListError; an exception from on_item passes through.
  void write(std::string_view bytes);
  // The page has ended: throws InventoryListError if it was not a whole list.
  InventoryListSummary finish();

 private:
  struct Parser;
  std::unique_ptr<Parser> parser_;
};

// A whole page in memory (tests, fuzzing): its items and what it said. Throws InventoryListError.
struct InventoryListPage {
  std::vector<boost::json::object> items;
  std::optional<std::int64_t> count;
  std::optional<bool> has_next;
};
InventoryListPage parse_inventory_list(std::string_view body);

}  // namespace seatmirror
