#include "decode/bz_date.hpp"
#include "decode/envelope.hpp"
#include "storage/database.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/test_database.hpp"

#include <catch2/catch.hpp>

using seatmirror::canonical_utc;

TEST_CASE("BzDate values become fixed-width ISO-8601 UTC with milliseconds", "[bz_date]") {
  CHECK(canonical_utc("2024-06-26T16:48:25.107Z") == "2024-06-26T16:48:25.107Z");
  CHECK(canonical_utc("2024-06-26T16:48:25Z") == "2024-06-26T16:48:25.000Z");
  CHECK(canonical_utc("2024-06-26T16:48:25.1Z") == "2024-06-26T16:48:25.100Z");
  CHECK(canonical_utc("2024-06-26T16:48:25.107999Z") == "2024-06-26T16:48:25.107Z");
  CHECK(canonical_utc("2024-06-26T18:48:25.107+02:00") == "2024-06-26T16:48:25.107Z");
  CHECK(canonical_utc("2024-06-26T15:18:25.107-0130") == "2024-06-26T16:48:25.107Z");
  CHECK(canonical_utc("2024-01-01T00:30:00+01:00") == "2023-12-31T23:30:00.000Z");
  // Already canonical (the fast path): itself, where it is a real instant.
  CHECK(canonical_utc("2024-02-29T23:59:59.999Z") == "2024-02-29T23:59:59.999Z");
  CHECK(canonical_utc("0001-01-01T00:00:00.000Z") == "0001-01-01T00:00:00.000Z");
  for (const char* text : {"2023-02-29T00:00:00.000Z", "0000-01-01T00:00:00.000Z", "2021-08-03T24:00:00.000Z",
                           "2021-08-03T23:60:00.000Z", "2021-00-03T23:00:00.000Z"}) {
    INFO(text);
    CHECK_FALSE(canonical_utc(text));
  }
}

TEST_CASE("BzDate values that are not zoned date-times are refused", "[bz_date]") {
  for (const char* text :
       {"", "yesterday", "2021-08-03", "2021-08-03T21:07:15", "2021-02-30T10:00:00.000Z", "2021-08-03T25:00:00Z",
        "2021-08-03T21:07:15.000Zjunk", "2021-13-01T00:00:00Z", "2021-08-03 21:07:15Z", "1628024835",
        "2021-08-03T21:*7:15.000Z", "2021-08-03T21:07:1e.000Z", "2021-08-03T21:07:15.Z", "2021-08-03T21:07:15+2:00",
        "2021-08-03T21:07:15.0000000000Z", "2021-08-03T21:07:nan Z"}) {
    INFO(text);
    CHECK_FALSE(canonical_utc(text));
  }
}

TEST_CASE("canonical text order is time order", "[bz_date]") {
  const auto earlier = canonical_utc("2024-06-26T18:48:25.9+02:00");  // 16:48:25.900Z
  const auto later = canonical_utc("2024-06-26T16:48:26Z");
  REQUIRE(earlier);
  REQUIRE(later);
  CHECK(*earlier < *later);
}

// Found by fuzz_projection: "21:*7:15" made date::parse convert NaN seconds to an integer.
TEST_CASE("fuzz regression: a stray character in a BzDate time", "[bz_date]") {
  const auto body = seatmirror::test::read_file(seatmirror::test::fixtures_dir() / "fuzz-regressions" /
                                                "bzdate-seconds-out-of-range.json");
  const auto result = seatmirror::decode_event(body);
  REQUIRE(std::holds_alternative<seatmirror::Rejection>(result));
  CHECK(std::get<seatmirror::Rejection>(result).field == "data.createdAt.value");
  CHECK_THAT(std::get<seatmirror::Rejection>(result).message, Catch::Contains("ISO-8601"));
}

// Found by fuzz_http_request: a delete whose `created` lies after 2262 overflowed
// system_clock's nanoseconds when its tombstone's deleted_at was formatted.
TEST_CASE("fuzz regression: a delete created after the year 2262", "[bz_date]") {
  CHECK(seatmirror::format_unix_seconds(253402300799) == "9999-12-31T23:59:59.000Z");
  CHECK(seatmirror::format_unix_seconds(0) == "1970-01-01T00:00:00.000Z");
  seatmirror::test::TempDir dir;
  auto db = seatmirror::open_database(dir.path() / "late.db");
  const auto body = seatmirror::test::read_file(seatmirror::test::fixtures_dir() / "fuzz-regressions" /
                                                "seatclass-deleted-created-after-2262.json");
  CHECK(seatmirror::test::deliver(db, {body}).front().outcome == seatmirror::Outcome::applied);
  CHECK(db.execAndGet("SELECT deleted_at FROM seat_classes").getString() == "2280-12-12T19:23:20.000Z");
}
