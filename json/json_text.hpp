// JSON text as people and spreadsheets write it. Boost.JSON's serializer writes every number
// with a fraction in scientific notation (4.5E0, 1.1533333333333333E2); here such a number is
// written in its shortest form that reads back to the same double (4.5, 115.33333333333333),
// and a whole one keeps its ".0" (4.0) so it reads back as a number with a fraction, not an
// integer. Everything else (strings and their escapes, integers, the order of members) is
// Boost.JSON's. Every place seatmirror writes JSON -- stored documents, synced bodies, the API,
// --json output, the request log -- writes it through here, so there is one spelling.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace seatmirror {

std::string json_text(const boost::json::value& value);
std::string json_text(const boost::json::object& object);
std::string json_text(const boost::json::array& array);

// The same text, appended to `out` (no temporary string for the whole document).
void append_json_text(std::string& out, const boost::json::value& value);

// `text` as a JSON string, quoted and escaped, appended to `out` (for JSON written by hand).
void append_json_string(std::string& out, std::string_view text);

}  // namespace seatmirror
