// A delivery's ledger row and read-model change commit together or not at all. Failures are
// provoked inside the real store with triggers that abort a write part-way through a delivery.
#include "projection/delivery_writer.hpp"
#include "projection/projection_engine.hpp"
#include "storage/database.hpp"
#include "storage/sqlite_connection.hpp"
#include "storage/store.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/test_database.hpp"
#include "tests/support/test_stores.hpp"

#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

#include <mutex>
#include <thread>

using namespace seatmirror;

namespace {

std::string seed(const std::string& name) { return test::read_file(test::fixtures_dir() / "seeds" / name); }

std::int64_t count(SQLite::Database& db, const std::string& table) {
  return db.execAndGet("SELECT COUNT(*) FROM " + table).getInt64();
}

}  // namespace

TEST_CASE("a failure part-way through a seatmap write leaves no trace", "[atomicity]") {
  test::TempDir dir;
  auto db = open_database(dir.path() / "atomic.db");
  sql::SqliteConnection connection{db};
  ProjectionEngine engine{connection};
  // The seatmap row is written before its ledger row; the ledger row fails.
  db.exec(
      "CREATE TRIGGER fail_facility BEFORE INSERT ON webhook_events "
      "WHEN NEW.event = 'seatmap.created' BEGIN SELECT RAISE(ABORT, 'disk trouble'); END");
  CHECK_THROWS_AS(engine.apply(seed("006-seatmap.created.json"), "2026-01-01T00:00:00.000Z"), SQLite::Exception);
  for (const char* table :
       {"seatmaps", "seatmap_sections", "seatmap_facilities", "webhook_events", "rejected_events"}) {
    INFO(table);
    CHECK(count(db, table) == 0);
  }
  // Once the fault is gone the same delivery applies: it was never recorded as seen.
  db.exec("DROP TRIGGER fail_facility");
  CHECK(engine.apply(seed("006-seatmap.created.json"), "2026-01-01T00:00:00.000Z").outcome == Outcome::applied);
  CHECK(count(db, "seatmap_facilities") == 2);
}

TEST_CASE("a failure to record the ledger row undoes the read-model change", "[atomicity]") {
  test::TempDir dir;
  auto db = open_database(dir.path() / "atomic.db");
  sql::SqliteConnection connection{db};
  ProjectionEngine engine{connection};
  db.exec("CREATE TRIGGER fail_ledger BEFORE INSERT ON webhook_events BEGIN SELECT RAISE(ABORT, 'full'); END");
  CHECK_THROWS(engine.apply(seed("001-seatfees.created.json"), "2026-01-01T00:00:00.000Z"));
  CHECK(count(db, "seat_fees") == 0);
  CHECK(count(db, "webhook_events") == 0);
}

TEST_CASE("one failing delivery does not spoil the others in its batch", "[atomicity]") {
  test::TempDir dir;
  auto db = open_database(dir.path() / "batch.db");
  sql::SqliteConnection connection{db};
  ProjectionEngine engine{connection};
  db.exec("CREATE TRIGGER fail_seatmaps BEFORE INSERT ON seatmaps BEGIN SELECT RAISE(ABORT, 'no'); END");
  SQLite::Transaction batch{db};
  CHECK(engine.apply(seed("001-seatfees.created.json"), "t").outcome == Outcome::applied);
  CHECK_THROWS(engine.apply(seed("006-seatmap.created.json"), "t"));
  CHECK(engine.apply(seed("003-seatclass.created.json"), "t").outcome == Outcome::applied);
  batch.commit();
  CHECK(count(db, "seat_fees") == 1);
  CHECK(count(db, "seat_classes") == 1);
  CHECK(count(db, "seatmaps") == 0);
  CHECK(count(db, "webhook_events") == 2);
}

namespace {

// A seat-fee delivery with its own event id and fee id.
std::string distinct_fee(int n) {
  auto body = boost::json::parse(seed("001-seatfees.created.json")).as_object();
  body["id"] = fmt::format("00000000-0000-4000-8000-{:012x}", n);
  body["data"].as_object()["_id"] = fmt::format("{:024x}", n);
  return boost::json::serialize(body);
}

// `bodies` through one DeliveryWriter on `db`, all but the first in one batch: another writer
// holds the ledger while the first waits on it, so the rest queue up and are written together
// when it lets go. Returns each delivery's result.
std::vector<WriteResult> write_in_one_batch(const std::string& store, const std::string& db,
                                            const std::vector<std::string>& bodies) {
  std::mutex mutex;
  std::vector<WriteResult> results(bodies.size());
  DeliveryWriter writer{db, {}};
  auto submit = [&](std::size_t i) {
    writer.submit(prepare_delivery(bodies[i], std::chrono::system_clock::now()), [&, i](WriteResult written) {
      std::lock_guard lock{mutex};
      results[i] = std::move(written);
    });
  };
  auto other = test::hold_write_lock(store, db);
  submit(0);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  for (std::size_t i = 1; i < bodies.size(); ++i) submit(i);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  other->rollback();
  writer.stop();
  CHECK(results[1].batch_size == bodies.size() - 1);  // the rest did share one batch
  return results;
}

// A fresh database of `store` (an SQLite file in `dir`, or a PostgreSQL database).
std::string fresh_database(const std::string& store, const test::TempDir& dir) {
  const auto db = test::fresh_store(store);
  return db.empty() ? (dir.path() / "batch.db").string() : db;
}

}  // namespace

// The group-commit writer applies a batch without a savepoint per write and, when one write
// fails, undoes the batch and applies it again with savepoints: the failing write alone is
// refused, in a batch it shared with others, on both stores.
TEST_CASE("a write that fails inside a group commit is refused alone and the rest of its batch commits",
          "[atomicity][postgres]") {
  const auto store = GENERATE(from_range(test::store_kinds()));
  INFO("store: " << store);
  test::TempDir dir;
  const auto db = fresh_database(store, dir);
  {
    auto setup = open_store(db);
    setup->exec(
        store == test::kSqlite
            ? "CREATE TRIGGER refuse_seatmaps BEFORE INSERT ON seatmaps BEGIN SELECT RAISE(ABORT, 'no seatmaps'); END"
            : "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RAISE EXCEPTION 'no seatmaps'; "
              "END$$; "
              "CREATE TRIGGER refuse_seatmaps BEFORE INSERT ON seatmaps FOR EACH ROW EXECUTE FUNCTION refuse()");
  }
  std::vector<std::string> bodies;
  for (int n = 0; n < 10; ++n) bodies.push_back(n == 5 ? seed("006-seatmap.created.json") : distinct_fee(n));
  const auto results = write_in_one_batch(store, db, bodies);
  CHECK(results[1].batch_committed);
  for (std::size_t i = 0; i < results.size(); ++i) {
    INFO("delivery " << i << ": " << results[i].error);
    CHECK(results[i].stored == (i != 5));
  }
  CHECK_THAT(results[5].error, Catch::Contains("no seatmaps"));
  CHECK(test::count_rows(db, "webhook_events") == 9);
  CHECK(test::count_rows(db, "seat_fees") == 9);
  CHECK(test::count_rows(db, "seatmaps") == 0);
  CHECK(test::count_rows(db, "webhook_events", "event = 'seatmap.created'") == 0);
}

// The batch's dedupe look-up must learn from the batch itself: an event delivered twice in one
// batch is applied once and a duplicate once, as it would be in two batches.
TEST_CASE("an event delivered twice in one batch is applied once and a duplicate once", "[atomicity][postgres]") {
  const auto store = GENERATE(from_range(test::store_kinds()));
  INFO("store: " << store);
  test::TempDir dir;
  const auto db = fresh_database(store, dir);
  const std::vector<std::string> bodies{distinct_fee(0), distinct_fee(1), distinct_fee(2),
                                        distinct_fee(1), distinct_fee(3), distinct_fee(2)};
  const auto results = write_in_one_batch(store, db, bodies);
  std::vector<Outcome> outcomes;
  for (const auto& written : results) {
    INFO(written.error);
    CHECK(written.stored);
    outcomes.push_back(written.result.outcome);
  }
  CHECK(outcomes == std::vector<Outcome>{Outcome::applied, Outcome::applied, Outcome::applied, Outcome::duplicate,
                                         Outcome::applied, Outcome::duplicate});
  CHECK(test::count_rows(db, "webhook_events") == 4);
}

// /healthz probes cannot make the writer commit once each (issue 16: 300 probes tripled a
// concurrent webhook's latency): probes queued in one writer cycle share one answer.
TEST_CASE("health probes queued together cost one heartbeat write, none after a committed batch",
          "[atomicity][postgres]") {
  const auto store = GENERATE(from_range(test::store_kinds()));
  INFO("store: " << store);
  test::TempDir dir;
  const auto db = fresh_database(store, dir);
  DeliveryWriter writer{db, {.busy_timeout_ms = 5000}};
  std::mutex mutex;
  std::vector<bool> answers;
  auto probe = [&] {
    writer.check_health([&](bool writable, std::string) {
      std::lock_guard lock{mutex};
      answers.push_back(writable);
    });
  };
  auto answered = [&] {
    std::lock_guard lock{mutex};
    return answers.size();
  };
  auto submit = [&](const char* name) {
    writer.submit(prepare_delivery(seed(name), std::chrono::system_clock::now()), [](WriteResult) {});
  };
  // The writer waits on another process's lock while a delivery and 100 probes queue behind
  // its first batch: they come in one cycle, whose commit answers all 100.
  auto other = test::hold_write_lock(store, db);
  submit("001-seatfees.created.json");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  submit("002-seatfees.updated.json");
  for (int i = 0; i < 100; ++i) probe();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  other->rollback();
  while (answered() < 100) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK(writer.health_probe_writes() == 0);
  // With nothing else to write, 100 probes cost as many heartbeats as cycles the writer ran
  // while they queued: far fewer than 100.
  for (int i = 0; i < 100; ++i) probe();
  writer.stop();
  CHECK(answers.size() == 200);
  CHECK(std::count(answers.begin(), answers.end(), true) == 200);
  CHECK(writer.health_probe_writes() >= 1);
  CHECK(writer.health_probe_writes() < 50);
}

// The keys a batch locks are gathered up front (add_lock_keys) and taken at once in sorted
// order; a lock taken later for a key not among them would break that order, so every store
// refuses it. Every writer test then proves the engine takes no undeclared lock.
TEST_CASE("a lock not declared with its batch's locks is refused, on both stores", "[atomicity][postgres]") {
  const auto store = GENERATE(from_range(test::store_kinds()));
  INFO("store: " << store);
  test::TempDir dir;
  auto db = open_store(fresh_database(store, dir));
  db->begin_write();
  db->lock_keys({"entity:a", "webhook_event:b"});
  CHECK_NOTHROW(db->lock_key("entity:a"));
  CHECK_THROWS_WITH(db->lock_key("entity:c"), Catch::Contains("not declared"));
  db->rollback();
  db->begin_write();
  CHECK_NOTHROW(db->lock_key("entity:c"));  // nothing declared in this transaction: taken as asked
  db->rollback();
}
