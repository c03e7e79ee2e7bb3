#include "decode/envelope.hpp"
#include "decode/json_document.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/test_database.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

using namespace seatmirror;

namespace {

std::string seed(const std::string& name) { return test::read_file(test::fixtures_dir() / "seeds" / name); }

// A seed body with one change applied to its parsed form.
template <typename Change>
std::string seed_with(const std::string& name, Change change) {
  auto body = boost::json::parse(seed(name));
  change(body.as_object());
  return boost::json::serialize(body);
}

Rejection rejected(const std::string& body) {
  auto result = decode_event(body);
  REQUIRE(std::holds_alternative<Rejection>(result));
  return std::get<Rejection>(result);
}

InventoryEvent accepted(const std::string& body) {
  auto result = decode_event(body);
  if (auto* rejection = std::get_if<Rejection>(&result)) FAIL(rejection->message);
  return std::get<InventoryEvent>(result);
}

}  // namespace

TEST_CASE("the seed seatmap payload decodes into a seatmap with its section and facilities", "[envelope]") {
  const auto event = accepted(seed("006-seatmap.created.json"));
  CHECK(event.envelope.id == "bf61b828-de7d-445a-a0b0-54073dac0c01");
  CHECK(event.envelope.created == 1719420554);
  CHECK_FALSE(event.envelope.livemode);
  const auto& seatmap = std::get<SeatmapUpserted>(event.data);
  CHECK(seatmap.id == "667c46598d5daa05239b40db");
  CHECK(seatmap.capacity == 57);
  CHECK(seatmap.section_ids == std::vector<std::string>{"667c46598d5daa05239b40da"});
  CHECK(seatmap.computed_capacity == 57);
  CHECK(event.ordering_key().updated_at == "2024-06-26T16:48:25.107Z");
}

TEST_CASE("every seed payload decodes to its family", "[envelope]") {
  CHECK(std::holds_alternative<SeatFeeUpserted>(accepted(seed("001-seatfees.created.json")).data));
  CHECK(std::holds_alternative<SeatClassUpserted>(accepted(seed("004-seatclass.updated.json")).data));
  CHECK(std::get<SeatClassDeleted>(accepted(seed("005-seatclass.deleted.json")).data).id == "64b7f0c2a1d3e4f5a6b7c8e0");
  CHECK(std::get<SeatmapDeleted>(accepted(seed("008-seatmap.deleted.json")).data).id == "667c46598d5daa05239b40db");
}

TEST_CASE("ids are stored lowercase", "[envelope]") {
  const auto event = accepted(seed_with("001-seatfees.created.json", [](auto& body) {
    body["id"] = "0B8F6E52-3C1D-4A4F-9A57-2F1E0C9D8B71";
    body["data"].as_object()["_id"] = "64B7F0C2A1D3E4F5A6B7C8D9";
  }));
  CHECK(event.envelope.id == "0b8f6e52-3c1d-4a4f-9a57-2f1e0c9d8b71");
  CHECK(event.entity_id() == "64b7f0c2a1d3e4f5a6b7c8d9");
}

TEST_CASE("unlisted fields are kept in doc and stripped fields are simply absent", "[envelope]") {
  const auto event = accepted(seed_with("001-seatfees.created.json", [](auto& body) {
    auto& data = body["data"].as_object();
    data["futureField"] = boost::json::object{{"nested", true}};
    data.erase("createdAt");
    data.erase("updatedAt");
    data["bgcolor"] = nullptr;
  }));
  const auto& fee = std::get<SeatFeeUpserted>(event.data);
  CHECK_FALSE(fee.audit.created_at);
  CHECK_FALSE(fee.bgcolor);
  CHECK_FALSE(event.ordering_key().updated_at);
  CHECK(boost::json::parse(fee.doc).at("futureField").at("nested").as_bool());
}

TEST_CASE("rejections name the field and the rule", "[envelope]") {
  auto short_name = rejected(
      seed_with("001-seatfees.created.json", [](auto& body) { body["data"].as_object()["shortName"] = "PRMX"; }));
  CHECK(short_name.reason == RejectionReason::invalid_data);
  CHECK(short_name.field == "data.shortName");
  CHECK_THAT(short_name.message, Catch::Contains("data.shortName") && Catch::Contains("1 to 3"));

  auto section_id = rejected(seed_with("006-seatmap.created.json", [](auto& body) {
    body["data"].as_object()["sections"].as_array()[0].as_object()["_id"] = "nothex";
  }));
  CHECK(section_id.field == "data.sections[0]._id");

  // Fields the sections and facilities views read as numbers are refused when mistyped.
  auto rows = rejected(seed_with("006-seatmap.created.json", [](auto& body) {
    body["data"].as_object()["sections"].as_array()[0].as_object()["availableRows"] = "fifteen";
  }));
  CHECK(rows.field == "data.sections[0].availableRows");
  auto alignment = rejected(seed_with("006-seatmap.created.json", [](auto& body) {
    auto& facility = body["data"].as_object()["sections"].as_array()[0].as_object()["facilities"].as_array()[1];
    facility.as_object()["alignment"].as_object()["key"] = -1;
  }));
  CHECK(alignment.field == "data.sections[0].facilities[1].alignment.key");

  auto created = rejected(seed_with("001-seatfees.created.json", [](auto& body) { body["created"] = "now"; }));
  CHECK(created.reason == RejectionReason::invalid_envelope);
  CHECK(created.field == "created");
}

TEST_CASE("a short name counts characters, not bytes", "[envelope]") {
  accepted(seed_with("001-seatfees.created.json", [](auto& body) { body["data"].as_object()["shortName"] = "ÉÀÜ"; }));
}

TEST_CASE("bodies that are not usable JSON objects are malformed_json", "[envelope]") {
  const std::string deep = std::string(10000, '[') + std::string(10000, ']');
  for (const std::string& body :
       {std::string{"{\"id\": "}, std::string{"[]"}, std::string{"42"}, std::string{"{\"a\": NaN}"},
        std::string{"{\"a\": 1e999}"}, std::string{"{\"a\": \"\xff\"}"}, deep, std::string{R"({"id": "a", "id": "b"})"},
        std::string{R"({"data": {"x": {"k": 1, "k": 2}}})"}}) {
    INFO(body.substr(0, 40));
    CHECK(rejected(body).reason == RejectionReason::malformed_json);
  }
}

TEST_CASE("a repeated key is named in the rejection", "[envelope]") {
  const auto body = seed("001-seatfees.created.json");
  const auto twice = body.substr(0, body.rfind('}')) + R"(, "event": "seatfees.updated"})";
  CHECK_THAT(rejected(twice).message, Catch::Contains("repeats the key \"event\""));
  // The same key in two different objects is no repetition.
  CHECK(std::holds_alternative<boost::json::value>(parse_json_document(R"({"a": {"b": 1}, "c": {"b": 2}})")));
}

TEST_CASE("the one-pass parser compares keys as decoded, in objects of any size", "[envelope]") {
  // "\u0061" is "a": a parser that compared the raw bytes would miss this repetition.
  const auto escaped = parse_json_document(R"({"a": 1, "\u0061": 2})");
  REQUIRE(std::holds_alternative<JsonSyntaxError>(escaped));
  CHECK_THAT(std::get<JsonSyntaxError>(escaped).message, Catch::Contains("repeats the key \"a\""));
  std::string large = "{";
  for (int i = 0; i < 100; ++i) large += "\"k" + std::to_string(i) + "\": " + std::to_string(i) + ", ";
  CHECK(std::holds_alternative<boost::json::value>(parse_json_document(large + "\"last\": 0}")));
  const auto repeated = parse_json_document(large + "\"k42\": 0}");
  REQUIRE(std::holds_alternative<JsonSyntaxError>(repeated));
  CHECK_THAT(std::get<JsonSyntaxError>(repeated).message, Catch::Contains("\"k42\""));
  CHECK(std::holds_alternative<JsonSyntaxError>(parse_json_document(R"({"a": 1} {"b": 2})")));
}
