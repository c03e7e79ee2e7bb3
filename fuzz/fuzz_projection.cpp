// libFuzzer target: any bytes as a webhook body, through validation and projection into an
// in-memory database. A rejected body must leave the ledger as it was.
#include "projection/database.hpp"
#include "projection/projection_engine.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static auto db = seatmirror::open_database(":memory:");
  static seatmirror::ProjectionEngine engine{db};
  const auto ledger_before = db.execAndGet("SELECT COUNT(*) FROM webhook_events").getInt64();
  const auto result = engine.apply({reinterpret_cast<const char*>(data), size}, "2026-01-01T00:00:00.000Z");
  const auto ledger_after = db.execAndGet("SELECT COUNT(*) FROM webhook_events").getInt64();
  const bool recorded = result.outcome == seatmirror::Outcome::applied ||
                        result.outcome == seatmirror::Outcome::stale || result.outcome == seatmirror::Outcome::ignored;
  if (ledger_after - ledger_before != (recorded ? 1 : 0)) std::abort();
  return 0;
}
