// libFuzzer target: any bytes as a webhook body, through validation and projection into an
// in-memory database. A rejected body must leave the ledger as it was. The ledger is measured
// by its last arrival_seq (the rowid: one b-tree step), not COUNT(*), which grew with every
// input and slowed the fuzzer to a crawl.
#include "projection/database.hpp"
#include "projection/projection_engine.hpp"

#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static auto db = seatmirror::open_database(":memory:");
  static seatmirror::ProjectionEngine engine{db};
  static SQLite::Statement last_seq{db, "SELECT IFNULL(MAX(arrival_seq), 0) FROM webhook_events"};
  auto ledger_last_seq = [] {
    last_seq.executeStep();
    const auto size = last_seq.getColumn(0).getInt64();
    last_seq.reset();
    return size;
  };
  const auto ledger_before = ledger_last_seq();
  const auto result = engine.apply({reinterpret_cast<const char*>(data), size}, "2026-01-01T00:00:00.000Z");
  const auto ledger_after = ledger_last_seq();
  const bool recorded = result.outcome == seatmirror::Outcome::applied ||
                        result.outcome == seatmirror::Outcome::stale || result.outcome == seatmirror::Outcome::ignored;
  if (ledger_after - ledger_before != (recorded ? 1 : 0)) std::abort();
  return 0;
}
