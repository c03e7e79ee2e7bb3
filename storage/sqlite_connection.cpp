#include "storage/sqlite_connection.hpp"

#include "storage/database.hpp"

#include <SQLiteCpp/Exception.h>
#include <sqlite3.h>

namespace seatmirror::sql {
namespace {

class SqliteStatement final : public Statement {
 public:
  SqliteStatement(sqlite3* db, std::string_view sql) : db_(db) {
    check(sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &statement_,
                             nullptr));
  }
  ~SqliteStatement() override { sqlite3_finalize(statement_); }

  void bind_null(int index) override { check(sqlite3_bind_null(statement_, index)); }
  void bind(int index, std::int64_t value) override { check(sqlite3_bind_int64(statement_, index, value)); }
  void bind(int index, double value) override { check(sqlite3_bind_double(statement_, index, value)); }
  void bind(int index, std::string_view text) override {
    check(sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT));
  }
  void bind(int index, Blob bytes) override {
    check(
        sqlite3_bind_blob(statement_, index, bytes.bytes.data(), static_cast<int>(bytes.bytes.size()), SQLITE_STATIC));
  }

  bool step() override {
    const int rc = sqlite3_step(statement_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw SQLite::Exception(db_, rc);
  }
  void reset() noexcept override { sqlite3_reset(statement_); }

  int column_count() const override { return sqlite3_column_count(statement_); }
  std::string column_name(int column) const override { return sqlite3_column_name(statement_, column); }
  ColumnType column_type(int column) const override {
    switch (sqlite3_column_type(statement_, column)) {
      case SQLITE_INTEGER:
        return ColumnType::integer;
      case SQLITE_FLOAT:
        return ColumnType::real;
      case SQLITE_TEXT:
        return ColumnType::text;
      case SQLITE_BLOB:
        return ColumnType::blob;
      default:
        return ColumnType::null;
    }
  }
  std::int64_t column_int64(int column) const override { return sqlite3_column_int64(statement_, column); }
  double column_double(int column) const override { return sqlite3_column_double(statement_, column); }
  std::string column_text(int column) const override {
    const auto* bytes = static_cast<const char*>(sqlite3_column_blob(statement_, column));
    return bytes ? std::string{bytes, static_cast<std::size_t>(sqlite3_column_bytes(statement_, column))}
                 : std::string{};
  }

 private:
  void check(int rc) const {
    if (rc != SQLITE_OK) throw SQLite::Exception(db_, rc);
  }

  sqlite3* db_;
  sqlite3_stmt* statement_ = nullptr;
};

}  // namespace

std::unique_ptr<Statement> SqliteConnection::prepare(std::string_view sql) {
  return std::make_unique<SqliteStatement>(db_.getHandle(), sql);
}

void SqliteConnection::exec(std::string_view sql) { db_.exec(std::string{sql}); }

void SqliteConnection::begin_write() {
  end_of_transaction();
  db_.exec("BEGIN IMMEDIATE");
}

void SqliteConnection::commit() {
  end_of_transaction();
  db_.exec("COMMIT");
}

void SqliteConnection::rollback() noexcept {
  end_of_transaction();
  sqlite3_exec(db_.getHandle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

int SqliteConnection::schema_version() { return seatmirror::schema_version(database()); }

}  // namespace seatmirror::sql
