#include "decode/json_document.hpp"

#include <fmt/format.h>
#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/value_stack.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <vector>

namespace seatmirror {
namespace {

using ec_t = boost::system::error_code;

// Boost.JSON's own DOM builder (a value_stack fed by basic_parser, as boost::json::parser
// does), plus two checks made while the bytes stream past: the keys of every open object, in
// one byte arena, and every double's finiteness.
class CheckingHandler {
 public:
  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);

  explicit CheckingHandler(boost::json::storage_ptr storage) : storage_(std::move(storage)) { stack_.reset(storage_); }

  boost::json::value release() { return stack_.release(); }
  const std::string& problem() const { return problem_; }

  bool on_document_begin(ec_t&) { return true; }
  bool on_document_end(ec_t&) { return true; }
  bool on_array_begin(ec_t&) { return true; }
  bool on_array_end(std::size_t n, ec_t&) {
    stack_.push_array(n);
    return true;
  }
  bool on_object_begin(ec_t&) {
    open_objects_.push_back({keys_.size(), key_bytes_.size()});
    return true;
  }
  bool on_object_end(std::size_t n, ec_t& ec) {
    const auto [first_key, first_byte] = open_objects_.back();
    open_objects_.pop_back();
    if (const auto repeated = find_repeated(first_key)) {
      problem_ = fmt::format("body repeats the key \"{}\" within one object", *repeated);
      ec = boost::json::error::syntax;  // stops the parse; problem_ says why
      return false;
    }
    keys_.resize(first_key);
    key_bytes_.resize(first_byte);
    stack_.push_object(n);
    return true;
  }
  bool on_key_part(boost::json::string_view s, std::size_t, ec_t&) {
    key_bytes_.append(s.data(), s.size());
    stack_.push_chars(s);
    return true;
  }
  bool on_key(boost::json::string_view s, std::size_t n, ec_t&) {
    key_bytes_.append(s.data(), s.size());
    keys_.push_back({key_bytes_.size() - n, n});  // n: the whole key, its parts included
    stack_.push_key(s);
    return true;
  }
  bool on_string_part(boost::json::string_view s, std::size_t, ec_t&) {
    stack_.push_chars(s);
    return true;
  }
  bool on_string(boost::json::string_view s, std::size_t, ec_t&) {
    stack_.push_string(s);
    return true;
  }
  bool on_number_part(boost::json::string_view, ec_t&) { return true; }
  bool on_int64(std::int64_t i, boost::json::string_view, ec_t&) {
    stack_.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, boost::json::string_view, ec_t&) {
    stack_.push_uint64(u);
    return true;
  }
  bool on_double(double d, boost::json::string_view, ec_t& ec) {
    if (!std::isfinite(d)) {
      problem_ = "body holds a number too large to represent (beyond ±1.8e308)";
      ec = boost::json::error::syntax;
      return false;
    }
    stack_.push_double(d);
    return true;
  }
  bool on_bool(bool b, ec_t&) {
    stack_.push_bool(b);
    return true;
  }
  bool on_null(ec_t&) {
    stack_.push_null();
    return true;
  }
  bool on_comment_part(boost::json::string_view, ec_t&) { return true; }
  bool on_comment(boost::json::string_view, ec_t&) { return true; }

 private:
  struct KeySpan {
    std::size_t offset, size;
  };
  struct OpenObject {
    std::size_t first_key, first_byte;
  };

  std::string_view key_at(const KeySpan& span) const { return {key_bytes_.data() + span.offset, span.size}; }

  // Objects are small (a webhook's largest has ~25 keys): pairwise comparison beats sorting
  // there; a large one is sorted, so 100,000 keys cost no more than parsing them.
  std::optional<std::string> find_repeated(std::size_t first_key) const {
    const std::size_t count = keys_.size() - first_key;
    if (count <= 32) {
      for (std::size_t i = first_key; i < keys_.size(); ++i) {
        for (std::size_t j = i + 1; j < keys_.size(); ++j) {
          if (key_at(keys_[i]) == key_at(keys_[j])) return std::string{key_at(keys_[i])};
        }
      }
      return std::nullopt;
    }
    std::vector<std::string_view> sorted;
    sorted.reserve(count);
    for (std::size_t i = first_key; i < keys_.size(); ++i) sorted.push_back(key_at(keys_[i]));
    std::sort(sorted.begin(), sorted.end());
    if (auto it = std::adjacent_find(sorted.begin(), sorted.end()); it != sorted.end()) return std::string{*it};
    return std::nullopt;
  }

  boost::json::storage_ptr storage_;
  boost::json::value_stack stack_;
  std::string key_bytes_;
  std::vector<KeySpan> keys_;
  std::vector<OpenObject> open_objects_;
  std::string problem_;
};

}  // namespace

std::variant<boost::json::value, JsonSyntaxError> parse_json_document(std::string_view bytes) {
  // One arena per document, released with the value: a DOM is many small allocations.
  auto storage = boost::json::make_shared_resource<boost::json::monotonic_resource>();
  boost::json::basic_parser<CheckingHandler> parser{boost::json::parse_options{}, storage};
  ec_t ec;
  const auto used = parser.write_some(false, bytes.data(), bytes.size(), ec);
  if (!ec && used != bytes.size()) ec = boost::json::error::extra_data;
  if (ec) {
    if (!parser.handler().problem().empty()) return JsonSyntaxError{parser.handler().problem()};
    return JsonSyntaxError{fmt::format("body is not valid JSON: {}", ec.message())};
  }
  return parser.handler().release();
}

namespace {

bool holds_nul(std::string_view text) { return text.find('\0') != std::string_view::npos; }

std::optional<std::string> path_to_nul(const boost::json::value& value, const std::string& path) {
  if (value.is_string()) return holds_nul(value.get_string()) ? std::optional{path} : std::nullopt;
  if (value.is_array()) {
    const auto& array = value.get_array();
    for (std::size_t i = 0; i < array.size(); ++i) {
      if (auto found = path_to_nul(array[i], fmt::format("{}[{}]", path, i))) return found;
    }
  }
  if (value.is_object()) {
    for (const auto& [key, member] : value.get_object()) {
      const auto member_path = path.empty() ? std::string{key} : fmt::format("{}.{}", path, std::string_view{key});
      if (holds_nul(key)) return member_path;
      if (auto found = path_to_nul(member, member_path)) return found;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> find_text_with_nul(std::string_view body, const boost::json::value& document) {
  if (body.find("\\u0000") == std::string_view::npos) return std::nullopt;
  return path_to_nul(document, "");
}

bool equal_except(const boost::json::object& a, const boost::json::object& b, std::string_view ignored_key) {
  const auto members = [&](const boost::json::object& o) { return o.size() - (o.contains(ignored_key) ? 1 : 0); };
  if (members(a) != members(b)) return false;
  for (const auto& [key, value] : a) {
    if (key == ignored_key) continue;
    const auto* other = b.if_contains(key);
    if (!other || *other != value) return false;
  }
  return true;
}

}  // namespace seatmirror
