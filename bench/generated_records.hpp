// The records the benchmark generators write, one place for their shape: seat fees, seat
// classes and seatmaps of two sections as Betterez's webhooks carry them in `data` and its
// Inventory API lists them. Deterministic in their arguments.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <ctime>
#include <string>

namespace seatmirror::bench {

inline constexpr const char* kUser = "660eff3b8971e405c374e802";

inline std::string object_id(char family, std::uint64_t n) { return fmt::format("6744{}{:019x}", family, n); }

inline std::string iso(std::int64_t unix_seconds, int millis) {
  const std::time_t t = unix_seconds;
  std::tm utc{};
  gmtime_r(&t, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                     utc.tm_hour, utc.tm_min, utc.tm_sec, millis);
}

inline std::string audit(std::int64_t created, int millis) {
  const auto date = iso(created, millis);
  return fmt::format(
      R"("createdBy":"{}","updatedBy":"{}","createdAt":{{"offset":0,"value":"{}"}},"updatedAt":{{"offset":0,"value":"{}"}})",
      kUser, kUser, date, date);
}

inline std::string seat_fee_record(std::uint64_t n, std::int64_t updated, int millis) {
  return fmt::format(
      R"({{"_id":"{}","shortName":"F{}","type":"{}","value":{}.5,"disabled":false,"bgcolor":"#d4eaf0","name":"Fee {}","lexiconKeys":{{"name":{{"key":"fee-{}","values":{{"en-us":"Fee {}","fr-fr":"Frais {}"}}}}}},{}}})",
      object_id('a', n), n % 100, n % 2 ? "$" : "%", 1 + n % 50, n, n, n, n, audit(updated, millis));
}

inline std::string seat_class_record(std::uint64_t n, std::int64_t updated, int millis) {
  return fmt::format(
      R"({{"_id":"{}","name":"Class {}","description":"Seats of class {}, generated for the benchmark","deleted":false,"bgcolor":"#f0d4d4","lexiconKeys":{{"name":{{"key":"class-{}","values":{{}}}},"description":{{"key":"class-{}-desc","values":{{}}}}}},{}}})",
      object_id('b', n), n, n, n, n, audit(updated, millis));
}

// Seats of a generated deck of `rows` rows: 2 + 2 per row, a driver's row, a 5-seat back row.
inline int deck_capacity(int rows) { return rows * 4 - 3; }

inline std::string section(std::uint64_t id, const char* name, int rows) {
  return fmt::format(
      R"({{"_id":"{}","availableCols":5,"availableRows":{},"capacity":{},"customSeats":[],"enumDir":2,"enumType":2,"facilities":[{{"alignment":{{"key":2,"value":"Right"}},"col":5,"height":1,"row":1,"type":"door","width":1}},{{"alignment":{{"key":1,"value":"Left"}},"col":1,"height":1,"label":"","row":1,"type":"driver","width":5}}],"lastRowNoGap":true,"name":"{}","rowLabelRange":"","rowLabelType":1,"rowsEnumNoGaps":false,"seatLabelType":1,"seatsPerRowLeft":2,"seatsPerRowRight":2,"seatsWithStatus":[],"showRowLabels":true,"startingRowLabel":"1","startingSeatLabel":1}})",
      object_id('d', id), rows, deck_capacity(rows), name);
}

// A seatmap of a 7-row lower deck and an upper one of `upper_rows` rows.
inline std::string seatmap_record(std::uint64_t n, int upper_rows, std::int64_t updated, int millis) {
  const int capacity = deck_capacity(7) + deck_capacity(upper_rows);
  return fmt::format(
      R"({{"_id":"{}","accountId":"6526d94dbb4c1206536da021","capacity":{},"name":"Seatmap {}","standard":false,"sections":[{},{}],{}}})",
      object_id('c', n), capacity, n, section(n * 2, "Lower", 7), section(n * 2 + 1, "Upper", upper_rows),
      audit(updated, millis));
}

}  // namespace seatmirror::bench
