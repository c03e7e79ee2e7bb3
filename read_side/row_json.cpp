#include "read_side/row_json.hpp"

#include "storage/sql_connection.hpp"

#include <boost/json/parse.hpp>

namespace seatmirror {
namespace {

bool is_json_column(std::string_view name) {
  return name == "doc" || name == "layout" || name == "lexicon_keys" || name == "custom" || name == "headers";
}

}  // namespace

boost::json::object row_object(const sql::Statement& row) {
  boost::json::object object;
  for (int i = 0; i < row.column_count(); ++i) {
    const auto name = row.column_name(i);
    switch (row.column_type(i)) {
      case sql::ColumnType::null:
        object[name] = nullptr;
        break;
      case sql::ColumnType::integer:
        object[name] = row.column_int64(i);
        break;
      case sql::ColumnType::real:
        object[name] = row.column_double(i);
        break;
      default: {
        auto text = row.column_text(i);
        if (is_json_column(name)) {
          boost::system::error_code ec;
          auto value = boost::json::parse(text, ec);
          object[name] = ec ? boost::json::value(text) : std::move(value);
        } else {
          object[name] = std::move(text);
        }
      }
    }
  }
  return object;
}

boost::json::array all_rows(sql::Statement& statement) {
  boost::json::array rows;
  while (statement.step()) rows.push_back(row_object(statement));
  return rows;
}

}  // namespace seatmirror
