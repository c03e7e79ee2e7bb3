// Real SQLite files for tests: each TestDatabase lives in its own fresh directory, removed
// afterwards. Snapshots read every column of every read-model row, for exact comparisons.
#pragma once

#include <SQLiteCpp/Database.h>

#include <filesystem>
#include <string>
#include <vector>

namespace seatmirror::test {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Every row of `table` (all columns, as text with NULL marked), ordered by all columns.
std::vector<std::string> table_rows(SQLite::Database& db, const std::string& table);

// Every read-model table's rows, table by table, prefixed with the table name.
std::vector<std::string> read_model_snapshot(SQLite::Database& db);

std::string read_file(const std::filesystem::path& path);

}  // namespace seatmirror::test
