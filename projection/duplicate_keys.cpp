#include "projection/duplicate_keys.hpp"

#include <boost/json/basic_parser_impl.hpp>

#include <algorithm>
#include <vector>

namespace seatmirror {
namespace {

// Collects each open object's keys; when it closes, sorts them and looks for a neighbour pair
// (n log n, so an object with 100,000 keys costs no more than parsing it).
struct KeyCollector {
  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);

  std::vector<std::vector<std::string>> open_objects;
  std::string key;
  std::optional<std::string> duplicate;

  using ec_t = boost::system::error_code;
  bool on_document_begin(ec_t&) { return true; }
  bool on_document_end(ec_t&) { return true; }
  bool on_array_begin(ec_t&) { return true; }
  bool on_array_end(std::size_t, ec_t&) { return true; }
  bool on_object_begin(ec_t&) {
    open_objects.emplace_back();
    return true;
  }
  bool on_object_end(std::size_t, ec_t& ec) {
    auto& keys = open_objects.back();
    std::sort(keys.begin(), keys.end());
    if (auto it = std::adjacent_find(keys.begin(), keys.end()); it != keys.end()) {
      duplicate = *it;
      ec = boost::json::error::syntax;  // stops the parse; `duplicate` says why
      return false;
    }
    open_objects.pop_back();
    return true;
  }
  bool on_string_part(boost::json::string_view, std::size_t, ec_t&) { return true; }
  bool on_string(boost::json::string_view, std::size_t, ec_t&) { return true; }
  bool on_key_part(boost::json::string_view s, std::size_t, ec_t&) {
    key.append(s.data(), s.size());
    return true;
  }
  bool on_key(boost::json::string_view s, std::size_t, ec_t&) {
    key.append(s.data(), s.size());
    open_objects.back().push_back(std::move(key));
    key.clear();
    return true;
  }
  bool on_number_part(boost::json::string_view, ec_t&) { return true; }
  bool on_int64(std::int64_t, boost::json::string_view, ec_t&) { return true; }
  bool on_uint64(std::uint64_t, boost::json::string_view, ec_t&) { return true; }
  bool on_double(double, boost::json::string_view, ec_t&) { return true; }
  bool on_bool(bool, ec_t&) { return true; }
  bool on_null(ec_t&) { return true; }
  bool on_comment_part(boost::json::string_view, ec_t&) { return true; }
  bool on_comment(boost::json::string_view, ec_t&) { return true; }
};

}  // namespace

std::optional<std::string> find_duplicate_key(std::string_view json) {
  boost::json::basic_parser<KeyCollector> parser{boost::json::parse_options{}};
  boost::system::error_code ec;
  parser.write_some(false, json.data(), json.size(), ec);
  return parser.handler().duplicate;
}

}  // namespace seatmirror
