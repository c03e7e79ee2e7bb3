// query, events, rejected and show, run as a user would, on databases filled by replay (an
// SQLite file and a PostgreSQL database).
#include "storage/store.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_stores.hpp"

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include <algorithm>

using namespace seatmirror;

namespace {

struct Cli {
  // `store`: test::kSqlite (a file here) or test::kPostgres (a fresh database).
  explicit Cli(const std::string& store) {
    if (store == test::kPostgres) db = test::fresh_store(store);
  }
  test::TempDir dir;
  std::string db = (dir.path() / "x.db").string();

  int run(const std::string& arguments) { return test::run_cli(dir, arguments + " --db '" + db + "'"); }
  std::string out() const { return test::read_file(dir.path() / "cli.out"); }
  std::string err() const { return test::read_file(dir.path() / "cli.err"); }
  boost::json::value json() const { return boost::json::parse(out()); }
};

std::string fixtures(const std::string& relative) { return "'" + (test::fixtures_dir() / relative).string() + "'"; }

}  // namespace

TEST_CASE("show draws the seed seatmap with its 57 seats, even after its deletion", "[read][postgres]") {
  const auto store = GENERATE(from_range(test::store_kinds()));
  INFO("store: " << store);
  Cli cli{store};
  REQUIRE(cli.run("replay -q " + fixtures("seeds")) == 0);
  REQUIRE(cli.run("show seatmap 667c46598d5daa05239b40db --colour never") == 0);
  const auto picture = cli.out();
  CHECK_THAT(picture, Catch::StartsWith("Test update (667c46598d5daa05239b40db): 57 seats"));
  CHECK_THAT(picture, Catch::Contains("deleted at 2024-06-26T16:55:50.000Z"));
  // The front door stands in the driver's row: drawn beside the driver, since the legend lists it.
  CHECK_THAT(picture, Catch::Contains("\n       [ DRIVER ]     DOOR \n"));
  const auto grid = picture.substr(0, picture.find("legend"));
  const auto cells = std::count(grid.begin(), grid.end(), '[') - 1;  // less the driver's bracket
  CHECK(cells == 57);
  CHECK(picture.find("\033[") == std::string::npos);  // --colour never
  CHECK(cli.run("show seatmap 000000000000000000000000") == 1);
  CHECK_THAT(cli.err(), Catch::Contains("no seatmap with id 000000000000000000000000"));

  // The picture comes from the seatmap's row: with the ledger emptied, it is the same picture.
  { open_store(cli.db)->exec("DELETE FROM webhook_events"); }
  REQUIRE(cli.run("show seatmap 667c46598d5daa05239b40db --colour never") == 0);
  CHECK(cli.out() == picture);
}

TEST_CASE("show colours seats by their seat class", "[read][postgres]") {
  const auto store = GENERATE(from_range(test::store_kinds()));
  INFO("store: " << store);
  Cli cli{store};
  REQUIRE(cli.run("replay -q " + fixtures("inventory")) == 0);
  REQUIRE(cli.run("show seatmap 6744a1b2c3d4e5f6a7b8cb01 --colour always") == 0);
  CHECK_THAT(cli.out(), Catch::Contains("57 seats"));
}

TEST_CASE("query lists active rows, --all adds tombstones, --json gives JSON, unknown ids exit 1", "[read][postgres]") {
  const auto store = GENERATE(from_range(test::store_kinds()));
  INFO("store: " << store);
  Cli cli{store};
  REQUIRE(cli.run("replay -q " + fixtures("seeds")) == 0);
  REQUIRE(cli.run("query seat-fees --json") == 0);
  const auto fees = cli.json().as_array();
  REQUIRE(fees.size() == 1);
  CHECK(fees[0].at("short_name") == "PRM");
  CHECK(fees[0].at("value").as_double() == 12.5);
  CHECK(fees[0].at("lexicon_keys").at("name").at("key") == "seatfee-premium");  // JSON, not text

  REQUIRE(cli.run("query seatmaps --json") == 0);
  CHECK(cli.json().as_array().empty());  // the seed seatmap was deleted
  REQUIRE(cli.run("query seatmaps --all --json") == 0);
  CHECK(cli.json().as_array().size() == 1);
  // A table with only its header says on stderr why, and how to see the tombstones.
  REQUIRE(cli.run("query seatmaps") == 0);
  CHECK(cli.err() == "1 deleted seatmap not shown: add --all to include them\n");
  REQUIRE(cli.run("query seatmaps --all") == 0);
  CHECK(cli.err().empty());
  REQUIRE(cli.run("query seat-fees") == 0);
  CHECK(cli.err().empty());  // fees are disabled, never deleted

  REQUIRE(cli.run("query seat-fees 64b7f0c2a1d3e4f5a6b7c8d9 --json") == 0);
  CHECK(cli.json().at("name") == "Premium");
  REQUIRE(cli.run("query seat-classes") == 0);
  CHECK_THAT(cli.out(), Catch::StartsWith("id"));
  CHECK_THAT(cli.out(), !Catch::Contains("Business"));  // deleted: listed with --all only
  // A deleted class keeps its name, for an analyst holding its id from an old ticket.
  REQUIRE(cli.run("query seat-classes --all") == 0);
  CHECK_THAT(cli.out(), Catch::Contains("64b7f0c2a1d3e4f5a6b7c8e0  Business"));
  REQUIRE(cli.run("query seat-classes 64b7f0c2a1d3e4f5a6b7c8e0 --json") == 0);
  CHECK(cli.json().at("name") == "Business");
  CHECK(cli.json().at("deleted") == 1);
  CHECK(cli.run("query seat-fees 64b7f0c2a1d3e4f5a6b7c8ff") == 1);
  CHECK_THAT(cli.err(), Catch::Contains("no seat fee with id 64b7f0c2a1d3e4f5a6b7c8ff"));
  CHECK(cli.run("query buses") == 2);
}

TEST_CASE("events filters the ledger, and rejected lists reasons", "[read][postgres]") {
  const auto store = GENERATE(from_range(test::store_kinds()));
  INFO("store: " << store);
  Cli cli{store};
  cli.run("replay -q " + fixtures("scenarios/out-of-order-delivery/deliveries.ndjson"));
  cli.run("replay -q " + fixtures("scenarios/invalid-payloads/deliveries.ndjson"));
  REQUIRE(cli.run("events --json") == 0);
  CHECK(cli.json().as_array().size() == 7);
  REQUIRE(cli.run("events --outcome stale --json") == 0);
  CHECK(cli.json().as_array().size() == 4);
  REQUIRE(cli.run("events --entity 64b7f0c2a1d3e4f5a6b7c8d9 --json") == 0);
  CHECK(cli.json().as_array().size() == 2);
  REQUIRE(cli.run("events --since 2999-01-01T00:00:00Z --json") == 0);
  CHECK(cli.json().as_array().empty());
  // --since takes a date (midnight UTC) or a time in any zone, as seats usage --from does.
  REQUIRE(cli.run("events --since 2000-01-01 --json") == 0);
  CHECK(cli.json().as_array().size() == 7);
  REQUIRE(cli.run("events --since 2999-01-01T01:00:00+02:00 --json") == 0);
  CHECK(cli.json().as_array().empty());
  CHECK(cli.run("events --since yesterday") == 2);
  CHECK_THAT(cli.err(), Catch::Contains(R"(--since: "yesterday" is not a date (2026-11-25))"));
  // A listing cut short by --limit says so on stderr; one that fits says nothing.
  REQUIRE(cli.run("events --limit 3 --json") == 0);
  CHECK(cli.json().as_array().size() == 3);
  CHECK_THAT(cli.err(), Catch::StartsWith("showing the first 3 events; more match: raise --limit"));
  REQUIRE(cli.run("events --limit 7") == 0);
  CHECK(cli.err().empty());
  CHECK(cli.run("events --limit 0") == 2);  // one row more than the limit is read: the limit is bounded
  CHECK_THAT(cli.err(), Catch::Contains("--limit: Value 0 not in range 1 to 1000000000"));
  REQUIRE(cli.run("rejected --limit 50") == 0);
  CHECK_THAT(cli.err(), Catch::StartsWith("showing the first 50 rejected deliveries; more match"));
  REQUIRE(cli.run("rejected --json") == 0);
  const auto rejected = cli.json().as_array();
  CHECK(rejected.size() == 51);
  CHECK(rejected[0].at("reason") == "malformed_json");
  REQUIRE(cli.run("rejected") == 0);
  CHECK_THAT(cli.out(), Catch::Contains("data.shortName must be 1 to 3 characters"));
}
