// JSON numbers as people write them (json/json_text.hpp): the writer on its own, a round trip
// over every fixture, and what a user reads -- the stored document, `query --json`.
#include "json/json_text.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_database.hpp"

#include <SQLiteCpp/Database.h>
#include <fmt/format.h>
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include <filesystem>
#include <limits>
#include <regex>

using namespace seatmirror;

namespace {

// A number written the way Boost.JSON's serializer writes doubles: 4.5E0, 1.15E2.
bool has_scientific_number(const std::string& text) {
  static const std::regex scientific{R"([:,\[]\s*-?[0-9.]+E[-+]?[0-9]+)"};
  return std::regex_search(text, scientific);
}

std::string text_of(const char* json) { return json_text(boost::json::parse(json)); }

}  // namespace

TEST_CASE("numbers with a fraction are written in their shortest form, everything else as Boost writes it", "[json]") {
  CHECK(text_of("4.5") == "4.5");
  // Built in code: Boost 1.81's parser may be one unit in the last place off on such a number.
  CHECK(json_text(boost::json::value(346.0 / 3.0)) == "115.33333333333333");
  CHECK(text_of("0.1") == "0.1");
  CHECK(text_of("-0.25") == "-0.25");
  CHECK(text_of("4.0") == "4.0");  // stays a number with a fraction when read back
  CHECK(text_of("1E21") == "1e+21");
  CHECK(text_of("1.5E-7") == "1.5e-07");
  CHECK(text_of("12") == "12");
  CHECK(text_of("-9223372036854775808") == "-9223372036854775808");
  CHECK(text_of("18446744073709551615") == "18446744073709551615");
  CHECK(text_of(R"({"a":[1,2.5,null,true,false],"b":"q\"\\\n\u0001é"})") ==
        R"({"a":[1,2.5,null,true,false],"b":"q\"\\\n\u0001é"})");
  CHECK(json_text(boost::json::value(std::numeric_limits<double>::infinity())) == "null");
  CHECK(json_text(boost::json::value(std::numeric_limits<double>::quiet_NaN())) == "null");
  std::string out = "[";
  append_json_string(out, "tab\there");
  CHECK(out == R"(["tab\there")");
}

TEST_CASE("every fixture reads back as the same JSON after json_text, with no number in scientific form", "[json]") {
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator{test::fixtures_dir()}) {
    if (entry.path().extension() != ".json") continue;
    boost::system::error_code error;
    const auto original = boost::json::parse(test::read_file(entry.path()), error);
    if (error) continue;  // the fixtures of malformed deliveries
    INFO(entry.path().string());
    const auto text = json_text(original);
    CHECK(boost::json::parse(text) == original);
    CHECK_FALSE(has_scientific_number(text));
    ++files;
  }
  CHECK(files >= 50);
}

TEST_CASE("a seat fee of 4.5 is 4.5 in the stored document and in query --json", "[json][read]") {
  test::TempDir dir;
  const auto db = dir.path() / "x.db";
  const auto fee = test::fixtures_dir() / "inventory" / "001-seatfees.created.json";
  REQUIRE(test::run_cli(dir, fmt::format("replay -q --db '{}' '{}'", db.string(), fee.string())) == 0);
  {
    SQLite::Database sqlite{db.string()};
    const auto doc = sqlite.execAndGet("SELECT doc FROM seat_fees WHERE id = '6744a1b2c3d4e5f6a7b8c901'").getString();
    CHECK_THAT(doc, Catch::Contains(R"("value":4.5)"));
    CHECK_FALSE(has_scientific_number(doc));
  }
  REQUIRE(test::run_cli(dir, fmt::format("query seat-fees --json --db '{}'", db.string())) == 0);
  const auto out = test::read_file(dir.path() / "cli.out");
  CHECK_THAT(out, Catch::Contains(R"("value":4.5)"));
  CHECK_FALSE(has_scientific_number(out));
}
