// The SQLite store behind the storage seam (sql_connection.hpp): a connection opened by
// open_database (database.hpp), its statements prepared once and kept (SQLITE_PREPARE_PERSISTENT).
// Errors are thrown as SQLite::Exception, with SQLite's message.
#pragma once

#include "storage/sql_connection.hpp"

#include <SQLiteCpp/Database.h>

#include <memory>

namespace seatmirror::sql {

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(SQLite::Database& db) : db_(db) {}
  // Owning the database it talks to (open_store).
  explicit SqliteConnection(std::unique_ptr<SQLite::Database> owned) : owned_(std::move(owned)), db_(*owned_) {}

  std::unique_ptr<Statement> prepare(std::string_view sql) override;
  void exec(std::string_view sql) override;
  void begin_write() override;  // BEGIN IMMEDIATE: the write lock now, not at the first write
  void commit() override;
  void rollback() noexcept override;
  int schema_version() override;
  // The write transaction already excludes every other writer: nothing to take, but the keys
  // are declared and checked as on every store, so a lock taken late fails here too.
  void lock_key(std::string_view key) override { declared_lock(key); }
  void lock_keys(const std::vector<std::string>& keys) override { declare_locks(keys); }

  SQLite::Database& database() { return db_; }

 private:
  std::unique_ptr<SQLite::Database> owned_;
  SQLite::Database& db_;
};

}  // namespace seatmirror::sql
