// Property: for scenarios whose events have distinct ordering keys, any delivery order with
// any number of retried duplicates converges to the state of in-order delivery, except for the
// content a tombstone keeps: that is the content its row had when the delete arrived, so an
// update made before the delete but delivered after it (stale: it changes nothing) leaves an
// older content than in-order delivery would. Which rows are deleted, when, and by which
// event converges all the same.
#include "decode/envelope.hpp"
#include "storage/database.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/test_database.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <tuple>

using namespace seatmirror;

namespace {

OrderingKey key_of(const std::string& body) { return std::get<InventoryEvent>(decode_event(body)).ordering_key(); }

std::vector<std::string> in_key_order(std::vector<std::string> bodies) {
  std::stable_sort(bodies.begin(), bodies.end(), [](const auto& a, const auto& b) {
    const auto ka = key_of(a), kb = key_of(b);
    return std::tie(ka.created, ka.updated_at) < std::tie(kb.created, kb.updated_at);
  });
  return bodies;
}

std::vector<std::string> state_after(const test::TempDir& dir, const std::string& name,
                                     const std::vector<std::string>& bodies) {
  auto db = open_database(dir.path() / (name + ".db"));
  test::deliver(db, bodies);
  db.exec(
      "UPDATE seat_classes SET name = NULL, description = NULL, bgcolor = NULL, lexicon_keys = NULL, "
      "created_by = NULL, updated_by = NULL, created_at = NULL, updated_at = NULL, doc = NULL WHERE deleted = 1");
  db.exec(
      "UPDATE seatmaps SET account_id = NULL, name = NULL, capacity = NULL, standard = NULL, "
      "allow_seat_orientation = NULL, amenity_group_id = NULL, brand_id = NULL, created_by = NULL, "
      "updated_by = NULL, created_at = NULL, updated_at = NULL, computed_capacity = NULL, doc = NULL, "
      "layout = NULL WHERE deleted = 1");
  return test::read_model_snapshot(db);
}

}  // namespace

TEST_CASE("shuffled and retried deliveries converge to in-order state", "[property]") {
  int checked_scenarios = 0;
  for (const auto& scenario : test::load_scenarios()) {
    if (!scenario.expected.at("distinct_keys").as_bool()) continue;
    ++checked_scenarios;
    test::TempDir dir;
    const auto reference = state_after(dir, "in-order", in_key_order(scenario.deliveries));
    REQUIRE_FALSE(reference.empty());

    const auto seed = std::random_device{}();
    std::mt19937 random{seed};
    for (int trial = 0; trial < 30; ++trial) {
      auto bodies = scenario.deliveries;
      std::uniform_int_distribution<std::size_t> pick{0, bodies.size() - 1};
      const auto duplicates = pick(random);
      for (std::size_t i = 0; i < duplicates; ++i) bodies.push_back(bodies[pick(random)]);
      std::shuffle(bodies.begin(), bodies.end(), random);
      INFO("scenario " << scenario.name << ", seed " << seed << ", trial " << trial);
      CHECK(state_after(dir, "trial-" + std::to_string(trial), bodies) == reference);
    }
  }
  CHECK(checked_scenarios >= 4);
}
