// Rows as JSON objects whose members are the columns: integers, reals and text as such, NULL
// as null, and the JSON columns (doc, layout, lexicon_keys, custom, headers) as the JSON they hold.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace SQLite {
class Statement;
}

namespace seatmirror {

boost::json::object row_object(SQLite::Statement& row);   // the current row
boost::json::array all_rows(SQLite::Statement& statement);  // steps through every row

}  // namespace seatmirror
