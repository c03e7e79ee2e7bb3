#include "read_side/seat_usage.hpp"

#include "projection/bz_date.hpp"
#include "read_side/row_json.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <map>

namespace seatmirror {
namespace {

constexpr long double kMillisPerDay = 86'400'000.0L;

void bind_optional(SQLite::Statement& statement, int index, const std::optional<std::string>& value) {
  value ? statement.bind(index, *value) : statement.bind(index);
}

struct Step {
  std::int64_t at_ms;
  std::int64_t total;
};

// Steps in (timestamp, arrival) order: the last of several equal timestamps is the one that holds.
SeatTypeUsage integrate(std::string seat_type, const std::vector<Step>& steps, std::int64_t from_ms,
                        std::int64_t to_ms) {
  SeatTypeUsage usage{.seat_type = std::move(seat_type)};
  std::size_t i = 0;
  std::int64_t seats = 0;
  for (; i < steps.size() && steps[i].at_ms <= from_ms; ++i) seats = steps[i].total;
  usage.seats_at_start = usage.max_seats = seats;
  // seats × milliseconds can pass 2^63 (two billion seats for a few months); a long double
  // holds 64 bits of mantissa, so sums of realistic figures stay exact.
  long double seat_ms = 0;
  std::int64_t since_ms = from_ms;
  for (; i < steps.size() && steps[i].at_ms < to_ms; ++i) {
    seat_ms += static_cast<long double>(seats) * static_cast<long double>(steps[i].at_ms - since_ms);
    since_ms = steps[i].at_ms;
    seats = steps[i].total;
    const bool holds = i + 1 == steps.size() || steps[i + 1].at_ms != steps[i].at_ms;
    if (holds) usage.max_seats = std::max(usage.max_seats, seats);
  }
  seat_ms += static_cast<long double>(seats) * static_cast<long double>(to_ms - since_ms);
  usage.seats_at_end = seats;
  usage.average_seats = static_cast<double>(seat_ms / static_cast<long double>(to_ms - from_ms));
  usage.seat_days = static_cast<double>(seat_ms / kMillisPerDay);
  return usage;
}

}  // namespace

std::vector<SeatTypeUsage> seat_usage(SQLite::Database& db, const UsageQuery& query) {
  SQLite::Statement select{db,
                           "SELECT seat_type, event_timestamp, total FROM seat_events "
                           "WHERE customer_alias = ?1 AND superseded_by IS NULL AND (?2 IS NULL OR seat_type = ?2) "
                           "ORDER BY seat_type, event_timestamp, arrival_seq"};
  select.bind(1, query.customer);
  bind_optional(select, 2, query.seat_type);
  std::map<std::string, std::vector<Step>> steps_by_type;
  if (query.seat_type) steps_by_type[*query.seat_type];
  while (select.executeStep()) {
    steps_by_type[select.getColumn(0).getString()].push_back(
        Step{unix_millis(select.getColumn(1).getString()), select.getColumn(2).getInt64()});
  }
  const auto from_ms = unix_millis(query.from);
  const auto to_ms = unix_millis(query.to);
  std::vector<SeatTypeUsage> usage;
  for (const auto& [type, steps] : steps_by_type) usage.push_back(integrate(type, steps, from_ms, to_ms));
  return usage;
}

std::string sequence_account_id(SQLite::Database& db) {
  return db.execAndGet("SELECT value FROM seat_api_settings WHERE key = 'sequence_account_id'").getString();
}

std::optional<StoredSeatEvent> find_seat_event(SQLite::Database& db, const std::string& id) {
  SQLite::Statement select{db,
                           "SELECT customer_event_id, customer_alias, seat_type, event_timestamp, total, received_at, "
                           "superseded_by FROM seat_events WHERE id = ?"};
  select.bind(1, id);
  if (!select.executeStep()) return std::nullopt;
  auto optional_text = [&](int i) {
    return select.getColumn(i).isNull() ? std::nullopt : std::optional<std::string>{select.getColumn(i).getString()};
  };
  return StoredSeatEvent{id,
                         SeatEvent{optional_text(0), select.getColumn(1).getString(), select.getColumn(2).getString(),
                                   select.getColumn(3).getString(), select.getColumn(4).getInt64()},
                         select.getColumn(5).getString(), optional_text(6)};
}

boost::json::array list_seat_events(SQLite::Database& db, const SeatEventFilter& filter) {
  SQLite::Statement select{db,
                           "SELECT id, customer_event_id, customer_alias, seat_type, event_timestamp, total, "
                           "received_at, superseded_by FROM seat_events WHERE id > ?1 AND "
                           "(?2 IS NULL OR customer_alias = ?2) AND (?3 IS NULL OR seat_type = ?3) ORDER BY id LIMIT ?4"};
  select.bind(1, filter.after_id);
  bind_optional(select, 2, filter.customer);
  bind_optional(select, 3, filter.seat_type);
  select.bind(4, static_cast<std::int64_t>(filter.limit));
  return all_rows(select);
}

}  // namespace seatmirror
