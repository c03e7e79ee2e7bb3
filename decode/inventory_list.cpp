#include "decode/inventory_list.hpp"

#include "decode/checked_json_builder.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <boost/json/basic_parser_impl.hpp>

#include <exception>
#include <set>

namespace seatmirror {
namespace {

constexpr std::size_t kNamedMembers = 8;  // members named in an error, at most

enum class Kind { null, boolean, number, string, array, object };

std::string_view name_of(Kind kind) {
  switch (kind) {
    case Kind::null:
      return "null";
    case Kind::boolean:
      return "a boolean";
    case Kind::number:
      return "a number";
    case Kind::string:
      return "a string";
    case Kind::array:
      return "an array";
    case Kind::object:
      return "an object";
  }
  return "a value";
}

// basic_parser's handler: follows the page's shape itself and hands each item's events to a
// CheckedJsonBuilder, which builds that item alone.
class ListHandler : public UnboundedJsonHandler {
 public:
  explicit ListHandler(InventoryListReader::ItemHandler on_item) : on_item_(std::move(on_item)) {}

  InventoryListSummary summary;
  std::string problem;              // why the page is not a list
  std::exception_ptr item_failure;  // what on_item threw
  const std::string& json_problem() const { return item_.problem(); }

  bool on_document_begin(ec_t&) { return true; }
  bool on_document_end(ec_t& ec) {
    if (shape_ == Kind::object && !items_found_) {
      const auto members = names_.empty() ? std::string{"none"} : fmt::format("{}", fmt::join(names_, ", "));
      return fail(ec, fmt::format("the answer is an object with no array member (members: {})", members));
    }
    return true;
  }
  bool on_array_begin(ec_t& ec) {
    return open(Kind::array, ec, [&] { return item_.on_array_begin(ec); });
  }
  bool on_array_end(std::size_t n, ec_t& ec) {
    return close(ec, [&] { return item_.on_array_end(n, ec); });
  }
  bool on_object_begin(ec_t& ec) {
    return open(Kind::object, ec, [&] { return item_.on_object_begin(ec); });
  }
  bool on_object_end(std::size_t n, ec_t& ec) {
    return close(ec, [&] { return item_.on_object_end(n, ec); });
  }
  bool on_key_part(boost::json::string_view s, std::size_t n, ec_t& ec) {
    if (in_item_) return item_.on_key_part(s, n, ec);
    if (depth_ == 1) key_.append(s.data(), s.size());
    return true;
  }
  bool on_key(boost::json::string_view s, std::size_t n, ec_t& ec) {
    if (in_item_) return item_.on_key(s, n, ec);
    if (depth_ != 1) return true;
    key_.append(s.data(), s.size());
    if (!keys_.insert(key_).second) {
      return fail(ec, fmt::format("the answer is not JSON: body repeats the key \"{}\" within one object", key_));
    }
    if (names_.size() < kNamedMembers) {
      names_.push_back(fmt::format("{:?}", std::string_view{key_}.substr(0, 40)));
    } else if (names_.size() == kNamedMembers) {
      names_.push_back("…");
    }
    member_ = std::move(key_);
    key_.clear();
    return true;
  }
  bool on_string_part(boost::json::string_view s, std::size_t n, ec_t& ec) {
    return in_item_ ? item_.on_string_part(s, n, ec) : true;
  }
  bool on_string(boost::json::string_view s, std::size_t n, ec_t& ec) {
    return scalar(Kind::string, ec, [&] { return item_.on_string(s, n, ec); });
  }
  bool on_number_part(boost::json::string_view, ec_t&) { return true; }
  bool on_int64(std::int64_t i, boost::json::string_view s, ec_t& ec) {
    if (!in_item_ && depth_ == 1 && member_ == "count" && i >= 0) {
      summary.count = i;
      return true;
    }
    return scalar(Kind::number, ec, [&] { return item_.on_int64(i, s, ec); });
  }
  bool on_uint64(std::uint64_t u, boost::json::string_view s, ec_t& ec) {
    return scalar(Kind::number, ec, [&] { return item_.on_uint64(u, s, ec); });
  }
  bool on_double(double d, boost::json::string_view s, ec_t& ec) {
    return scalar(Kind::number, ec, [&] { return item_.on_double(d, s, ec); });
  }
  bool on_bool(bool b, ec_t& ec) {
    return scalar(Kind::boolean, ec, [&] { return item_.on_bool(b, ec); });
  }
  bool on_null(ec_t& ec) {
    return scalar(Kind::null, ec, [&] { return item_.on_null(ec); });
  }
  bool on_comment_part(boost::json::string_view, ec_t&) { return true; }
  bool on_comment(boost::json::string_view, ec_t&) { return true; }

 private:
  bool fail(ec_t& ec, std::string why) {
    problem = std::move(why);
    ec = boost::json::error::syntax;  // stops the parse; `problem` says why
    return false;
  }

  // A value starts where it is judged: the page itself, an element of the items array, or a
  // member of the page object (the items array, count, next).
  bool judge(Kind kind, ec_t& ec) {
    if (depth_ == 0) {
      if (kind != Kind::array && kind != Kind::object) {
        return fail(ec, fmt::format("the answer is {}, not a list", name_of(kind)));
      }
      shape_ = kind;
      if (kind == Kind::array) begin_items("the answer", 1);
      return true;
    }
    if (items_open_ && depth_ == items_depth_ && kind != Kind::object) {
      return fail(ec, fmt::format("{}[{}] is {}, not an object", items_name_, summary.items, name_of(kind)));
    }
    if (depth_ != 1 || shape_ != Kind::object) return true;
    if (kind == Kind::array) {
      if (items_found_) {
        return fail(ec, fmt::format("the answer has more than one array member ({:?} and {:?}): which one holds "
                                    "the items is not known",
                                    items_name_, member_));
      }
      begin_items(member_, 2);
    }
    if (member_ == "count") {
      return fail(ec, fmt::format("its count is {}, not a non-negative integer", name_of(kind)));
    }
    if (member_ == "next") {
      if (kind == Kind::object || kind == Kind::array || kind == Kind::boolean) {
        return fail(ec, fmt::format("its next is {}, not a page reference or null", name_of(kind)));
      }
      summary.has_next = kind != Kind::null;
    }
    return true;
  }

  void begin_items(std::string name, int elements_depth) {
    items_found_ = true;
    items_name_ = std::move(name);
    items_depth_ = elements_depth;
    items_beginning_ = true;
  }

  template <typename Forward>
  bool open(Kind kind, ec_t& ec, Forward forward) {
    if (!in_item_) {
      if (!judge(kind, ec)) return false;
      if (items_open_ && depth_ == items_depth_) in_item_ = true;  // an item begins
    }
    ++depth_;
    if (items_beginning_) {  // the items array itself just opened
      items_beginning_ = false;
      items_open_ = true;
    }
    return in_item_ ? forward() : true;
  }

  template <typename Forward>
  bool close(ec_t& ec, Forward forward) {
    --depth_;
    if (!in_item_) {
      if (items_open_ && depth_ < items_depth_) items_open_ = false;  // the items array closed
      return true;
    }
    if (!forward()) return false;
    if (depth_ > items_depth_) return true;
    in_item_ = false;  // the item is complete
    ++summary.items;
    try {
      on_item_(std::move(item_.release().as_object()));
    } catch (...) {
      item_failure = std::current_exception();
      ec = boost::json::error::syntax;
      return false;
    }
    item_.reset();
    return true;
  }

  template <typename Forward>
  bool scalar(Kind kind, ec_t& ec, Forward forward) {
    if (in_item_) return forward();
    return judge(kind, ec);
  }

  InventoryListReader::ItemHandler on_item_;
  CheckedJsonBuilder item_;
  int depth_ = 0;  // containers open
  Kind shape_ = Kind::null;
  bool items_found_ = false;
  int items_depth_ = -1;  // the depth of the items array's elements
  bool items_beginning_ = false, items_open_ = false;
  std::string items_name_;  // "the answer", or the member holding the items
  bool in_item_ = false;
  std::string key_, member_;  // the page object's key being read, and the last one read
  std::set<std::string> keys_;
  std::vector<std::string> names_;
};

bool only_whitespace(std::string_view bytes) { return bytes.find_first_not_of(" \t\r\n") == std::string_view::npos; }

}  // namespace

struct InventoryListReader::Parser {
  explicit Parser(ItemHandler on_item) : parser{boost::json::parse_options{}, std::move(on_item)} {}
  boost::json::basic_parser<ListHandler> parser;
  bool ended = false;  // the document is complete; only whitespace may follow

  // Feeds bytes (more: whether others follow), turning a stop into its refusal.
  void feed(std::string_view bytes, bool more) {
    if (ended) {
      if (!only_whitespace(bytes)) throw InventoryListError{"the answer is not JSON: extra data after the list"};
      return;
    }
    boost::system::error_code ec;
    const auto used = parser.write_some(more, bytes.data(), bytes.size(), ec);
    auto& handler = parser.handler();
    if (handler.item_failure) std::rethrow_exception(handler.item_failure);
    if (!handler.problem.empty()) throw InventoryListError{handler.problem};
    if (ec) {
      const auto why = handler.json_problem().empty() ? fmt::format("body is not valid JSON: {}", ec.message())
                                                      : handler.json_problem();
      throw InventoryListError{fmt::format("the answer is not JSON: {}", why)};
    }
    if (parser.done()) {
      ended = true;
      if (!only_whitespace(bytes.substr(used))) {
        throw InventoryListError{"the answer is not JSON: extra data after the list"};
      }
    }
  }
};

InventoryListReader::InventoryListReader(ItemHandler on_item) : parser_(std::make_unique<Parser>(std::move(on_item))) {}
InventoryListReader::~InventoryListReader() = default;

void InventoryListReader::write(std::string_view bytes) { parser_->feed(bytes, true); }

InventoryListSummary InventoryListReader::finish() {
  parser_->feed({}, false);
  return parser_->parser.handler().summary;
}

InventoryListPage parse_inventory_list(std::string_view body) {
  InventoryListPage page;
  InventoryListReader reader{[&](boost::json::object item) { page.items.push_back(std::move(item)); }};
  reader.write(body);
  const auto summary = reader.finish();
  page.count = summary.count;
  page.has_next = summary.has_next;
  return page;
}

}  // namespace seatmirror
