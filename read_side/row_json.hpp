// Rows as JSON objects whose members are the columns: integers, reals and text as such, NULL
// as null, and the JSON columns (doc, layout, lexicon_keys, custom, headers) as the JSON they hold.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace seatmirror::sql {
class Statement;
}

namespace seatmirror {

boost::json::object row_object(const sql::Statement& row);  // the current row
boost::json::array all_rows(sql::Statement& statement);     // steps through every row

}  // namespace seatmirror
