// Pages of the Inventory API's lists, in every shape the issue names: a bare array, an envelope
// with one array member of any name, count and next read when present, and each other shape
// refused with a message that says what was found.
#include "decode/inventory_list.hpp"

#include <catch2/catch.hpp>

using namespace seatmirror;

namespace {

std::string refusal(std::string_view body) {
  try {
    parse_inventory_list(body);
  } catch (const InventoryListError& e) {
    return e.what();
  }
  FAIL("accepted: " << body);
  return {};
}

}  // namespace

TEST_CASE("a page is a bare array or an object with one array member, whatever its name", "[sync]") {
  const auto bare = parse_inventory_list(R"([{"_id":"a"},{"_id":"b"}])");
  CHECK(bare.items.size() == 2);
  CHECK(bare.items[1].at("_id") == "b");
  CHECK_FALSE(bare.count);
  CHECK_FALSE(bare.has_next.has_value());

  const auto named =
      parse_inventory_list(R"({"seatmaps":[{"_id":"a"}],"count":41,"next":"/seatmaps?page=2","previous":null})");
  CHECK(named.items.size() == 1);
  CHECK(named.count == 41);
  CHECK(named.has_next == true);

  const auto last = parse_inventory_list(R"({"seatFees":[],"next":null})");
  CHECK(last.items.empty());
  CHECK(last.has_next == false);
  CHECK(parse_inventory_list(R"({"items":[],"next":3})").has_next == true);
}

TEST_CASE("a page of another shape is refused, saying what was found", "[sync]") {
  CHECK(refusal(R"({"error":"Unauthorized","message":"bad key"})") ==
        R"(the answer is an object with no array member (members: "error", "message"))");
  CHECK(
      refusal(R"({"seatmaps":[],"brands":[]})") ==
      R"(the answer has more than one array member ("seatmaps" and "brands"): which one holds the items is not known)");
  CHECK(refusal(R"("maintenance")") == "the answer is a string, not a list");
  CHECK(refusal(R"([{"_id":"a"},7])") == "the answer[1] is a number, not an object");
  CHECK(refusal(R"({"seatClasses":[null]})") == "seatClasses[0] is null, not an object");
  CHECK(refusal(R"({"seatClasses":[],"count":"12"})") == "its count is a string, not a non-negative integer");
  CHECK(refusal(R"({"seatClasses":[],"count":-1})") == "its count is a number, not a non-negative integer");
  CHECK(refusal(R"({"seatClasses":[],"next":{}})") == "its next is an object, not a page reference or null");
  CHECK_THAT(refusal("<html>502 Bad Gateway</html>"), Catch::StartsWith("the answer is not JSON: "));
  CHECK_THAT(refusal(R"({"a":[],"a":[]})"), Catch::StartsWith("the answer is not JSON: "));
}

TEST_CASE("a page read as a stream hands over each item as it completes, whatever the chunks", "[sync]") {
  const std::string page =
      R"({"meta":{"page":[1,2],"n":3},"seatFees":[{"_id":"a","lexiconKeys":{"name":{"values":["x"]}}},)"
      R"({"_id":"b","value":2.5}],"count":2,"next":null})";
  const auto whole = parse_inventory_list(page);
  REQUIRE(whole.items.size() == 2);  // the nested members of "meta" are neither items nor a second list
  for (const std::size_t chunk : {std::size_t{1}, std::size_t{7}, page.size()}) {
    INFO("chunk " << chunk);
    std::vector<boost::json::object> items;
    InventoryListReader reader{[&](boost::json::object item) { items.push_back(std::move(item)); }};
    for (std::size_t at = 0; at < page.size(); at += chunk) {
      reader.write(std::string_view{page}.substr(at, chunk));
      const auto written = at + chunk, first_closes = page.find(R"(},{"_id":"b")") + 1;
      CHECK(items.size() == (written < first_closes ? 0u : written < page.find(R"(}],"count")") + 1 ? 1u : 2u));
    }
    const auto summary = reader.finish();
    CHECK(items == whole.items);
    CHECK(summary.items == 2);
    CHECK(summary.count == 2);
    CHECK(summary.has_next == false);
  }
}

TEST_CASE("a refusal found after items were handed over still refuses the page", "[sync]") {
  std::size_t handed = 0;
  InventoryListReader reader{[&](boost::json::object) { ++handed; }};
  CHECK_THROWS_WITH(
      [&] {
        reader.write(R"({"seatFees":[{"_id":"a"},{"_id":"b"}],"brands":[)");
        reader.finish();
      }(),
      Catch::Contains("more than one array member"));
  CHECK(handed == 2);
  InventoryListReader truncated{[](boost::json::object) {}};
  truncated.write(R"({"seatFees":[{"_id":"a"})");
  CHECK_THROWS_WITH(truncated.finish(), Catch::StartsWith("the answer is not JSON: "));
  InventoryListReader repeated{[](boost::json::object) {}};
  CHECK_THROWS_WITH(repeated.write(R"([{"_id":"a","_id":"b"}])"), Catch::Contains("repeats the key \"_id\""));
}
