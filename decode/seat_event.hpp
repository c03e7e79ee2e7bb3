// Seat events, as Sequence's POST /api/seat-events takes them (seed 000): for one customer and
// seat type, the seats in use from an instant on (a balance, not a delta). This module is the
// boundary for their bodies: bytes in, a validated SeatEvent or a Rejection out; nothing is
// written here.
//
// A body is an object with customerAlias and seatType (non-empty strings), eventTimestamp
// (ISO-8601 with a zone), total (an integer from 0 to kMaxSeatTotal) and, optionally,
// customerEventId (a non-empty string; a later event with the same one supersedes it). Other
// members are kept in the stored body and are never an error.
#pragma once

#include "decode/rejection.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace seatmirror {

// The API version seatmirror implements; a Sequence-Version header, when sent, must name it.
constexpr std::string_view kSequenceApiVersion = "2024-07-30";
constexpr std::int64_t kMaxSeatTotal = 2'147'483'647;
constexpr std::size_t kMaxSeatEventTextBytes = 512;  // customerAlias, seatType, customerEventId

struct SeatEvent {
  std::optional<std::string> customer_event_id;
  std::string customer_alias;
  std::string seat_type;
  std::string event_timestamp;  // ISO-8601 UTC with milliseconds (bz_date.hpp's canonical form)
  std::int64_t total = 0;
};

// One row of seat_events.
struct StoredSeatEvent {
  std::string id;  // a UUIDv7, given at arrival
  SeatEvent event;
  std::string received_at;
  std::optional<std::string> superseded_by;
};

using SeatEventDecodeResult = std::variant<SeatEvent, Rejection>;

SeatEventDecodeResult decode_seat_event(std::string_view body);

// True when two valid bodies say the same thing: equal members, with eventTimestamp compared
// as an instant and total as a number (a retry may re-encode either).
bool same_seat_event_content(std::string_view a, std::string_view b);

// The body of a seat event seatmirror makes itself (an entitlement seat change): what a client
// would have posted, so that it is stored and rebuilt like any other.
std::string seat_event_body(const SeatEvent& event);

// The canonical timestamp as answers show it: "2022-10-01T00:00:00Z" when it has no
// milliseconds, as Sequence's own answers do, else "2022-10-01T00:00:00.250Z".
std::string answer_timestamp(std::string_view canonical);

enum class SeatEventOutcome {
  created,   // stored as a new event (superseding the previous version of its customerEventId, if any)
  retry,     // the same content as the current version of its customerEventId: nothing stored
  rejected,  // failed validation; recorded in rejected_events only
};

std::string_view to_string(SeatEventOutcome outcome);

struct SeatEventResult {
  SeatEventOutcome outcome = SeatEventOutcome::rejected;
  std::optional<StoredSeatEvent> event;  // the created event, or the current version a retry matched
  std::optional<Rejection> rejection;
};

// A POST's body judged with its Sequence-Version header (empty when absent): a version other
// than kSequenceApiVersion is refused whatever the body says.
SeatEventDecodeResult decode_seat_event_request(std::string_view body, std::string_view sequence_version);

// A POST on its way to the writer, decoded on the caller's thread (see delivery.hpp).
struct SeatEventPost {
  std::string body;
  std::string received_at;
  SeatEventDecodeResult decoded;
  std::string headers;  // kept with a rejection, as Delivery::headers
};

SeatEventPost prepare_seat_event_post(std::string body, std::string_view sequence_version,
                                      std::chrono::system_clock::time_point received_at, std::string headers = {});

}  // namespace seatmirror
