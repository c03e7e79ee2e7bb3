// `seatmirror sync --dry-run` against a fake Inventory API over HTTPS with its own test CA,
// on a real SQLite copy made by replaying the real fixtures: every kind of drift counted as
// the issue defines it, seatmaps read over several pages, and each failure (a refused key, a
// malformed page) an exit 4 that changes nothing and shows no key.
#include "tests/support/fake_inventory_api.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_database.hpp"
#include "tests/support/test_stores.hpp"

#include <fmt/format.h>
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <fstream>

using namespace seatmirror;

namespace {

constexpr const char* kKey = "inventory-key-0123456789";

boost::json::object data_of(const std::string& fixture) {
  const auto text = test::read_file(std::filesystem::path{SEATMIRROR_FIXTURES_DIR} / "inventory" / fixture);
  return boost::json::parse(text).at("data").as_object();
}

void set_updated_at(boost::json::object& record, const char* when) {
  record["updatedAt"] = boost::json::object{{"offset", 0}, {"value", when}};
}

// The remote inventory: records by family, seatmaps served `per_page` to a page.
struct Inventory {
  boost::json::array fees, classes, seatmaps;
  std::size_t per_page = 1;

  test::FakeAnswer answer(const test::FakeRequest& request) const {
    if (request.api_key != kKey) return {.status = 401, .body = R"({"message":"Unauthorized"})"};
    const std::string target = request.target;
    if (target == "/inventory/seat-fees?disabled=false") return json({{"seatFees", fees}, {"count", fees.size()}});
    if (target == "/inventory/seat-fees?disabled=true") return json({{"seatFees", boost::json::array{}}});
    if (target == "/inventory/seat-classes") return json({{"seatClasses", classes}});
    if (target.starts_with("/inventory/seatmaps?page=") && target.ends_with("&originalOnly=true")) {
      const auto page = std::stoul(target.substr(target.find('=') + 1));
      boost::json::array items;
      for (std::size_t i = (page - 1) * per_page; i < std::min(page * per_page, seatmaps.size()); ++i) {
        items.push_back(seatmaps[i]);
      }
      const bool more = page * per_page < seatmaps.size();
      return json({{"seatmaps", items},
                   {"count", seatmaps.size()},
                   {"next", more ? boost::json::value(fmt::format("/seatmaps?page={}", page + 1)) : nullptr}});
    }
    return {.status = 404, .body = R"({"message":"Not Found"})"};
  }

  static test::FakeAnswer json(const boost::json::object& body) { return {.body = boost::json::serialize(body)}; }
};

Inventory fixture_inventory() {
  Inventory inventory;
  for (const char* f : {"001-seatfees.created.json", "002-seatfees.created.json", "003-seatfees.created.json"}) {
    inventory.fees.push_back(data_of(f));
  }
  for (const char* f : {"004-seatclass.created.json", "005-seatclass.created.json"}) {
    inventory.classes.push_back(data_of(f));
  }
  for (const char* f : {"006-seatmap.created.json", "007-seatmap.created.json"}) {
    inventory.seatmaps.push_back(data_of(f));
  }
  return inventory;
}

struct SyncFixture {
  test::TempDir dir;
  std::string db;

  // `store`: a URL from test::fresh_store, or "" for an SQLite file in dir.
  explicit SyncFixture(const std::string& store = "") : db(store.empty() ? (dir.path() / "copy.db").string() : store) {
    std::ofstream{dir.path() / "api-key"} << kKey << "\n";
    REQUIRE(test::run_cli(dir, fmt::format("replay -q --db '{}' '{}'", db,
                                           (std::filesystem::path{SEATMIRROR_FIXTURES_DIR} / "inventory").string())) ==
            0);
  }

  int sync(const test::FakeInventoryApi& api, const std::string& flags = "--dry-run --json") const {
    return test::run_cli(
        dir, fmt::format("sync --db '{}' --inventory-url {} --api-key-file '{}' "
                         "--inventory-ca-file '{}' {}",
                         db, api.base_url(), (dir.path() / "api-key").string(), api.ca_file().string(), flags));
  }
  std::string out() const { return test::read_file(dir.path() / "cli.out"); }
  std::string err() const { return test::read_file(dir.path() / "cli.err"); }
  boost::json::object report() const { return boost::json::parse(out()).as_object(); }
  std::int64_t ledger_rows() const { return test::count_rows(db, "webhook_events"); }
};

std::int64_t count(const boost::json::object& report, const char* family, const char* kind) {
  return report.at("families").at(family).at(kind).as_int64();
}

}  // namespace

TEST_CASE("sync --dry-run: a copy equal to the API is in sync, over several pages of seatmaps", "[sync]") {
  SyncFixture fixture;
  const auto inventory = fixture_inventory();
  test::FakeInventoryApi api{[&](const test::FakeRequest& r) { return inventory.answer(r); }};
  REQUIRE(fixture.sync(api) == 0);
  const auto report = fixture.report();
  CHECK(report.at("complete") == true);
  CHECK(count(report, "seat_fees", "in_sync") == 3);
  CHECK(count(report, "seat_classes", "in_sync") == 2);
  CHECK(count(report, "seatmaps", "in_sync") == 2);
  CHECK(count(report, "seatmaps", "remote") == 2);
  std::size_t seatmap_pages = 0;
  for (const auto& request : api.requests()) seatmap_pages += request.target.starts_with("/inventory/seatmaps?");
  CHECK(seatmap_pages == 2);  // one seatmap a page; the second says there is no next
}

TEST_CASE("sync --dry-run counts missing, behind, ahead, differs and gone, and changes nothing", "[sync][postgres]") {
  const auto store = GENERATE(from_range(test::store_kinds()));
  INFO("store: " << store);
  SyncFixture fixture{test::fresh_store(store)};
  auto inventory = fixture_inventory();
  set_updated_at(inventory.fees[1].as_object(), "2030-01-01T00:00:00.000Z");   // changed after the copy: behind
  set_updated_at(inventory.fees[2].as_object(), "2001-01-01T00:00:00.000Z");   // the copy is newer: ahead
  inventory.classes[0].as_object()["name"] = "Renamed without a new version";  // differs
  inventory.classes.erase(inventory.classes.begin() + 1);                      // gone
  auto extra = inventory.seatmaps[0].as_object();
  extra["_id"] = "6744a1b2c3d4e5f6a7b8cbff";
  inventory.seatmaps.push_back(extra);                                   // missing
  inventory.seatmaps.push_back(boost::json::object{{"name", "no id"}});  // invalid
  test::FakeInventoryApi api{[&](const test::FakeRequest& r) { return inventory.answer(r); }};
  const auto ledger_before = fixture.ledger_rows();
  REQUIRE(ledger_before == 7);

  CHECK(fixture.sync(api) == 1);
  const auto report = fixture.report();
  CHECK(report.at("complete") == true);
  CHECK(count(report, "seat_fees", "in_sync") == 1);
  CHECK(count(report, "seat_fees", "behind") == 1);
  CHECK(count(report, "seat_fees", "ahead") == 1);
  CHECK(count(report, "seat_classes", "differs") == 1);
  CHECK(count(report, "seat_classes", "gone") == 1);
  CHECK(count(report, "seatmaps", "missing") == 1);
  CHECK(count(report, "seatmaps", "in_sync") == 2);
  CHECK(count(report, "seatmaps", "invalid") == 1);
  const auto notes = boost::json::serialize(report.at("notes"));
  CHECK_THAT(notes, Catch::Contains("differs in: name") && Catch::Contains("gone") && Catch::Contains("_id"));
  CHECK(fixture.ledger_rows() == ledger_before);

  CHECK(fixture.sync(api, "--dry-run") == 1);  // the table form
  CHECK_THAT(fixture.out(), Catch::Contains("seat_classes") && Catch::Contains("differs in: name"));
}

TEST_CASE("sync fails with exit 4 on a refused key or a malformed page, and never shows the key", "[sync]") {
  SyncFixture fixture;
  SECTION("a refused key") {
    test::FakeInventoryApi api{[](const test::FakeRequest&) { return test::FakeAnswer{.status = 403}; }};
    CHECK(fixture.sync(api) == 4);
    CHECK(fixture.report().at("complete") == false);
    CHECK_THAT(fixture.err(), Catch::Contains("HTTP 403") && Catch::Contains("--api-key-file"));
    CHECK_THAT(fixture.out() + fixture.err(), !Catch::Contains(kKey));
  }
  SECTION("a malformed page") {
    auto inventory = fixture_inventory();
    test::FakeInventoryApi api{[&](const test::FakeRequest& r) {
      if (r.target == "/inventory/seat-classes") return test::FakeAnswer{.body = R"({"error":"maintenance"})"};
      return inventory.answer(r);
    }};
    CHECK(fixture.sync(api) == 4);
    const auto report = fixture.report();
    CHECK(report.at("complete") == false);
    CHECK_THAT(std::string{report.at("failure").as_string()},
               Catch::Contains("GET /seat-classes") && Catch::Contains("no array member"));
    CHECK(count(report, "seat_fees", "in_sync") == 3);  // what came before the failure is reported
    CHECK(count(report, "seat_classes", "gone") == 0);  // an incomplete listing finds nothing gone
  }
}

TEST_CASE("sync says what it needs: --dry-run for now, a readable key file", "[sync]") {
  SyncFixture fixture;
  test::FakeInventoryApi api{[](const test::FakeRequest&) { return test::FakeAnswer{.body = "[]"}; }};
  CHECK(fixture.sync(api, "") == 2);
  CHECK_THAT(fixture.err(), Catch::Contains("--dry-run"));
  CHECK(
      test::run_cli(fixture.dir, fmt::format("sync --db '{}' --inventory-url {} --api-key-file /nonexistent --dry-run",
                                             fixture.db, api.base_url())) == 2);
  CHECK_THAT(fixture.err(), Catch::Contains("/nonexistent"));
  CHECK(api.requests().empty());
}
