#include "read_side/row_json.hpp"

#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Statement.h>
#include <boost/json/parse.hpp>

namespace seatmirror {
namespace {

bool is_json_column(std::string_view name) {
  return name == "doc" || name == "layout" || name == "lexicon_keys" || name == "custom" || name == "headers";
}

}  // namespace

boost::json::object row_object(SQLite::Statement& row) {
  boost::json::object object;
  for (int i = 0; i < row.getColumnCount(); ++i) {
    const auto column = row.getColumn(i);
    const std::string_view name = row.getColumnName(i);
    if (column.isNull()) {
      object[name] = nullptr;
    } else if (column.isInteger()) {
      object[name] = column.getInt64();
    } else if (column.isFloat()) {
      object[name] = column.getDouble();
    } else if (is_json_column(name)) {
      boost::system::error_code ec;
      auto value = boost::json::parse(column.getString(), ec);
      object[name] = ec ? boost::json::value(column.getString()) : std::move(value);
    } else {
      object[name] = column.getString();
    }
  }
  return object;
}

boost::json::array all_rows(SQLite::Statement& statement) {
  boost::json::array rows;
  while (statement.executeStep()) rows.push_back(row_object(statement));
  return rows;
}

}  // namespace seatmirror
