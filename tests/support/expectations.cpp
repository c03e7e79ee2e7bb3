#include "tests/support/expectations.hpp"

#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

#include <algorithm>

namespace seatmirror::test {
namespace {

boost::json::value column_value(const sql::Statement& row, int i) {
  switch (row.column_type(i)) {
    case sql::ColumnType::null:
      return nullptr;
    case sql::ColumnType::integer:
      return row.column_int64(i);
    case sql::ColumnType::real:
      return row.column_double(i);
    default:
      return boost::json::string{row.column_text(i)};
  }
}

// The rows of `table`, restricted to the columns the expectation names, as sorted JSON text.
std::vector<std::string> actual_rows(sql::Connection& db, const std::string& table,
                                     const boost::json::object& example) {
  std::string columns;
  for (const auto& member : example) columns += (columns.empty() ? "" : ", ") + std::string{member.key()};
  const auto select = db.prepare("SELECT " + columns + " FROM " + table);
  std::vector<std::string> rows;
  while (select->step()) {
    boost::json::object row;
    int i = 0;
    for (const auto& member : example) row[member.key()] = column_value(*select, i++);
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

std::vector<std::string> column_strings(sql::Connection& db, const std::string& sql) {
  const auto select = db.prepare(sql);
  std::vector<std::string> values;
  while (select->step()) {
    values.push_back(select->column_type(0) == sql::ColumnType::integer ? std::to_string(select->column_int64(0))
                                                                        : select->column_text(0));
  }
  return values;
}

void check_tables(sql::Connection& db, const boost::json::object& tables) {
  for (const auto& [table, rows] : tables) {
    INFO("table " << table);
    const auto& expected = rows.as_array();
    const auto count = column_strings(db, "SELECT COUNT(*) FROM " + std::string{table}).front();
    CHECK(count == std::to_string(expected.size()));
    if (!expected.empty()) {
      CHECK(actual_rows(db, table, expected[0].as_object()) == expected_rows(expected));
    }
  }
}

}  // namespace

void check_end_state(sql::Connection& db, const Scenario& scenario) {
  check_tables(db, scenario.expected.at("tables").as_object());
  std::vector<std::string> ledger_outcomes, rejected_reasons;
  for (const auto& outcome : scenario.expected.at("outcomes").as_array()) {
    const std::string text{outcome.as_string()};
    if (text != "duplicate" && text != "rejected") ledger_outcomes.push_back(text);
  }
  for (const auto& reason : scenario.expected.at("rejected").as_array())
    rejected_reasons.emplace_back(reason.as_string());
  CHECK(column_strings(db, "SELECT outcome FROM webhook_events ORDER BY arrival_seq") == ledger_outcomes);
  CHECK(column_strings(db, "SELECT reason FROM rejected_events ORDER BY seq") == rejected_reasons);
}

}  // namespace seatmirror::test
