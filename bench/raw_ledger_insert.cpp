// The storage baseline for bench/replay_rebuild.sh: the same NDJSON bodies, each inserted with
// its event id as key into a bare SQLite table, 1000 rows per transaction, WAL and
// synchronous=FULL, the way a minimal webhook store would keep them. Duplicates are ignored.
// Prints rows/s; replay's rate is reported as a ratio of it.
//
//   seatmirror_raw_ledger_insert EVENTS.ndjson DATABASE
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>
#include <boost/json/parse.hpp>

#include <chrono>
#include <fstream>
#include <memory>
#include <string>

int main(int argc, char** argv) {
  if (argc != 3) {
    fmt::print(stderr, "usage: seatmirror_raw_ledger_insert EVENTS.ndjson DATABASE\n");
    return 2;
  }
  std::ifstream input{argv[1]};
  SQLite::Database db{argv[2], SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL");
  db.exec("CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, body BLOB NOT NULL)");
  SQLite::Statement insert{db, "INSERT OR IGNORE INTO events (id, body) VALUES (?, ?)"};
  const auto started = std::chrono::steady_clock::now();
  std::string line;
  std::uint64_t rows = 0;
  bool more = true;
  while (more) {
    SQLite::Transaction transaction{db};
    for (int i = 0; i < 1000 && (more = static_cast<bool>(std::getline(input, line)));) {
      if (line.empty()) continue;
      const auto body = boost::json::parse(line);
      insert.bind(1, std::string{body.at("id").as_string()});
      insert.bind(2, line.data(), static_cast<int>(line.size()));
      insert.exec();
      insert.reset();
      ++rows, ++i;
    }
    transaction.commit();
  }
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
  fmt::print("raw insert {} rows in {:.2f} s: {:.0f} rows/s\n", rows, elapsed.count(),
             static_cast<double>(rows) / elapsed.count());
  return 0;
}
