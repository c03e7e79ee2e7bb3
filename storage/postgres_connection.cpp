#include "storage/postgres_connection.hpp"

#include "storage/sql_binding.hpp"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <cstdlib>
#include <vector>

namespace seatmirror::sql {
namespace {

// Type OIDs from PostgreSQL's pg_type catalogue (stable across versions).
constexpr Oid kBool = 16, kBytea = 17, kInt8 = 20, kInt2 = 21, kInt4 = 23, kFloat4 = 700, kFloat8 = 701,
              kNumeric = 1700;

using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

[[noreturn]] void fail(PGconn* connection, const PGresult* result, std::string_view what) {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const char* message = result ? PQresultErrorMessage(result) : PQerrorMessage(connection);
  throw PostgresError(fmt::format("{}: {}", what, message && *message ? message : PQerrorMessage(connection)),
                      state ? state : (PQstatus(connection) == CONNECTION_OK ? "" : "08006"));
}

Result checked(PGconn* connection, PGresult* raw, std::string_view what) {
  Result result{raw, &PQclear};
  const auto status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(connection, result.get(), what);
  return result;
}

std::string decode_bytea(const char* text) {
  // The text form of bytea is "\x" followed by two hex digits per byte (bytea_output = hex).
  std::string bytes;
  if (text[0] != '\\' || text[1] != 'x') return text;
  for (const char* p = text + 2; p[0] && p[1]; p += 2) {
    auto digit = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
    bytes.push_back(static_cast<char>(digit(p[0]) * 16 + digit(p[1])));
  }
  return bytes;
}

class PostgresStatement final : public Statement {
 public:
  PostgresStatement(PGconn* connection, std::string name, int parameters)
      : connection_(connection),
        name_(std::move(name)),
        texts_(parameters),
        values_(parameters, nullptr),
        lengths_(parameters, 0),
        formats_(parameters, 0) {}

  void bind_null(int index) override { set(index, nullptr, 0, 0); }
  void bind(int index, std::int64_t value) override { set_text(index, std::to_string(value)); }
  void bind(int index, double value) override { set_text(index, fmt::format("{}", value)); }
  void bind(int index, std::string_view text) override { set_text(index, std::string{text}); }
  void bind(int index, Blob bytes) override {
    set(index, bytes.bytes.data(), static_cast<int>(bytes.bytes.size()), 1);  // binary: no escaping, no copy
  }

  bool step() override {
    if (!result_) {
      result_ = checked(connection_,
                        PQexecPrepared(connection_, name_.c_str(), static_cast<int>(values_.size()), values_.data(),
                                       lengths_.data(), formats_.data(), 0),
                        name_);
      row_ = -1;
    }
    return ++row_ < PQntuples(result_.get());
  }
  void reset() noexcept override { result_.reset(); }

  int column_count() const override { return result_ ? PQnfields(result_.get()) : 0; }
  std::string column_name(int column) const override { return PQfname(result_.get(), column); }
  ColumnType column_type(int column) const override {
    if (PQgetisnull(result_.get(), row_, column)) return ColumnType::null;
    switch (PQftype(result_.get(), column)) {
      case kBool:
      case kInt2:
      case kInt4:
      case kInt8:
        return ColumnType::integer;
      case kFloat4:
      case kFloat8:
      case kNumeric:
        return ColumnType::real;
      case kBytea:
        return ColumnType::blob;
      default:
        return ColumnType::text;
    }
  }
  std::int64_t column_int64(int column) const override {
    const char* text = PQgetvalue(result_.get(), row_, column);
    if (PQftype(result_.get(), column) == kBool) return text[0] == 't' ? 1 : 0;
    return std::strtoll(text, nullptr, 10);
  }
  double column_double(int column) const override {
    return std::strtod(PQgetvalue(result_.get(), row_, column), nullptr);
  }
  std::string column_text(int column) const override {
    const char* text = PQgetvalue(result_.get(), row_, column);
    return PQftype(result_.get(), column) == kBytea ? decode_bytea(text) : std::string{text};
  }

 private:
  void set(int index, const char* value, int length, int format) {
    const auto i = static_cast<std::size_t>(index - 1);
    values_.at(i) = value;
    lengths_[i] = length;
    formats_[i] = format;
  }
  void set_text(int index, std::string text) {
    const auto i = static_cast<std::size_t>(index - 1);
    texts_.at(i) = std::move(text);
    set(index, texts_[i].c_str(), 0, 0);
  }

  PGconn* connection_;
  std::string name_;
  std::vector<std::string> texts_;  // owns the text parameters
  std::vector<const char*> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
  Result result_{nullptr, &PQclear};
  int row_ = -1;
};

}  // namespace

std::string postgres_placeholders(std::string_view sql, int* parameter_count) {
  std::string out;
  int next = 0, highest = 0;
  bool quoted = false;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (c == '\'') quoted = !quoted;
    if (c != '?' || quoted) {
      out += c;
      continue;
    }
    std::size_t digits = i + 1;
    while (digits < sql.size() && sql[digits] >= '0' && sql[digits] <= '9') ++digits;
    const int number = digits > i + 1 ? std::atoi(std::string{sql.substr(i + 1, digits - i - 1)}.c_str()) : ++next;
    highest = std::max(highest, number);
    out += fmt::format("${}", number);
    i = digits - 1;
  }
  if (parameter_count) *parameter_count = highest;
  return out;
}

PostgresConnection::PostgresConnection(const std::string& url) : connection_(PQconnectdb(url.c_str())) {
  if (PQstatus(connection_) != CONNECTION_OK) {
    const std::string message = PQerrorMessage(connection_);
    PQfinish(connection_);
    throw PostgresError("cannot connect to PostgreSQL: " + message, "08001");
  }
  // Text results must be what the seam reads: hex bytea, and never a silently asynchronous commit.
  exec("SET bytea_output = 'hex'; SET synchronous_commit = on; SET client_min_messages = warning");
  lock_ = prepare("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))");
  // unnest yields the elements in array order and the aggregate takes them in that order.
  lock_many_ = prepare("SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0))) FROM unnest(?::text[]) AS k");
}

PostgresConnection::~PostgresConnection() {
  lock_.reset();
  lock_many_.reset();
  PQfinish(connection_);
}

std::unique_ptr<Statement> PostgresConnection::prepare(std::string_view sql) {
  // One server-side statement per SQL text and connection: a pooled read connection prepares
  // the same few texts again on every call, and each new one would stay in the server's
  // memory until the connection closes.
  auto [prepared, is_new] = prepared_.try_emplace(std::string{sql});
  if (is_new) {
    try {
      const auto text = postgres_placeholders(sql, &prepared->second.parameters);
      prepared->second.name = fmt::format("s{}", prepared_.size());
      checked(connection_,
              PQprepare(connection_, prepared->second.name.c_str(), text.c_str(), prepared->second.parameters, nullptr),
              "prepare " + text);
    } catch (...) {
      prepared_.erase(prepared);
      throw;
    }
  }
  return std::make_unique<PostgresStatement>(connection_, prepared->second.name, prepared->second.parameters);
}

void PostgresConnection::exec(std::string_view sql) {
  checked(connection_, PQexec(connection_, std::string{sql}.c_str()), sql);
}

void PostgresConnection::begin_write() {
  end_of_transaction();
  exec("BEGIN");
}

void PostgresConnection::commit() {
  end_of_transaction();
  // COMMIT of a transaction a failed statement spoiled succeeds as a ROLLBACK: only the command
  // tag tells. Reported as a failure, so that nothing in it is acknowledged.
  const auto result = checked(connection_, PQexec(connection_, "COMMIT"), "COMMIT");
  if (std::string_view{PQcmdStatus(result.get())} != "COMMIT") {
    throw PostgresError("COMMIT: the transaction had failed and was rolled back", "40000");
  }
}

void PostgresConnection::rollback() noexcept {
  end_of_transaction();
  PQclear(PQexec(connection_, "ROLLBACK"));
}

void PostgresConnection::lock_key(std::string_view key) {
  if (declared_lock(key)) return;
  lock_->bind(1, key);
  execute(*lock_);
}

void PostgresConnection::lock_keys(const std::vector<std::string>& keys) {
  if (!keys.empty()) {
    lock_many_->bind(1, postgres_text_array(keys));
    execute(*lock_many_);
  }
  declare_locks(keys);
}

bool PostgresConnection::try_session_lock(std::string_view key) {
  const auto statement = prepare("SELECT pg_try_advisory_lock(hashtextextended(?, 0))");
  statement->bind(1, key);
  return statement->step() && statement->column_text(0) == "t";
}

void PostgresConnection::release_session_lock(std::string_view key) {
  const auto statement = prepare("SELECT pg_advisory_unlock(hashtextextended(?, 0))");
  statement->bind(1, key);
  statement->step();
}

std::string postgres_text_array(const std::vector<std::string>& items) {
  std::string out = "{";
  for (const auto& item : items) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (const char c : item) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

bool PostgresConnection::connected() const { return PQstatus(connection_) == CONNECTION_OK; }

int PostgresConnection::schema_version() {
  const auto has_schema = prepare("SELECT to_regclass('seatmirror_schema') IS NOT NULL");
  has_schema->step();
  if (has_schema->column_int64(0) == 0) return 0;
  const auto version = prepare("SELECT coalesce(max(version), 0) FROM seatmirror_schema");
  version->step();
  return static_cast<int>(version->column_int64(0));
}

}  // namespace seatmirror::sql
