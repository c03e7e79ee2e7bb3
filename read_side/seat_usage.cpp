#include "read_side/seat_usage.hpp"

#include "decode/bz_date.hpp"
#include "read_side/row_json.hpp"

#include "storage/sql_binding.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <stdexcept>

namespace seatmirror {
namespace {

constexpr long double kMillisPerDay = 86'400'000.0L;

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

std::vector<SeatTypeUsage> seat_usage(sql::Connection& db, const UsageQuery& query) {
  const auto select = db.prepare(
      "SELECT seat_type, event_timestamp, total FROM seat_events "
      "WHERE customer_alias = ?1 AND superseded_by IS NULL AND (CAST(?2 AS TEXT) IS NULL OR seat_type = ?2) "
      "ORDER BY seat_type, event_timestamp, arrival_seq");
  bind_all(*select, query.customer, query.seat_type);
  std::map<std::string, std::vector<Step>> steps_by_type;
  if (query.seat_type) steps_by_type[*query.seat_type];
  while (select->step()) {
    steps_by_type[select->column_text(0)].push_back(Step{unix_millis(select->column_text(1)), select->column_int64(2)});
  }
  const auto from_ms = unix_millis(query.from);
  const auto to_ms = unix_millis(query.to);
  std::vector<SeatTypeUsage> usage;
  for (const auto& [type, steps] : steps_by_type) usage.push_back(integrate(type, steps, from_ms, to_ms));
  return usage;
}

std::string sequence_account_id(sql::Connection& db) {
  const auto select = db.prepare("SELECT value FROM seat_api_settings WHERE key = 'sequence_account_id'");
  if (!select->step()) throw std::runtime_error("the database has no sequence_account_id");
  return select->column_text(0);
}

std::optional<StoredSeatEvent> find_seat_event(sql::Connection& db, const std::string& id) {
  const auto select = db.prepare(
      "SELECT customer_event_id, customer_alias, seat_type, event_timestamp, total, "
      "received_at, superseded_by FROM seat_events WHERE id = ?");
  bind_all(*select, id);
  if (!select->step()) return std::nullopt;
  return StoredSeatEvent{id,
                         SeatEvent{select->column_optional_text(0), select->column_text(1), select->column_text(2),
                                   select->column_text(3), select->column_int64(4)},
                         select->column_text(5), select->column_optional_text(6)};
}

boost::json::array list_seat_events(sql::Connection& db, const SeatEventFilter& filter) {
  const auto select = db.prepare(
      "SELECT id, customer_event_id, customer_alias, seat_type, event_timestamp, total, "
      "received_at, superseded_by FROM seat_events WHERE id > ?1 AND "
      "(CAST(?2 AS TEXT) IS NULL OR customer_alias = ?2) AND (CAST(?3 AS TEXT) IS NULL OR seat_type = ?3) ORDER BY id "
      "LIMIT ?4");
  bind_all(*select, filter.after_id, filter.customer, filter.seat_type, static_cast<std::int64_t>(filter.limit));
  return all_rows(*select);
}

std::optional<std::string> set_usage_period(UsageQuery& query, std::string_view from_name, std::string_view from_text,
                                            std::string_view to_name, std::string_view to_text) {
  for (auto [name, text, canonical] :
       {std::tuple{from_name, from_text, &query.from}, std::tuple{to_name, to_text, &query.to}}) {
    auto parsed = canonical_utc_or_date(text);
    if (!parsed) {
      return fmt::format(
          "{} {:?}: expected a date (2024-03-01, midnight UTC) or an ISO-8601 date-time with a zone "
          "(2024-03-01T00:00:00Z)",
          name, text);
    }
    *canonical = std::move(*parsed);
  }
  if (query.from >= query.to) return fmt::format("{} must be before {}", from_name, to_name);
  return std::nullopt;
}

boost::json::object seat_usage_json(const UsageQuery& query, const std::vector<SeatTypeUsage>& usage) {
  boost::json::array types;
  for (const auto& u : usage) {
    types.push_back({{"seatType", u.seat_type},
                     {"seats_at_start", u.seats_at_start},
                     {"seats_at_end", u.seats_at_end},
                     {"max_seats", u.max_seats},
                     {"average_seats", u.average_seats},
                     {"seat_days", u.seat_days}});
  }
  return {{"customer", query.customer},
          {"from", answer_timestamp(query.from)},
          {"to", answer_timestamp(query.to)},
          {"types", std::move(types)}};
}

}  // namespace seatmirror
