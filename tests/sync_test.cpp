// `seatmirror sync` against a fake Inventory API over HTTPS with its own test CA, on a real
// copy (SQLite, and PostgreSQL where marked) made by replaying the real fixtures or starting
// empty: every kind of drift counted as the issue defines it, seatmaps read over several pages,
// repairs written through the writer and the ledger (rebuild equal to live, a second sync
// adding nothing), `gone` tombstoned only when asked and only after a complete scan, and each
// failure (a refused key, a malformed page) an exit 4 that deletes nothing and shows no key.
#include "read_side/inventory_queries.hpp"
#include "receiver/webhook_client.hpp"
#include "storage/sql_connection.hpp"
#include "tests/support/alert_rules.hpp"
#include "tests/support/fake_inventory_api.hpp"
#include "tests/support/postgres_cluster.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_database.hpp"
#include "tests/support/test_stores.hpp"

#include <fmt/format.h>
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <condition_variable>
#include <csignal>
#include <fstream>
#include <mutex>
#include <thread>

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
  // `replayed`: the copy starts as the fixtures' webhooks left it; else it does not exist yet.
  explicit SyncFixture(const std::string& store = "", bool replayed = true)
      : db(store.empty() ? (dir.path() / "copy.db").string() : store) {
    std::ofstream{dir.path() / "api-key"} << kKey << "\n";
    if (replayed) REQUIRE(replay((std::filesystem::path{SEATMIRROR_FIXTURES_DIR} / "inventory").string()) == 0);
  }

  int replay(const std::string& paths) const {
    return test::run_cli(dir, fmt::format("replay -q --db '{}' {}", db, paths));
  }
  // Writes a webhook delivery to a file of its own and replays it.
  int deliver(const boost::json::object& delivery) const {
    const auto file = dir.path() / fmt::format("delivery-{}.json", std::string{delivery.at("id").as_string()});
    std::ofstream{file} << boost::json::serialize(delivery);
    return replay("'" + file.string() + "'");
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

// Every read-model row of the copy, deleted ones included, as JSON text: equal copies are
// equal row for row. `content_only` leaves out which event wrote a row and its ordering key,
// which differ between a record synced and the same record delivered by webhook.
std::vector<std::string> copy_rows(const std::string& db, bool content_only = false) {
  const auto copy = test::open_for_reading(db);
  std::vector<std::string> rows;
  for (auto kind : {InventoryKind::seat_fees, InventoryKind::seat_classes, InventoryKind::seatmaps}) {
    for (auto& row : list_entities(*copy, kind, {.include_deleted = true, .limit = 100'000})) {
      if (content_only) {
        for (const char* column : {"last_event_id", "order_created", "order_updated_at"}) row.as_object().erase(column);
      }
      rows.push_back(boost::json::serialize(row));
    }
  }
  return rows;
}

std::optional<boost::json::object> entity(const std::string& db, InventoryKind kind, const std::string& id) {
  return find_entity(*test::open_for_reading(db), kind, id);
}

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

TEST_CASE("sync says what it needs: a readable key file, an existing copy for a dry run", "[sync]") {
  SyncFixture fixture;
  test::FakeInventoryApi api{[](const test::FakeRequest&) { return test::FakeAnswer{.body = "[]"}; }};
  CHECK(test::run_cli(fixture.dir, fmt::format("sync --db '{}' --inventory-url {} --api-key-file '{}' --dry-run",
                                               (fixture.dir.path() / "absent.db").string(), api.base_url(),
                                               (fixture.dir.path() / "api-key").string())) == 2);
  CHECK_THAT(fixture.err(), Catch::Contains("absent.db"));
  CHECK(!std::filesystem::exists(fixture.dir.path() / "absent.db"));
  CHECK(
      test::run_cli(fixture.dir, fmt::format("sync --db '{}' --inventory-url {} --api-key-file /nonexistent --dry-run",
                                             fixture.db, api.base_url())) == 2);
  CHECK_THAT(fixture.err(), Catch::Contains("/nonexistent"));
  CHECK(api.requests().empty());
}

TEST_CASE("sync fills an empty copy: the same rows as the webhooks would give, seatmaps over pages", "[sync]") {
  SyncFixture fixture{"", false};
  const auto inventory = fixture_inventory();
  test::FakeInventoryApi api{[&](const test::FakeRequest& r) { return inventory.answer(r); }};
  REQUIRE(fixture.sync(api, "--json") == 0);
  auto report = fixture.report();
  CHECK(report.at("dry_run") == false);
  CHECK(count(report, "seat_fees", "missing") == 3);
  CHECK(count(report, "seat_fees", "repaired") == 3);
  CHECK(count(report, "seat_classes", "repaired") == 2);
  CHECK(count(report, "seatmaps", "repaired") == 2);
  CHECK(test::count_rows(fixture.db, "webhook_events", "event LIKE '%.synced'") == 7);

  SyncFixture by_webhook;  // the same records, delivered as the fixtures' webhooks
  CHECK(copy_rows(fixture.db, true) == copy_rows(by_webhook.db, true));
  const auto seatmap =
      entity(fixture.db, InventoryKind::seatmaps, std::string{inventory.seatmaps[0].at("_id").as_string()});
  REQUIRE(seatmap);
  CHECK(!seatmap->at("layout").is_null());  // laid out as a webhook's would be

  REQUIRE(fixture.sync(api, "--json") == 0);  // a second sync: all in sync, nothing recorded
  report = fixture.report();
  CHECK(count(report, "seatmaps", "in_sync") == 2);
  CHECK(count(report, "seat_fees", "repaired") == 0);
  CHECK(fixture.ledger_rows() == 7);
}

TEST_CASE("sync repairs a lost update through the ledger, leaves ahead alone, and rebuild equals live",
          "[sync][postgres]") {
  const auto store = GENERATE(from_range(test::store_kinds()));
  INFO("store: " << store);
  SyncFixture fixture{test::fresh_store(store)};
  auto inventory = fixture_inventory();
  auto& lost = inventory.fees[1].as_object();  // an update whose webhook never arrived
  set_updated_at(lost, "2030-01-01T00:00:00.000Z");
  lost["name"] = "Window, renamed";
  set_updated_at(inventory.fees[2].as_object(), "2001-01-01T00:00:00.000Z");  // the copy is newer: ahead
  const std::string lost_id{lost.at("_id").as_string()}, ahead_id{inventory.fees[2].at("_id").as_string()};
  const auto ahead_before = entity(fixture.db, InventoryKind::seat_fees, ahead_id);
  test::FakeInventoryApi api{[&](const test::FakeRequest& r) { return inventory.answer(r); }};

  REQUIRE(fixture.sync(api, "--json") == 0);
  const auto report = fixture.report();
  CHECK(count(report, "seat_fees", "behind") == 1);
  CHECK(count(report, "seat_fees", "repaired") == 1);
  CHECK(count(report, "seat_fees", "ahead") == 1);
  CHECK(entity(fixture.db, InventoryKind::seat_fees, lost_id)->at("name") == "Window, renamed");
  CHECK(entity(fixture.db, InventoryKind::seat_fees, ahead_id) == ahead_before);
  CHECK(fixture.ledger_rows() == 8);
  CHECK(test::count_rows(
            fixture.db, "webhook_events",
            fmt::format("event = 'seatfees.synced' AND entity_id = '{}' AND outcome = 'applied'", lost_id)) == 1);

  const auto live = copy_rows(fixture.db);
  REQUIRE(test::run_cli(fixture.dir, fmt::format("rebuild --db '{}'", fixture.db)) == 0);
  CHECK(copy_rows(fixture.db) == live);

  REQUIRE(fixture.sync(api, "--json") == 0);  // a second sync adds no ledger row
  CHECK(count(fixture.report(), "seat_fees", "in_sync") == 2);
  CHECK(fixture.ledger_rows() == 8);
}

TEST_CASE("sync tombstones gone records only with --delete-missing, and never after an incomplete scan",
          "[sync][postgres]") {
  const auto store = GENERATE(from_range(test::store_kinds()));
  INFO("store: " << store);
  SyncFixture fixture{test::fresh_store(store)};
  auto inventory = fixture_inventory();
  const std::string gone_class{inventory.classes[1].at("_id").as_string()};
  const std::string gone_seatmap{inventory.seatmaps[1].at("_id").as_string()};
  inventory.classes.erase(inventory.classes.begin() + 1);
  inventory.seatmaps.erase(inventory.seatmaps.begin() + 1);
  bool seatmaps_fail = false;
  test::FakeInventoryApi api{[&](const test::FakeRequest& r) {
    if (seatmaps_fail && r.target.starts_with("/inventory/seatmaps")) return test::FakeAnswer{.body = "{}"};
    return inventory.answer(r);
  }};
  const auto deleted = [&](InventoryKind kind, const std::string& id) {
    return entity(fixture.db, kind, id)->at("deleted").as_int64() == 1;
  };

  CHECK(fixture.sync(api, "--json") == 1);  // gone, and kept: drift is left
  CHECK(count(fixture.report(), "seat_classes", "gone") == 1);
  CHECK(count(fixture.report(), "seatmaps", "gone") == 1);
  CHECK(!deleted(InventoryKind::seat_classes, gone_class));

  seatmaps_fail = true;  // the seatmap listing breaks: the scan is incomplete
  CHECK(fixture.sync(api, "--json --delete-missing") == 4);
  CHECK(fixture.report().at("complete") == false);
  CHECK(!deleted(InventoryKind::seat_classes, gone_class));
  CHECK(!deleted(InventoryKind::seatmaps, gone_seatmap));
  CHECK(fixture.ledger_rows() == 7);

  seatmaps_fail = false;
  REQUIRE(fixture.sync(api, "--json --delete-missing") == 0);
  CHECK(count(fixture.report(), "seat_classes", "repaired") == 1);
  CHECK(deleted(InventoryKind::seat_classes, gone_class));
  CHECK(deleted(InventoryKind::seatmaps, gone_seatmap));
  CHECK(entity(fixture.db, InventoryKind::seat_classes, gone_class)->at("name") != nullptr);  // its content kept
  CHECK(test::count_rows(fixture.db, "webhook_events", "event IN ('seatclass.gone', 'seatmap.gone')") == 2);

  const auto live = copy_rows(fixture.db);
  REQUIRE(test::run_cli(fixture.dir, fmt::format("rebuild --db '{}'", fixture.db)) == 0);
  CHECK(copy_rows(fixture.db) == live);
  REQUIRE(fixture.sync(api, "--json --delete-missing") == 0);  // tombstoned once
  CHECK(fixture.ledger_rows() == 9);
}

TEST_CASE("a record the rules refuse is recorded once as a sync rejection, and the rest is applied", "[sync]") {
  SyncFixture fixture;
  auto inventory = fixture_inventory();
  auto refused = inventory.fees[0].as_object();
  refused["_id"] = "6744a1b2c3d4e5f6a7b8c0aa";
  refused["value"] = 0;  // a fee must be worth at least 0.01
  inventory.fees.push_back(refused);
  auto fine = inventory.fees[0].as_object();
  fine["_id"] = "6744a1b2c3d4e5f6a7b8c0ab";
  inventory.fees.push_back(fine);
  test::FakeInventoryApi api{[&](const test::FakeRequest& r) { return inventory.answer(r); }};

  CHECK(fixture.sync(api, "--json") == 1);  // the refused record is drift left
  const auto report = fixture.report();
  CHECK(count(report, "seat_fees", "invalid") == 1);
  CHECK(count(report, "seat_fees", "repaired") == 1);
  CHECK_THAT(boost::json::serialize(report.at("notes")), Catch::Contains("data.value"));
  CHECK(entity(fixture.db, InventoryKind::seat_fees, "6744a1b2c3d4e5f6a7b8c0ab"));
  CHECK(!entity(fixture.db, InventoryKind::seat_fees, "6744a1b2c3d4e5f6a7b8c0aa"));
  CHECK(test::count_rows(fixture.db, "rejected_events", "source = 'inventory_sync' AND field = 'data.value'") == 1);
  CHECK(fixture.sync(api, "--json") == 1);
  CHECK(test::count_rows(fixture.db, "rejected_events") == 1);  // refused again, recorded once
}

TEST_CASE("a sync the API refuses writes nothing and exits 4", "[sync]") {
  SyncFixture fixture;
  test::FakeInventoryApi api{[](const test::FakeRequest&) { return test::FakeAnswer{.status = 401}; }};
  const auto before = copy_rows(fixture.db);
  CHECK(fixture.sync(api, "--json --delete-missing") == 4);
  CHECK(copy_rows(fixture.db) == before);
  CHECK(fixture.ledger_rows() == 7);
  CHECK_THAT(fixture.out() + fixture.err(), !Catch::Contains(kKey));
}

namespace {

// A webhook for `record` as Betterez would send it after saving it.
std::string webhook_for(const char* event, const boost::json::object& record, std::int64_t created, int serial) {
  return boost::json::serialize(boost::json::object{{"id", fmt::format("00000000-0000-4000-8000-{:012}", serial)},
                                                    {"attemptId", "a"},
                                                    {"created", created},
                                                    {"event", event},
                                                    {"livemode", true},
                                                    {"data", record}});
}

}  // namespace

TEST_CASE("serve --sync-every fills an empty copy while webhooks arrive, ending with the newest version of each",
          "[sync][postgres]") {
  const auto store = GENERATE(from_range(test::store_kinds()));
  INFO("store: " << store);
  test::TempDir dir;
  std::ofstream{dir.path() / "api-key"} << kKey << "\n";
  const auto inventory = fixture_inventory();
  // The sync reads fees and classes, then waits at the first seatmap page until the webhooks
  // below have been answered: they arrive in the middle of it.
  std::mutex mutex;
  std::condition_variable changed;
  bool fees_listed = false, webhooks_sent = false;
  test::FakeInventoryApi api{[&](const test::FakeRequest& r) {
    std::unique_lock lock{mutex};
    if (r.target.starts_with("/inventory/seat-fees")) fees_listed = true;
    changed.notify_all();
    if (r.target.starts_with("/inventory/seatmaps")) {
      changed.wait_for(lock, std::chrono::seconds{10}, [&] { return webhooks_sent; });
    }
    return inventory.answer(r);
  }};
  test::ServerProcess server{dir,
                             {"--sync-every", "3s", "--inventory-url", api.base_url(), "--api-key-file",
                              (dir.path() / "api-key").string(), "--inventory-ca-file", api.ca_file().string()},
                             test::fresh_store(store)};
  const auto db = server.db_path().string();
  {
    std::unique_lock lock{mutex};
    REQUIRE(changed.wait_for(lock, std::chrono::seconds{10}, [&] { return fees_listed; }));
  }
  receiver::WebhookClient client{server.webhook_url(), {.insecure = true}};
  auto newer_fee = inventory.fees[0].as_object();  // changed after the API listed it
  newer_fee["name"] = "Fee, changed during the sync";
  set_updated_at(newer_fee, "2031-01-01T00:00:00.000Z");
  auto newer_seatmap = inventory.seatmaps[1].as_object();  // changed before the API lists it
  newer_seatmap["name"] = "Seatmap, changed during the sync";
  set_updated_at(newer_seatmap, "2031-01-01T00:00:00.000Z");
  auto older_class = inventory.classes[0].as_object();  // a late webhook for an old change
  older_class["name"] = "An old name";
  set_updated_at(older_class, "2000-01-01T00:00:00.000Z");
  CHECK(client.post_webhook(webhook_for("seatfees.updated", newer_fee, 1924992000, 1), test::kTestSecret).result() ==
        boost::beast::http::status::ok);
  CHECK(client.post_webhook(webhook_for("seatmap.updated", newer_seatmap, 1924992000, 2), test::kTestSecret).result() ==
        boost::beast::http::status::ok);
  CHECK(client.post_webhook(webhook_for("seatclass.updated", older_class, 946684800, 3), test::kTestSecret).result() ==
        boost::beast::http::status::ok);
  {
    std::lock_guard lock{mutex};
    webhooks_sent = true;
  }
  changed.notify_all();

  // The first run ends; /healthz names it.
  boost::json::value last_sync;
  for (int i = 0; i < 100 && !last_sync.is_object(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds{100});
    const auto answer = client.send({boost::beast::http::verb::get, "/healthz", 11});
    last_sync = boost::json::parse(answer.body()).as_object().at("last_sync");
  }
  INFO(test::read_file(dir.path() / "server.err"));
  REQUIRE(last_sync.is_object());
  CHECK(last_sync.at("result") == "repaired");  // the first run; the next is 3 s later

  const auto name = [&](InventoryKind kind, const boost::json::value& record) {
    return entity(db, kind, std::string{record.at("_id").as_string()})->at("name");
  };
  CHECK(name(InventoryKind::seat_fees, inventory.fees[0]) == "Fee, changed during the sync");
  CHECK(name(InventoryKind::seat_fees, inventory.fees[1]) == inventory.fees[1].at("name"));
  CHECK(name(InventoryKind::seat_classes, inventory.classes[0]) == inventory.classes[0].at("name"));
  CHECK(name(InventoryKind::seatmaps, inventory.seatmaps[0]) == inventory.seatmaps[0].at("name"));
  CHECK(name(InventoryKind::seatmaps, inventory.seatmaps[1]) == "Seatmap, changed during the sync");
  CHECK(copy_rows(db).size() == 7);

  const auto metrics = client.send({boost::beast::http::verb::get, "/metrics", 11}).body();
  CHECK_THAT(metrics, Catch::Contains(R"(seatmirror_sync_runs_total{result="repaired"} 1)") &&
                          Catch::Contains(R"(seatmirror_sync_drift{family="seatmaps",kind="ahead"} 1)") &&
                          Catch::Contains(R"(seatmirror_sync_runs_total{result="failed"} 0)") &&
                          Catch::Contains("seatmirror_sync_last_success_timestamp_seconds 1"));
  for (const auto& series : test::metrics_named_in_alert_rules()) {  // the alert rules' sync series exist
    if (series.starts_with("seatmirror_sync_")) CHECK_THAT(metrics, Catch::Contains("# TYPE " + series + " "));
  }
  CHECK(server.stop(SIGTERM) == 0);
}

TEST_CASE("two receivers on one PostgreSQL: one syncs at a time, the other skips its turn", "[sync][postgres]") {
  if (const auto why = test::PostgresCluster::unavailable_reason()) {
    WARN("skipped: " << *why);
    return;
  }
  test::TempDir dir_a, dir_b;
  for (const auto* dir : {&dir_a, &dir_b}) std::ofstream{dir->path() / "api-key"} << kKey << "\n";
  const auto inventory = fixture_inventory();
  test::FakeInventoryApi api{[&](const test::FakeRequest& r) {
    // Each run takes a second and a half: the two receivers' runs would overlap.
    if (r.target.starts_with("/inventory/seatmaps")) std::this_thread::sleep_for(std::chrono::milliseconds{750});
    return inventory.answer(r);
  }};
  const auto db = test::fresh_store(test::kPostgres);
  const auto serve = [&](const test::TempDir& dir) {
    return std::make_unique<test::ServerProcess>(
        dir,
        std::vector<std::string>{"--sync-every", "2s", "--inventory-url", api.base_url(), "--api-key-file",
                                 (dir.path() / "api-key").string(), "--inventory-ca-file", api.ca_file().string()},
        db);
  };
  auto a = serve(dir_a);
  auto b = serve(dir_b);
  std::this_thread::sleep_for(std::chrono::seconds{7});
  const auto runs = [](const test::ServerProcess& server, const char* result) {
    receiver::WebhookClient client{server.webhook_url(), {.insecure = true}};
    const auto metrics = client.send({boost::beast::http::verb::get, "/metrics", 11}).body();
    const auto series = fmt::format("seatmirror_sync_runs_total{{result=\"{}\"}} ", result);
    const auto at = metrics.find(series);
    return at == std::string::npos ? -1 : std::stoi(metrics.substr(at + series.size()));
  };
  CHECK(runs(*a, "skipped") + runs(*b, "skipped") >= 1);
  CHECK(runs(*a, "failed") + runs(*b, "failed") == 0);
  CHECK(runs(*a, "repaired") + runs(*b, "repaired") == 1);  // the inventory was loaded once
  CHECK(copy_rows(db).size() == 7);
  CHECK(test::count_rows(db, "webhook_events") == 7);
}
