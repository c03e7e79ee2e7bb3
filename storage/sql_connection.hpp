// The storage seam: the ledgers, projectors, the writer and the read side reach their database
// only through these classes, with one SQL text per statement whatever the store. Two stores
// implement them (sqlite_connection.hpp, postgres_connection.hpp); the rules above never name one.
//
// What every store promises:
//   - statements run inside the caller's transaction, savepoints nest (SAVEPOINT name / RELEASE
//     / ROLLBACK TO work as in SQL), and begin_write() .. commit() is atomic and durable once
//     commit() returns;
//   - lock_key(k) returns once no other transaction holds k, and holds k until this transaction
//     ends: two writers that lock the same key are serialised. lock_keys(ks) takes several in
//     the order given, at once, and declares them: later lock_key calls for those keys in the
//     same transaction cost nothing, and one for any other key is refused (declared_lock).
// What SQLite promises beyond that: one writing transaction per file at a time (the file lock
// serialises writers, across processes too, waiting up to the busy timeout), so lock_key has
// nothing to add and returns at once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace seatmirror::sql {

enum class ColumnType { null, integer, real, text, blob };

// Bytes bound as a BLOB/bytea (an exact body), not as text. Bound without a copy: the bytes
// must outlive the statement's execution (bodies do: they live in their Delivery).
struct Blob {
  std::string_view bytes;
};

// A prepared statement, reused: bind, step until it has no more rows, reset. Parameters are
// numbered from 1 (the SQL's ?), columns from 0.
class Statement {
 public:
  virtual ~Statement() = default;

  virtual void bind_null(int index) = 0;
  virtual void bind(int index, std::int64_t value) = 0;
  virtual void bind(int index, double value) = 0;
  virtual void bind(int index, std::string_view text) = 0;  // copied
  virtual void bind(int index, Blob bytes) = 0;             // not copied

  virtual bool step() = 0;            // true while a row is ready to read
  virtual void reset() noexcept = 0;  // ready to run again; bindings stay until rebound

  virtual int column_count() const = 0;
  virtual std::string column_name(int column) const = 0;
  virtual ColumnType column_type(int column) const = 0;
  virtual std::int64_t column_int64(int column) const = 0;
  virtual double column_double(int column) const = 0;
  virtual std::string column_text(int column) const = 0;  // text, or a blob's bytes

  bool is_null(int column) const { return column_type(column) == ColumnType::null; }
  std::optional<std::string> column_optional_text(int column) const {
    return is_null(column) ? std::nullopt : std::optional<std::string>{column_text(column)};
  }
};

class Connection {
 public:
  virtual ~Connection() = default;

  virtual std::unique_ptr<Statement> prepare(std::string_view sql) = 0;
  virtual void exec(std::string_view sql) = 0;  // statements without results

  virtual void begin_write() = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;
  virtual void lock_key(std::string_view key) = 0;
  virtual void lock_keys(const std::vector<std::string>& keys) {
    for (const auto& key : keys) lock_key(key);
  }
  // A lock held by this connection across transactions, until release_session_lock(key) or
  // until the connection closes (or is lost): for a long job that one process among several
  // sharing the store should run at a time (`serve --sync-every`). False, at once, when another
  // connection holds it. SQLite has nothing to add (one process is meant to serve a file) and
  // always takes it.
  virtual bool try_session_lock(std::string_view /*key*/) { return true; }
  virtual void release_session_lock(std::string_view /*key*/) {}
  // False once the store went away under it (a server restart); the owner then opens a new one.
  virtual bool connected() const { return true; }
  // The schema version the store records (SQLite: PRAGMA user_version; PostgreSQL: the newest
  // row of seatmirror_schema, 0 when that table is missing).
  virtual int schema_version() = 0;

 protected:
  // The keys a transaction declared with lock_keys, kept alike by every store. Once a
  // transaction has declared its keys (a writer's whole batch, sorted, taken at once), a
  // lock_key of a key not among them is a bug, refused with std::logic_error: taken late, out
  // of order, it could make two writers wait on each other in a cycle. Returns whether `key` is
  // already held (declared); without a declaration it is not, and may be taken.
  bool declared_lock(std::string_view key) const;
  void declare_locks(const std::vector<std::string>& keys) { declared_.emplace(keys.begin(), keys.end()); }
  void end_of_transaction() { declared_.reset(); }

 private:
  std::optional<std::unordered_set<std::string>> declared_;
};

// A write transaction for the length of a scope: rolled back unless commit() was called.
class WriteTransaction {
 public:
  explicit WriteTransaction(Connection& connection) : connection_(connection) { connection_.begin_write(); }
  ~WriteTransaction() {
    if (!done_) connection_.rollback();
  }
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  void commit() {
    connection_.commit();
    done_ = true;
  }

 private:
  Connection& connection_;
  bool done_ = false;
};

}  // namespace seatmirror::sql
