// libFuzzer target: any bytes as a webhook body, through validation and projection into an
// in-memory database, and the same bytes as a seat event POST. A rejected body must leave the
// ledger (and seat_events) as it was; a created seat event adds exactly one row. The ledger is measured
// by its last arrival_seq (the rowid: one b-tree step), not COUNT(*), which grew with every
// input and slowed the fuzzer to a crawl.
#include "fuzz/discard_logs.hpp"
#include "projection/projection_engine.hpp"
#include "storage/database.hpp"
#include "storage/sqlite_connection.hpp"

#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

namespace {

// One in-memory database serves kInputsPerDatabase inputs, then a fresh one takes over: inputs
// still meet what earlier ones left (duplicates, ordering, tombstones), and memory stays flat
// over millions of inputs. One database for the whole run grew with every accepted input until
// libFuzzer's 1 GiB limit stopped the run after ~155,000 inputs (a false alarm).
constexpr int kInputsPerDatabase = 2000;

struct FuzzStore {
  SQLite::Database db = seatmirror::open_database(":memory:");
  seatmirror::sql::SqliteConnection connection{db};
  seatmirror::ProjectionEngine engine{connection};
  SQLite::Statement last_seq{db, "SELECT IFNULL(MAX(arrival_seq), 0) FROM webhook_events"};
  SQLite::Statement last_seat_seq{db, "SELECT IFNULL(MAX(arrival_seq), 0) FROM seat_events"};
};

FuzzStore& store_for_this_input() {
  static std::unique_ptr<FuzzStore> store;
  static int inputs = 0;
  if (!store || ++inputs % kInputsPerDatabase == 0) {
    store.reset();  // the old database's memory goes before the new one's is taken
    store = std::make_unique<FuzzStore>();
  }
  return *store;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  seatmirror::fuzz::discard_log_lines();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto& store = store_for_this_input();
  auto& engine = store.engine;
  auto& last_seq = store.last_seq;
  auto& last_seat_seq = store.last_seat_seq;
  auto read_last = [](SQLite::Statement& statement) {
    statement.executeStep();
    const auto seq = statement.getColumn(0).getInt64();
    statement.reset();
    return seq;
  };
  auto ledger_last_seq = [&] { return read_last(last_seq); };
  const auto ledger_before = ledger_last_seq();
  const auto result = engine.apply({reinterpret_cast<const char*>(data), size}, "2026-01-01T00:00:00.000Z");
  const auto ledger_after = ledger_last_seq();
  const bool recorded = result.outcome == seatmirror::Outcome::applied ||
                        result.outcome == seatmirror::Outcome::stale || result.outcome == seatmirror::Outcome::ignored;
  if (ledger_after - ledger_before != (recorded ? 1 : 0)) std::abort();

  const auto seats_before = read_last(last_seat_seq);
  const auto seat_result = engine.apply(seatmirror::prepare_seat_event_post(
      std::string{reinterpret_cast<const char*>(data), size}, "", std::chrono::system_clock::now()));
  const bool created = seat_result.outcome == seatmirror::SeatEventOutcome::created;
  if (read_last(last_seat_seq) - seats_before != (created ? 1 : 0)) std::abort();
  if (created != std::holds_alternative<seatmirror::SeatEvent>(
                     seatmirror::decode_seat_event({reinterpret_cast<const char*>(data), size})) &&
      seat_result.outcome != seatmirror::SeatEventOutcome::retry) {
    std::abort();
  }
  return 0;
}
