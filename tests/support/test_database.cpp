#include "tests/support/test_database.hpp"

#include "read_side/inventory_stats.hpp"

#include <SQLiteCpp/Statement.h>

#include <fstream>
#include <iterator>
#include <random>
#include <stdexcept>

namespace seatmirror::test {

TempDir::TempDir() {
  std::random_device random;
  path_ = std::filesystem::temp_directory_path() / ("seatmirror-test-" + std::to_string(random()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::vector<std::string> table_rows(SQLite::Database& db, const std::string& table) {
  SQLite::Statement columns{db, "SELECT * FROM " + table + " LIMIT 0"};
  std::string order_by;
  for (int i = 1; i <= columns.getColumnCount(); ++i) {
    if (i > 1) order_by += ',';
    order_by += std::to_string(i);
  }
  SQLite::Statement rows{db, "SELECT * FROM " + table + " ORDER BY " + order_by};
  std::vector<std::string> result;
  while (rows.executeStep()) {
    std::string row;
    for (int i = 0; i < rows.getColumnCount(); ++i) {
      const auto column = rows.getColumn(i);
      row += std::string{rows.getColumnName(i)} + "=" + (column.isNull() ? "NULL" : column.getString()) + "|";
    }
    result.push_back(std::move(row));
  }
  return result;
}

std::vector<std::string> read_model_snapshot(SQLite::Database& db) {
  std::vector<std::string> snapshot;
  for (const auto& table : read_model_tables()) {
    for (auto& row : table_rows(db, table)) snapshot.push_back(table + ": " + row);
  }
  return snapshot;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return {std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
}

}  // namespace seatmirror::test
