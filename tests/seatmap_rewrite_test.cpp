// A seatmap write keeps the stored section, facility and seat rows when its sections are the
// stored ones, and rewrites them otherwise. Whichever it does, the rows must be exactly what a
// database that only ever saw that event holds.
#include "layout/seat_layout_json.hpp"
#include "storage/database.hpp"
#include "storage/sqlite_connection.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/seat_view_check.hpp"
#include "tests/support/test_database.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <functional>

using namespace seatmirror;

namespace {

boost::json::object seed_seatmap() {
  return boost::json::parse(test::read_file(test::fixtures_dir() / "seeds" / "006-seatmap.created.json")).as_object();
}

// The seed seatmap event, made newer by `step` seconds and given a fresh event id, changed by `edit`.
std::string seatmap_event(int step, const std::function<void(boost::json::object& data)>& edit) {
  auto event = seed_seatmap();
  event["id"] = fmt::format("bf61b828-de7d-445a-a0b0-{:012}", step);
  event["event"] = "seatmap.updated";
  event["created"] = event["created"].as_int64() + step;
  auto& data = event["data"].as_object();
  data["name"] = fmt::format("Coach, version {}", step);
  edit(data);
  return boost::json::serialize(event);
}

boost::json::array& sections_of(boost::json::object& data) { return data["sections"].as_array(); }

void add_copy_of_first_section(boost::json::object& data) {
  auto copy = sections_of(data).front().as_object();
  copy["_id"] = "667c46598d5daa05239b40ff";
  copy["name"] = "Upper deck";
  sections_of(data).push_back(copy);
}

}  // namespace

TEST_CASE("seatmap rows after any sequence of updates equal those of a fresh write", "[seatmap]") {
  const std::vector<std::pair<const char*, std::function<void(boost::json::object&)>>> steps = {
      {"sections as stored", [](auto&) {}},
      {"one fewer row", [](auto& data) { sections_of(data).front().as_object()["availableRows"] = 14; }},
      {"a second section", [](auto& data) { add_copy_of_first_section(data); }},
      {"the same two sections", [](auto& data) { add_copy_of_first_section(data); }},
      {"the two sections swapped",
       [](auto& data) {
         add_copy_of_first_section(data);
         std::swap(sections_of(data)[0], sections_of(data)[1]);
       }},
      {"only the second section",
       [](auto& data) {
         add_copy_of_first_section(data);
         sections_of(data).erase(sections_of(data).begin());
       }},
      {"no sections", [](auto& data) { sections_of(data).clear(); }},
      {"the seed's sections again", [](auto&) {}},
  };
  test::TempDir dir;
  auto live = open_database(dir.path() / "live.db");
  test::deliver(live, {test::read_file(test::fixtures_dir() / "seeds" / "006-seatmap.created.json")});
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const auto& [what, edit] = steps[i];
    INFO("step " << i + 1 << ": " << what);
    const auto body = seatmap_event(static_cast<int>(i + 1), edit);
    REQUIRE(test::deliver(live, {body}).front().outcome == Outcome::applied);
    auto fresh = open_database(dir.path() / fmt::format("fresh-{}.db", i));
    test::deliver(fresh, {body});
    CHECK(test::read_model_snapshot(live) == test::read_model_snapshot(fresh));
  }
  CHECK(live.execAndGet("SELECT COUNT(*) FROM seatmap_seats").getInt() == 57);
}

TEST_CASE("a seatmap is one row: its sections, facilities and seats are views that follow each write", "[seatmap]") {
  test::TempDir dir;
  auto db = open_database(dir.path() / "live.db");
  for (const char* view : {"seatmap_sections", "seatmap_facilities", "seatmap_seats"}) {
    INFO(view);
    CHECK(db.execAndGet(std::string{"SELECT type FROM sqlite_master WHERE name = '"} + view + "'").getString() ==
          "view");
  }
  test::deliver(db, {test::read_file(test::fixtures_dir() / "seeds" / "006-seatmap.created.json")});
  // The seed numbers its seats right to left (enumDir 2): seat 1 is at the right window.
  CHECK(db.execAndGet("SELECT label FROM seatmap_seats WHERE row = 2 AND col = 5").getString() == "1");
  const auto changes_before = db.getTotalChanges();
  test::deliver(db, {seatmap_event(1, [](auto& data) { sections_of(data).front().as_object()["enumDir"] = 1; })});
  CHECK(db.getTotalChanges() - changes_before == 2);  // the seatmap row and its ledger row
  CHECK(db.execAndGet("SELECT label FROM seatmap_seats WHERE row = 2 AND col = 1").getString() == "1");
  CHECK(db.execAndGet("SELECT COUNT(*) FROM seatmap_seats").getInt() == 57);
  CHECK(db.execAndGet("SELECT name FROM seatmaps").getString() == "Coach, version 1");
}

// PostgreSQL's view is held to the same check in postgres_store_test.cpp.
TEST_CASE("the seat view reads every field of the stored seat arrays where the layout code writes it", "[seatmap]") {
  test::TempDir dir;
  auto db = open_database(dir.path() / "live.db");
  REQUIRE(test::deliver(db, {test::seatmap_with_every_seat_field()}).front().outcome == Outcome::applied);
  sql::SqliteConnection connection{db};
  const auto check = test::check_seat_view(connection);
  CHECK(check.differences == std::vector<std::string>{});
  for (std::size_t field = 0; field < kSeatFieldCount; ++field) {
    INFO(kSeatFieldNames[field]);
    CHECK(check.non_default_seen[field] > 0);  // else a swapped position could go unseen
  }
}
