// The PostgreSQL storage baseline for bench/replay_postgres.sh: the same NDJSON bodies, each
// inserted with its event id as key into a bare table (INSERT … ON CONFLICT DO NOTHING, one
// prepared statement, the body as binary bytea), 1000 rows per transaction, synchronous_commit
// on: what a minimal webhook store on PostgreSQL does, one round trip per row. libpq directly,
// none of seatmirror's code. Prints rows/s; replay's rate is reported as a ratio of it.
//
//   seatmirror_raw_postgres_insert EVENTS.ndjson postgresql://…
#include <fmt/format.h>
#include <libpq-fe.h>
#include <boost/json/parse.hpp>

#include <chrono>
#include <fstream>
#include <string>

namespace {

void run(PGconn* db, PGresult* result) {
  const auto status = PQresultStatus(result);
  PQclear(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    fmt::print(stderr, "{}\n", PQerrorMessage(db));
    std::exit(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    fmt::print(stderr, "usage: seatmirror_raw_postgres_insert EVENTS.ndjson postgresql://…\n");
    return 2;
  }
  std::ifstream input{argv[1]};
  PGconn* db = PQconnectdb(argv[2]);
  if (PQstatus(db) != CONNECTION_OK) {
    fmt::print(stderr, "{}\n", PQerrorMessage(db));
    return 1;
  }
  run(db,
      PQexec(
          db,
          "SET synchronous_commit = on; CREATE TABLE IF NOT EXISTS events (id text PRIMARY KEY, body bytea NOT NULL)"));
  run(db, PQprepare(db, "insert", "INSERT INTO events (id, body) VALUES ($1, $2) ON CONFLICT DO NOTHING", 2, nullptr));
  const auto started = std::chrono::steady_clock::now();
  std::string line;
  std::uint64_t rows = 0;
  bool more = true;
  while (more) {
    run(db, PQexec(db, "BEGIN"));
    for (int i = 0; i < 1000 && (more = static_cast<bool>(std::getline(input, line)));) {
      if (line.empty()) continue;
      const std::string id{boost::json::parse(line).at("id").as_string()};
      const char* values[] = {id.c_str(), line.data()};
      const int lengths[] = {0, static_cast<int>(line.size())};
      const int formats[] = {0, 1};
      run(db, PQexecPrepared(db, "insert", 2, values, lengths, formats, 0));
      ++rows, ++i;
    }
    run(db, PQexec(db, "COMMIT"));
  }
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
  fmt::print("raw insert {} rows in {:.2f} s: {:.0f} rows/s\n", rows, elapsed.count(),
             static_cast<double>(rows) / elapsed.count());
  PQfinish(db);
  return 0;
}
