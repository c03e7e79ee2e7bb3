// The PostgreSQL store behind the storage seam (sql_connection.hpp), over libpq. Statements
// are prepared once per connection and SQL text (their ? placeholders become $n), parameters
// go as text except bodies (binary bytea), results come back as text. lock_key takes a
// transaction-scoped advisory lock on a 64-bit hash of the key, so receivers on other
// machines that lock the same key wait for this transaction to end.
//
// What PostgreSQL adds to the seam's promises: many writing transactions at once, serialised
// only where they lock the same key; a commit is durable when commit() returns
// (synchronous_commit stays on); a failed statement spoils its transaction up to the
// enclosing savepoint: the engine's savepoint per write (isolated writes) rolls it back, and a
// batch applied without savepoints is rolled back whole and applied again write by write.
#pragma once

#include "storage/sql_connection.hpp"

#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

struct pg_conn;

namespace seatmirror::sql {

// A failure reported by PostgreSQL, with its SQLSTATE (e.g. 40001 serialization failure,
// 57P01 admin shutdown, 08006 connection failure).
struct PostgresError : std::runtime_error {
  PostgresError(const std::string& message, std::string state)
      : std::runtime_error(message), sqlstate(std::move(state)) {}
  std::string sqlstate;
};

class PostgresConnection final : public Connection {
 public:
  // A libpq connection string or URL (postgresql://USER@HOST:PORT/DB?sslmode=…); the PG*
  // environment variables fill in what it leaves out. Throws PostgresError.
  explicit PostgresConnection(const std::string& url);
  ~PostgresConnection() override;
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  std::unique_ptr<Statement> prepare(std::string_view sql) override;
  int schema_version() override;
  void exec(std::string_view sql) override;
  void begin_write() override;
  void commit() override;
  void rollback() noexcept override;
  void lock_key(std::string_view key) override;
  // One round trip for the lot (an array parameter), remembered until the transaction ends.
  void lock_keys(const std::vector<std::string>& keys) override;
  // A session-level advisory lock on the same 64-bit hash of the key.
  bool try_session_lock(std::string_view key) override;
  void release_session_lock(std::string_view key) override;

  bool connected() const override;

 private:
  pg_conn* connection_;
  struct Prepared {
    std::string name;
    int parameters = 0;
  };
  std::unordered_map<std::string, Prepared> prepared_;  // by SQL text: each prepared once
  std::unique_ptr<Statement> lock_;
  std::unique_ptr<Statement> lock_many_;
};

// Keys as a PostgreSQL array literal ({"a","b"}), any character escaped.
std::string postgres_text_array(const std::vector<std::string>& items);

// `?` and `?N` placeholders as PostgreSQL's `$n`, leaving quoted text alone.
std::string postgres_placeholders(std::string_view sql, int* parameter_count);

}  // namespace seatmirror::sql
