// Seat usage, read from seat_events. For one customer and seat type, the seats in use at an
// instant t are the total of the current (not superseded) seat event with the latest
// eventTimestamp ≤ t, the later arrival winning a tie, and 0 before the first. Over a period
// [from, to) that step function gives:
//   seats_at_start  at `from`
//   seats_at_end    just before `to` (the period excludes `to`)
//   max_seats       its largest value within the period
//   average_seats   its time-weighted mean
//   seat_days       its integral over the period, in days (10 seats for 3 days: 30)
// The figures depend only on the current events' timestamps, totals and arrival order among
// equal timestamps, never on the order the others arrived in.
#pragma once

#include "decode/seat_event.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seatmirror::sql {
class Connection;
}

namespace seatmirror {

struct SeatTypeUsage {
  std::string seat_type;
  std::int64_t seats_at_start = 0;
  std::int64_t seats_at_end = 0;
  std::int64_t max_seats = 0;
  double average_seats = 0;
  double seat_days = 0;

  bool operator==(const SeatTypeUsage&) const = default;
};

struct UsageQuery {
  std::string customer;
  std::optional<std::string> seat_type;  // all the customer's seat types when absent
  std::string from, to;                  // canonical ISO-8601 UTC, from < to
};

// Sets query.from and query.to from what a user wrote (the API's from/to parameters, the
// CLI's --from/--to): each a date (midnight UTC) or an ISO-8601 date-time with a zone, from
// before to. Returns the
// problem in words that name the user's own spelling (`from_name`, `to_name`), or nullopt.
std::optional<std::string> set_usage_period(UsageQuery& query, std::string_view from_name, std::string_view from_text,
                                            std::string_view to_name, std::string_view to_text);

// One entry per seat type, in name order: the one asked for (zeros when it has no events),
// else every type the customer has current events for.
std::vector<SeatTypeUsage> seat_usage(sql::Connection& db, const UsageQuery& query);

// The answer of GET /v1/seat-usage and `seats usage --json`: customer, period and the types.
boost::json::object seat_usage_json(const UsageQuery& query, const std::vector<SeatTypeUsage>& usage);

// The account id generated once when the seat usage tables were made (seat_api_settings).
std::string sequence_account_id(sql::Connection& db);

std::optional<StoredSeatEvent> find_seat_event(sql::Connection& db, const std::string& id);

struct SeatEventFilter {
  std::optional<std::string> customer, seat_type;
  std::string after_id;  // keyset pagination: events with a greater id (ids are UUIDv7s: later)
  std::size_t limit = 1000;
};
// seat_events rows (every column but body), in id order, superseded ones included.
boost::json::array list_seat_events(sql::Connection& db, const SeatEventFilter& filter);

}  // namespace seatmirror
