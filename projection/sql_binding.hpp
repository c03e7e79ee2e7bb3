// Binding C++ values to SQLiteCpp statements by position, with optionals as NULL and bools
// as 0/1, so every projector writes a row in one readable call.
#pragma once

#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace seatmirror {

// Bytes stored as a BLOB (the exact body received), not as TEXT. Bound without a copy: the
// bytes must outlive the statement's execution (bodies do: they live in their Delivery).
struct Blob {
  std::string_view bytes;
};

inline void bind_value(SQLite::Statement& s, int i, std::nullopt_t) { s.bind(i); }
inline void bind_value(SQLite::Statement& s, int i, bool v) { s.bind(i, static_cast<int32_t>(v)); }
inline void bind_value(SQLite::Statement& s, int i, std::int64_t v) { s.bind(i, v); }
inline void bind_value(SQLite::Statement& s, int i, double v) { s.bind(i, v); }
inline void bind_value(SQLite::Statement& s, int i, const std::string& v) { s.bind(i, v); }
inline void bind_value(SQLite::Statement& s, int i, std::string_view v) { s.bind(i, std::string{v}); }
inline void bind_value(SQLite::Statement& s, int i, const char* v) { s.bind(i, v); }
inline void bind_value(SQLite::Statement& s, int i, Blob v) {
  s.bindNoCopy(i, v.bytes.data(), static_cast<int>(v.bytes.size()));
}
template <typename T>
void bind_value(SQLite::Statement& s, int i, const std::optional<T>& v) {
  if (v) {
    bind_value(s, i, *v);
  } else {
    s.bind(i);
  }
}

template <typename... Values>
void bind_all(SQLite::Statement& statement, const Values&... values) {
  int index = 0;
  (bind_value(statement, ++index, values), ...);
}

// Resets a cached statement when leaving scope, even on an exception, so it can be reused.
class StatementReset {
 public:
  explicit StatementReset(SQLite::Statement& statement) : statement_(statement) {}
  ~StatementReset() { statement_.tryReset(); }
  StatementReset(const StatementReset&) = delete;
  StatementReset& operator=(const StatementReset&) = delete;

 private:
  SQLite::Statement& statement_;
};

// Runs a cached statement that returns no rows, then readies it for the next use.
inline void execute(SQLite::Statement& statement) {
  StatementReset reset{statement};
  statement.exec();
}

}  // namespace seatmirror
