// Boost.JSON's own DOM builder (a value_stack fed by basic_parser events, as
// boost::json::parser does), plus two checks made while the bytes stream past: a key repeated
// within one object (the keys of every open object, in one byte arena), and a number beyond
// ±1.8e308. A check that fails stops the parse with boost::json::error::syntax and says why in
// problem(). Used as basic_parser's handler (json_document.cpp), or fed events one value at a
// time by a reader that builds many values from one stream (inventory_list.cpp).
#pragma once

#include <fmt/format.h>
#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_stack.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seatmirror {

// basic_parser asks its handler for these: no limit of their own (the body's size bounds them).
struct UnboundedJsonHandler {
  using ec_t = boost::system::error_code;
  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);
};

class CheckedJsonBuilder : public UnboundedJsonHandler {
 public:
  explicit CheckedJsonBuilder(boost::json::storage_ptr storage = {}) : storage_(std::move(storage)) {
    stack_.reset(storage_);
  }

  boost::json::value release() { return stack_.release(); }
  // Ready to build the next value (after release()), from the same storage.
  void reset() { stack_.reset(storage_); }
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

}  // namespace seatmirror
