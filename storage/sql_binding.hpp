// Binding C++ values to prepared statements (sql_connection.hpp) by position, with optionals
// as NULL and bools as 0/1, so every projector writes a row in one readable call.
#pragma once

#include "storage/sql_connection.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace seatmirror {

using sql::Blob;

inline void bind_value(sql::Statement& s, int i, std::nullopt_t) { s.bind_null(i); }
inline void bind_value(sql::Statement& s, int i, bool v) { s.bind(i, std::int64_t{v ? 1 : 0}); }
inline void bind_value(sql::Statement& s, int i, std::int64_t v) { s.bind(i, v); }
inline void bind_value(sql::Statement& s, int i, int v) { s.bind(i, std::int64_t{v}); }
inline void bind_value(sql::Statement& s, int i, double v) { s.bind(i, v); }
inline void bind_value(sql::Statement& s, int i, std::string_view v) { s.bind(i, v); }
inline void bind_value(sql::Statement& s, int i, const std::string& v) { s.bind(i, std::string_view{v}); }
inline void bind_value(sql::Statement& s, int i, const char* v) { s.bind(i, std::string_view{v}); }
inline void bind_value(sql::Statement& s, int i, Blob v) { s.bind(i, v); }
template <typename T>
void bind_value(sql::Statement& s, int i, const std::optional<T>& v) {
  if (v) {
    bind_value(s, i, *v);
  } else {
    s.bind_null(i);
  }
}

template <typename... Values>
void bind_all(sql::Statement& statement, const Values&... values) {
  int index = 0;
  (bind_value(statement, ++index, values), ...);
}

// Resets a cached statement when leaving scope, even on an exception, so it can be reused.
class StatementReset {
 public:
  explicit StatementReset(sql::Statement& statement) : statement_(statement) {}
  ~StatementReset() { statement_.reset(); }
  StatementReset(const StatementReset&) = delete;
  StatementReset& operator=(const StatementReset&) = delete;

 private:
  sql::Statement& statement_;
};

// Runs a cached statement that returns no rows, then readies it for the next use.
inline void execute(sql::Statement& statement) {
  StatementReset reset{statement};
  while (statement.step()) {
  }
}

}  // namespace seatmirror
