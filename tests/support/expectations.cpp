#include "tests/support/expectations.hpp"

#include <SQLiteCpp/Statement.h>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

#include <algorithm>

namespace seatmirror::test {
namespace {

boost::json::value column_value(const SQLite::Column& column) {
  if (column.isNull()) return nullptr;
  if (column.isInteger()) return column.getInt64();
  if (column.isFloat()) return column.getDouble();
  return boost::json::string{column.getString()};
}

// The rows of `table`, restricted to the columns the expectation names, as sorted JSON text.
std::vector<std::string> actual_rows(SQLite::Database& db, const std::string& table,
                                     const boost::json::object& example) {
  std::string columns;
  for (const auto& member : example) columns += (columns.empty() ? "" : ", ") + std::string{member.key()};
  SQLite::Statement select{db, "SELECT " + columns + " FROM " + table};
  std::vector<std::string> rows;
  while (select.executeStep()) {
    boost::json::object row;
    int i = 0;
    for (const auto& member : example) row[member.key()] = column_value(select.getColumn(i++));
    rows.push_back(boost::json::serialize(row));
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

std::vector<std::string> expected_rows(const boost::json::array& rows) {
  std::vector<std::string> result;
  for (const auto& row : rows) result.push_back(boost::json::serialize(row));
  std::sort(result.begin(), result.end());
  return result;
}

void check_tables(SQLite::Database& db, const boost::json::object& tables) {
  for (const auto& [table, rows] : tables) {
    INFO("table " << table);
    const auto& expected = rows.as_array();
    const auto count = db.execAndGet("SELECT COUNT(*) FROM " + std::string{table}).getInt64();
    CHECK(count == static_cast<std::int64_t>(expected.size()));
    if (!expected.empty()) {
      CHECK(actual_rows(db, table, expected[0].as_object()) == expected_rows(expected));
    }
  }
}

std::vector<std::string> column_strings(SQLite::Database& db, const std::string& sql) {
  SQLite::Statement select{db, sql};
  std::vector<std::string> values;
  while (select.executeStep()) values.push_back(select.getColumn(0).getString());
  return values;
}

}  // namespace

void check_end_state(SQLite::Database& db, const Scenario& scenario) {
  check_tables(db, scenario.expected.at("tables").as_object());
  std::vector<std::string> ledger_outcomes, rejected_reasons;
  for (const auto& outcome : scenario.expected.at("outcomes").as_array()) {
    const std::string text{outcome.as_string()};
    if (text != "duplicate" && text != "rejected") ledger_outcomes.push_back(text);
  }
  for (const auto& reason : scenario.expected.at("rejected").as_array()) rejected_reasons.emplace_back(reason.as_string());
  CHECK(column_strings(db, "SELECT outcome FROM webhook_events ORDER BY arrival_seq") == ledger_outcomes);
  CHECK(column_strings(db, "SELECT reason FROM rejected_events ORDER BY seq") == rejected_reasons);
}

}  // namespace seatmirror::test
