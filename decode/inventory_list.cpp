#include "decode/inventory_list.hpp"

#include "decode/json_document.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace seatmirror {
namespace {

constexpr std::size_t kNamedMembers = 8;  // members named in an error, at most

std::string_view kind_of(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::null:
      return "null";
    case boost::json::kind::bool_:
      return "a boolean";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_:
      return "a number";
    case boost::json::kind::string:
      return "a string";
    case boost::json::kind::array:
      return "an array";
    case boost::json::kind::object:
      return "an object";
  }
  return "a value";
}

std::string member_names(const boost::json::object& object) {
  std::vector<std::string> names;
  for (const auto& member : object) {
    if (names.size() == kNamedMembers) {
      names.push_back("…");
      break;
    }
    names.push_back(fmt::format("{:?}", std::string_view{member.key()}.substr(0, 40)));
  }
  return names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", "));
}

std::vector<boost::json::object> items_of(const boost::json::array& array, std::string_view where) {
  std::vector<boost::json::object> items;
  items.reserve(array.size());
  for (std::size_t i = 0; i < array.size(); ++i) {
    if (!array[i].is_object()) {
      throw InventoryListError{fmt::format("{}[{}] is {}, not an object", where, i, kind_of(array[i]))};
    }
    items.emplace_back(array[i].get_object(), boost::json::storage_ptr{});  // off the parse's arena
  }
  return items;
}

InventoryListPage read_envelope(const boost::json::object& page) {
  const boost::json::array* found = nullptr;
  std::string_view found_name;
  for (const auto& member : page) {
    if (!member.value().is_array()) continue;
    if (found) {
      throw InventoryListError{
          fmt::format("the answer has more than one array member ({:?} and {:?}): which one holds "
                      "the items is not known",
                      found_name, std::string_view{member.key()})};
    }
    found = &member.value().get_array();
    found_name = member.key();
  }
  if (!found) {
    throw InventoryListError{
        fmt::format("the answer is an object with no array member (members: {})", member_names(page))};
  }
  InventoryListPage result{.items = items_of(*found, found_name)};
  if (const auto* count = page.if_contains("count")) {
    if (!count->is_int64() || count->get_int64() < 0) {
      throw InventoryListError{fmt::format("its count is {}, not a non-negative integer", kind_of(*count))};
    }
    result.count = count->get_int64();
  }
  if (const auto* next = page.if_contains("next")) {
    if (!next->is_null() && !next->is_string() && !next->is_number()) {
      throw InventoryListError{fmt::format("its next is {}, not a page reference or null", kind_of(*next))};
    }
    result.has_next = !next->is_null();
  }
  return result;
}

}  // namespace

InventoryListPage parse_inventory_list(std::string_view body) {
  auto parsed = parse_json_document(body);
  if (const auto* error = std::get_if<JsonSyntaxError>(&parsed)) {
    throw InventoryListError{fmt::format("the answer is not JSON: {}", error->message)};
  }
  const auto& document = std::get<boost::json::value>(parsed);
  if (document.is_array()) return {.items = items_of(document.get_array(), "the answer")};
  if (document.is_object()) return read_envelope(document.get_object());
  throw InventoryListError{fmt::format("the answer is {}, not a list", kind_of(document))};
}

}  // namespace seatmirror
