// Rows of JSON objects printed as an aligned text table, for the read commands.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <vector>

namespace seatmirror::cli {

// A cell's text: strings as they are, numbers plainly (12.5, not 1.25E1), null as nothing.
std::string cell_text(const boost::json::value* value);
// The named columns of every row, padded to line up; long cells are cut at 48 characters.
void print_table(const boost::json::array& rows, const std::vector<std::string>& columns);

}  // namespace seatmirror::cli
