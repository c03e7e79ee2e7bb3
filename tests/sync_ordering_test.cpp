// The ordering key a synced record gets (decode/sync_record.hpp), proved in both directions
// on both stores, with Betterez's clock ten minutes ahead of this machine's and ten minutes
// behind it: a synced record never overwrites a newer change, and a webhook for an older
// change arriving after the sync never overwrites what the sync wrote (also one stamped in the
// same second). A gone tombstone replaces the row it deletes, an older change stays stale
// after it, and a newer one revives the record. The records go through the real engine.
#include "decode/bz_date.hpp"
#include "decode/sync_record.hpp"
#include "projection/projection_engine.hpp"
#include "read_side/inventory_queries.hpp"
#include "storage/store.hpp"
#include "tests/support/test_database.hpp"
#include "tests/support/test_stores.hpp"

#include <fmt/format.h>
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <chrono>

using namespace seatmirror;

namespace {

constexpr const char* kFeeId = "6744a1b2c3d4e5f6a7b8c9f1";

// A seat fee as Betterez holds it at `updated_ms` (its clock), named `name`.
boost::json::object fee(const std::string& name, std::int64_t updated_ms) {
  const auto when = format_utc(std::chrono::system_clock::time_point{std::chrono::milliseconds{updated_ms}});
  return {{"_id", kFeeId},
          {"shortName", "W"},
          {"type", "$"},
          {"value", 2.5},
          {"name", name},
          {"createdAt", {{"offset", 0}, {"value", "2020-01-01T00:00:00.000Z"}}},
          {"updatedAt", {{"offset", 0}, {"value", when}}}};
}

// Its webhook: stamped `created_s` by the sender's clock.
std::string webhook(const boost::json::object& record, std::int64_t created_s) {
  static int serial = 0;
  return boost::json::serialize(boost::json::object{{"id", fmt::format("00000000-0000-4000-8000-{:012}", ++serial)},
                                                    {"attemptId", "a"},
                                                    {"created", created_s},
                                                    {"event", "seatfees.updated"},
                                                    {"livemode", true},
                                                    {"data", record}});
}

class Copy {
 public:
  explicit Copy(const std::string& kind)
      : url_(test::fresh_store(kind)), db_(open_store(url_.empty() ? (dir_.path() / "copy.db").string() : url_)) {}

  Outcome apply(const std::string& body) {
    ProjectionEngine engine{*db_};
    sql::WriteTransaction transaction{*db_};
    const auto result = engine.apply(body, format_utc(std::chrono::system_clock::now()));  // our clock
    transaction.commit();
    INFO(body);
    REQUIRE(result.outcome != Outcome::rejected);
    return result.outcome;
  }
  boost::json::object row() { return *find_entity(*db_, InventoryKind::seat_fees, kFeeId); }
  std::string name() { return std::string{row().at("name").as_string()}; }

 private:
  test::TempDir dir_;
  std::string url_;
  std::unique_ptr<sql::Connection> db_;
};

}  // namespace

TEST_CASE("a synced record is ordered by its own updatedAt, whatever this machine's clock says", "[sync][postgres]") {
  const auto store = GENERATE(from_range(test::store_kinds()));
  const auto skew_s = GENERATE(-600, 600);  // Betterez's clock against ours
  INFO("store: " << store << ", Betterez's clock " << skew_s << " s from ours");
  const auto ours_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  const std::int64_t theirs_ms = ours_ms - ours_ms % 1000 + skew_s * 1000;  // a whole second, for the ties below
  const auto at = [&](std::int64_t offset_ms) { return theirs_ms + offset_ms; };
  const auto second = [&](std::int64_t offset_ms) { return at(offset_ms) / 1000; };
  Copy copy{store};

  SECTION("an older change arriving after the sync does not overwrite it") {
    REQUIRE(copy.apply(webhook(fee("v1", at(-100'000)), second(-100'000))) == Outcome::applied);
    // The update to v2 was lost; sync brings it, saved 750 ms into a second.
    const auto v2 = fee("v2", at(-49'250));
    REQUIRE(copy.apply(synced_record_body(InventoryKind::seat_fees, v2)) == Outcome::applied);
    CHECK(copy.name() == "v2");
    CHECK(copy.row().at("order_created") == second(-49'250));
    // A change older than v2, delivered late: one saved and stamped seconds earlier, and one
    // saved earlier in v2's own second.
    CHECK(copy.apply(webhook(fee("v1.5", at(-60'000)), second(-60'000))) == Outcome::stale);
    CHECK(copy.apply(webhook(fee("v1.9", at(-49'900)), second(-49'900))) == Outcome::stale);
    CHECK(copy.name() == "v2");
    // A newer change still wins, also one saved in v2's own second.
    CHECK(copy.apply(webhook(fee("v3", at(-49'100)), second(-49'100))) == Outcome::applied);
    CHECK(copy.name() == "v3");
  }

  SECTION("a synced record never overwrites a newer change") {
    REQUIRE(copy.apply(webhook(fee("v1", at(-100'000)), second(-100'000))) == Outcome::applied);
    REQUIRE(copy.apply(webhook(fee("v3", at(-10'000)), second(-10'000))) == Outcome::applied);
    // A sync that read v2 before v3 was saved writes after v3's webhook arrived.
    CHECK(copy.apply(synced_record_body(InventoryKind::seat_fees, fee("v2", at(-50'000)))) == Outcome::stale);
    // Also when v2 was saved earlier in v3's second.
    CHECK(copy.apply(synced_record_body(InventoryKind::seat_fees, fee("v2.9", at(-10'500)))) == Outcome::stale);
    CHECK(copy.name() == "v3");
    // The same version synced twice is one ledger row: the second is a duplicate.
    const auto v3 = synced_record_body(InventoryKind::seat_fees, fee("v3", at(-10'000)));
    CHECK(copy.apply(v3) == Outcome::applied);
    CHECK(copy.apply(v3) == Outcome::duplicate);
  }
}

TEST_CASE("a gone tombstone replaces the row it deletes, older changes stay stale after it, newer ones revive it",
          "[sync]") {
  const auto now_s =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  const auto class_record = [&](const std::string& name, std::int64_t updated_ms) {
    auto record = fee(name, updated_ms);
    record.erase("shortName");
    record.erase("type");
    record.erase("value");
    return record;
  };
  const auto class_webhook = [](const boost::json::object& record, std::int64_t created_s) {
    auto body = boost::json::parse(webhook(record, created_s)).as_object();
    body["event"] = "seatclass.updated";
    return boost::json::serialize(body);
  };
  test::TempDir dir;
  const auto db = open_store((dir.path() / "copy.db").string());
  ProjectionEngine engine{*db};
  const auto apply = [&](const std::string& body) {
    return engine.apply(body, format_utc(std::chrono::system_clock::now())).outcome;
  };
  const auto row = [&] { return *find_entity(*db, InventoryKind::seat_classes, kFeeId); };

  REQUIRE(apply(class_webhook(class_record("first", (now_s - 100) * 1000 + 400), now_s - 100)) == Outcome::applied);
  const auto key = row();
  REQUIRE(apply(gone_record_body(InventoryKind::seat_classes, kFeeId, key.at("order_created").as_int64(),
                                 std::string{key.at("order_updated_at").as_string()})) == Outcome::applied);
  CHECK(row().at("deleted") == 1);
  CHECK(row().at("name") == "first");
  // Older than the row it deleted, also in the same second: stale.
  CHECK(apply(class_webhook(class_record("older", (now_s - 100) * 1000 + 100), now_s - 100)) == Outcome::stale);
  CHECK(row().at("deleted") == 1);
  // Listed again, newer: revived.
  CHECK(apply(class_webhook(class_record("back", (now_s - 5) * 1000), now_s - 5)) == Outcome::applied);
  CHECK(row().at("deleted") == 0);
  CHECK(row().at("name") == "back");
}
