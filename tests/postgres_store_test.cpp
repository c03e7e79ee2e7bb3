// The PostgreSQL store (issue 11) against a private cluster started by the test: the same
// engine, projectors and seat rules as SQLite, through the same storage seam, must leave the
// same rows (read models, views, ledger, seat events), and two connections working at once
// must keep dedupe and ordering exact.
#include "layout/seat_layout_json.hpp"
#include "projection/delivery_writer.hpp"
#include "projection/projection_engine.hpp"
#include "read_side/inventory_queries.hpp"
#include "read_side/seat_usage.hpp"
#include "receiver/webhook_client.hpp"
#include "storage/database.hpp"
#include "storage/postgres_database.hpp"
#include "storage/sqlite_connection.hpp"
#include "storage/store.hpp"
#include "tests/support/postgres_cluster.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/seat_view_check.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_database.hpp"

#include <fmt/format.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <random>
#include <set>
#include <thread>

using namespace seatmirror;

namespace {

// Every row of `table` as text (NULL marked), ordered by all columns, read through the seam
// so that both stores are read by the same code.
std::vector<std::string> rows_of(sql::Connection& db, const std::string& table, const std::string& columns = "*") {
  auto probe = db.prepare(fmt::format("SELECT {} FROM {}", columns, table));
  std::vector<std::string> rows;
  while (probe->step()) {
    std::string row;
    for (int i = 0; i < probe->column_count(); ++i) {
      switch (probe->column_type(i)) {
        case sql::ColumnType::null:
          row += "NULL";
          break;
        case sql::ColumnType::integer:
          row += std::to_string(probe->column_int64(i));
          break;
        case sql::ColumnType::real:
          row += fmt::format("{}", probe->column_double(i));
          break;
        default:
          row += probe->column_text(i);
      }
      row += '|';
    }
    rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

void deliver_each(sql::Connection& db, const std::vector<std::string>& bodies) {
  ProjectionEngine engine{db};
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    sql::WriteTransaction transaction{db};
    engine.apply(bodies[i], fmt::format("2026-11-26T10:00:{:02}.000Z", i % 60));
    transaction.commit();
  }
}

// A private cluster and an SQLite reference file, side by side.
struct BothStores {
  test::PostgresCluster cluster;
  test::TempDir dir;
  SQLite::Database sqlite_file = open_database(dir.path() / "reference.db");
  sql::SqliteConnection sqlite{sqlite_file};
  std::unique_ptr<sql::PostgresConnection> postgres = open_postgres(cluster.url());
};

// `count` updates of `fees` seat fees, round robin, each with its own event id, a `created`
// later than the one before, and the name "version N": fee k ends at the last N with N % fees == k.
std::vector<std::string> fee_versions(int count, int fees) {
  const auto seed =
      boost::json::parse(test::read_file(test::fixtures_dir() / "seeds" / "001-seatfees.created.json")).as_object();
  std::vector<std::string> bodies;
  for (int n = 0; n < count; ++n) {
    auto body = seed;
    body["id"] = fmt::format("00000000-0000-4000-8000-{:012x}", n);
    body["created"] = 1'764'000'000 + n;
    body["data"].as_object()["_id"] = fmt::format("{:024x}", n % fees);
    body["data"].as_object()["name"] = fmt::format("version {}", n);
    bodies.push_back(boost::json::serialize(body));
  }
  return bodies;
}

}  // namespace

TEST_CASE("PostgreSQL: the same rules leave the same rows as SQLite, views and rebuild included", "[postgres]") {
  SKIP_WITHOUT_POSTGRES();
  BothStores stores;
  auto& sqlite = stores.sqlite;
  auto& postgres = stores.postgres;
  CHECK(postgres->schema_version() == postgres_migrations().back().version);

  std::vector<std::string> bodies;
  for (const auto& scenario : test::load_scenarios())
    bodies.insert(bodies.end(), scenario.deliveries.begin(), scenario.deliveries.end());
  REQUIRE(bodies.size() > 20);
  deliver_each(sqlite, bodies);
  deliver_each(*postgres, bodies);
  for (const auto* table : {"seat_fees", "seat_classes", "seatmaps", "seatmap_sections", "seatmap_facilities",
                            "seatmap_seats", "webhook_events", "rejected_events"}) {
    INFO(table);
    const auto expected = rows_of(sqlite, table);
    CHECK(expected.size() > 0);
    CHECK(rows_of(*postgres, table) == expected);
  }
  // Every read the commands and the API make answers the same, filters bound or not.
  for (const EventFilter& filter :
       {EventFilter{}, EventFilter{.since = "2026-11-26T10:00:30.000Z"}, EventFilter{.outcome = "applied"},
        EventFilter{.entity_id = "667c46598d5daa05239b40db", .limit = 3}}) {
    CHECK(list_events(*postgres, filter) == list_events(sqlite, filter));
  }
  CHECK(list_rejected(*postgres) == list_rejected(sqlite));
  for (const auto kind : {InventoryKind::seat_fees, InventoryKind::seat_classes, InventoryKind::seatmaps}) {
    CHECK(list_entities(*postgres, kind, {.include_deleted = true}) ==
          list_entities(sqlite, kind, {.include_deleted = true}));
  }
  // rebuild on PostgreSQL reproduces what live projection wrote.
  const auto live = rows_of(*postgres, "seatmaps");
  postgres->exec("UPDATE seatmaps SET layout = '[]', name = 'damaged'");
  const auto report = rebuild_read_models(*postgres);
  CHECK(report.changed_outcomes == 0);
  CHECK(rows_of(*postgres, "seatmaps") == live);
}

TEST_CASE("PostgreSQL: seat events supersede and rebuild the same way as on SQLite", "[postgres]") {
  SKIP_WITHOUT_POSTGRES();
  BothStores stores;
  auto& sqlite = stores.sqlite;
  auto& postgres = stores.postgres;
  const auto root = test::fixtures_dir() / "seat-usage" / "scenarios";
  std::vector<std::string> posts;
  for (const auto* name : {"supersede", "retries", "out-of-order", "month"}) {
    std::vector<std::filesystem::path> files;
    for (const auto& file : std::filesystem::directory_iterator{root / name}) {
      if (file.path().filename() != "expected.json") files.push_back(file.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) posts.push_back(test::read_file(file));
  }
  for (auto* db : std::vector<sql::Connection*>{&sqlite, postgres.get()}) {
    ProjectionEngine engine{*db};
    for (const auto& body : posts) {
      sql::WriteTransaction transaction{*db};
      SeatEventPost post{body, "2026-11-26T10:00:00.000Z", decode_seat_event(body), {}};
      engine.apply(post);
      transaction.commit();
    }
  }
  // Ids are fresh UUIDv7s in each store: compare what the rules decide, not the random parts.
  const std::string columns =
      "customer_event_id, customer_alias, seat_type, event_timestamp, total, "
      "superseded_by IS NULL AS current, body";
  CHECK(rows_of(*postgres, "seat_events", columns) == rows_of(sqlite, "seat_events", columns));
  // The usage figures and the event lists the API and `seats usage` give, filters bound or not.
  // Ids are random; customer event ids (null for events sent without one) are what the rules keep.
  auto customer_event_ids = [](sql::Connection& db, const SeatEventFilter& filter) {
    std::vector<std::string> ids;
    for (const auto& row : list_seat_events(db, filter))
      ids.push_back(boost::json::serialize(row.at("customer_event_id")));
    return ids;
  };
  for (const SeatEventFilter& filter :
       {SeatEventFilter{}, SeatEventFilter{.customer = "acme"}, SeatEventFilter{.seat_type = "admin"}}) {
    const auto expected = customer_event_ids(sqlite, filter);
    CHECK(!expected.empty());
    CHECK(customer_event_ids(*postgres, filter) == expected);
  }
  for (const auto& type : std::vector<std::optional<std::string>>{std::nullopt, "admin"}) {
    const UsageQuery query{"acme", type, "2024-01-01T00:00:00.000Z", "2025-01-01T00:00:00.000Z"};
    const auto expected = seat_usage(sqlite, query);
    CHECK(!expected.empty());
    CHECK(seat_usage(*postgres, query) == expected);
  }
  const auto before = rows_of(*postgres, "seat_events");
  rebuild_read_models(*postgres);
  CHECK(rows_of(*postgres, "seat_events") == before);
}

TEST_CASE("PostgreSQL: a batch's locks taken at once are the locks lock_key takes, whatever the keys hold",
          "[postgres]") {
  SKIP_WITHOUT_POSTGRES();
  test::PostgresCluster cluster;
  sql::PostgresConnection holder{cluster.url()}, other{cluster.url()};
  // Event ids come from the network: quotes, backslashes, commas and braces must reach the
  // lock as they are, or two receivers would lock different keys for one event.
  const std::vector<std::string> keys{"webhook_event:plain",  R"(webhook_event:"quoted")",
                                      R"(entity:back\slash)", "entity:{a,b}",
                                      "entity: spaced ",      "customer_event:\u00e9t\u00e9"};
  holder.begin_write();
  holder.lock_keys(keys);
  const auto try_lock = other.prepare("SELECT pg_try_advisory_xact_lock(hashtextextended(?, 0))");
  other.begin_write();
  for (const auto& key : keys) {
    INFO(key);
    try_lock->bind(1, key);
    REQUIRE(try_lock->step());
    CHECK(try_lock->column_text(0) == "f");  // held by the batch
    try_lock->reset();
  }
  holder.lock_key(keys[1]);  // already held: no round trip, no error
  holder.commit();
  other.rollback();
  other.begin_write();
  try_lock->bind(1, keys[1]);
  REQUIRE(try_lock->step());
  CHECK(try_lock->column_text(0) == "t");  // released with the batch's transaction
  try_lock->reset();
  other.rollback();
}

TEST_CASE("PostgreSQL: two connections at once keep dedupe and ordering exact", "[postgres]") {
  SKIP_WITHOUT_POSTGRES();
  test::PostgresCluster cluster;
  open_postgres(cluster.url());  // the schema, once
  // 300 updates of 10 seat fees, each with its own event id and a later `created` than the
  // one before. Two writers apply all of them, one in order and one in reverse, at once, each
  // delivery in its own transaction: every event must be applied once and be a duplicate
  // once, and each fee must end in the state of its newest event.
  const auto bodies = fee_versions(300, 10);
  auto writer = [&](bool reversed, std::vector<Outcome>& outcomes) {
    auto db = open_postgres(cluster.url());
    ProjectionEngine engine{*db};
    auto mine = bodies;
    if (reversed) std::reverse(mine.begin(), mine.end());
    for (const auto& body : mine) {
      sql::WriteTransaction transaction{*db};
      outcomes.push_back(engine.apply(body, "2026-11-26T10:00:00.000Z").outcome);
      transaction.commit();
    }
  };
  std::vector<Outcome> first, second;
  std::thread a{writer, false, std::ref(first)};
  std::thread b{writer, true, std::ref(second)};
  a.join();
  b.join();
  auto postgres = open_postgres(cluster.url());
  const auto duplicates = std::count(first.begin(), first.end(), Outcome::duplicate) +
                          std::count(second.begin(), second.end(), Outcome::duplicate);
  CHECK(duplicates == 300);
  CHECK(rows_of(*postgres, "webhook_events", "id").size() == 300);
  const auto fees = rows_of(*postgres, "seat_fees", "id, name");
  REQUIRE(fees.size() == 10);
  for (int k = 0; k < 10; ++k) {
    CHECK(fees[static_cast<std::size_t>(k)] == fmt::format("{:024x}|version {}|", k, 290 + k));
  }
  // The writers really overlapped: each saw some of the other's events as duplicates.
  CHECK(std::count(first.begin(), first.end(), Outcome::duplicate) > 0);
  CHECK(std::count(second.begin(), second.end(), Outcome::duplicate) > 0);
}

TEST_CASE(
    "PostgreSQL: two receivers take the fixtures at once and end as one SQLite receiver does, and either answers "
    "the read API",
    "[postgres][e2e]") {
  SKIP_WITHOUT_POSTGRES();
  test::PostgresCluster cluster;
  test::TempDir first_dir, second_dir, sqlite_dir;
  for (const auto* dir : {&first_dir, &second_dir})
    std::ofstream{dir->path() / "read-tokens"} << "reader-token-00000001\n";
  auto read_tokens = [](const test::TempDir& dir) {
    return std::vector<std::string>{"--read-token-file", (dir.path() / "read-tokens").string()};
  };
  test::ServerProcess first{first_dir, read_tokens(first_dir), cluster.url()};
  test::ServerProcess second{second_dir, read_tokens(second_dir), cluster.url()};
  test::ServerProcess reference{sqlite_dir};
  // Every fixture delivery goes to both PostgreSQL receivers at once, and once to the SQLite one.
  auto replay_to = [](const test::TempDir& dir, const test::ServerProcess& server) {
    return test::run_cli(dir,
                         fmt::format("replay -q --to {} --insecure --secret-file '{}' '{}'", server.webhook_url(),
                                     server.secret_file().string(), (test::fixtures_dir() / "inventory").string()));
  };
  int first_exit = -1, second_exit = -1;
  std::thread a{[&] { first_exit = replay_to(first_dir, first); }};
  std::thread b{[&] { second_exit = replay_to(second_dir, second); }};
  a.join();
  b.join();
  CHECK(first_exit == 0);
  CHECK(second_exit == 0);
  REQUIRE(replay_to(sqlite_dir, reference) == 0);

  auto postgres = open_postgres(cluster.url());
  auto sqlite_file = std::make_unique<SQLite::Database>(reference.db_path().string(), SQLite::OPEN_READONLY);
  sql::SqliteConnection reference_db{*sqlite_file};
  for (const auto* table : {"seat_fees", "seat_classes", "seatmaps", "seatmap_sections", "seatmap_seats"}) {
    INFO(table);
    CHECK(rows_of(*postgres, table) == rows_of(reference_db, table));
  }
  // Each event once in the shared ledger, though both receivers got all of them.
  CHECK(rows_of(*postgres, "webhook_events", "id") == rows_of(reference_db, "webhook_events", "id"));

  receiver::WebhookClient from_first{first.base_url(), {.insecure = true}};
  receiver::WebhookClient from_second{second.base_url(), {.insecure = true}};
  auto list = [](receiver::WebhookClient& client) {
    receiver::WebhookClient::Request request{boost::beast::http::verb::get, "/v1/seatmaps", 11};
    request.set(boost::beast::http::field::authorization, "Bearer reader-token-00000001");
    const auto response = client.send(std::move(request));
    CHECK(response.result_int() == 200);
    return response.body();
  };
  const auto seatmaps = list(from_first);
  CHECK(seatmaps == list(from_second));
  CHECK(boost::json::parse(seatmaps).at("items").as_array().size() > 0);

  // The commands take the same URL.
  const auto db = "--db '" + cluster.url() + "'";
  REQUIRE(test::run_cli(first_dir, "query seatmaps --json " + db) == 0);
  CHECK(boost::json::parse(test::read_file(first_dir.path() / "cli.out")).as_array().size() ==
        boost::json::parse(seatmaps).at("items").as_array().size());
  REQUIRE(test::run_cli(first_dir, "rebuild " + db) == 0);
  CHECK(rows_of(*postgres, "seatmaps") == rows_of(reference_db, "seatmaps"));
  REQUIRE(test::run_cli(first_dir, "stats " + db) == 0);
  CHECK_THAT(test::read_file(first_dir.path() / "cli.out"),
             Catch::Contains(fmt::format("schema version {}", postgres_migrations().back().version)));
}

TEST_CASE("PostgreSQL stopped and started under load: 503 while it is down, no 2xx lost, recovery without a restart",
          "[postgres][e2e]") {
  SKIP_WITHOUT_POSTGRES();
  test::PostgresCluster cluster;
  test::TempDir dir;
  std::ofstream{dir.path() / "read-tokens"} << "reader-token-00000001\n";
  test::ServerProcess server{dir, {"--read-token-file", (dir.path() / "read-tokens").string()}, cluster.url()};
  const auto seed =
      boost::json::parse(test::read_file(test::fixtures_dir() / "seeds" / "001-seatfees.created.json")).as_object();
  std::atomic<bool> stop{false};
  std::atomic<int> refused{0};
  std::vector<std::string> acknowledged;
  std::thread sender{[&] {
    receiver::WebhookClient client{server.webhook_url(), {.insecure = true, .timeout = std::chrono::seconds{30}}};
    for (int n = 0; !stop; ++n) {
      auto body = seed;
      body["id"] = fmt::format("00000000-0000-4000-8000-{:012x}", n);
      body["data"].as_object()["_id"] = fmt::format("{:024x}", n);
      const auto status = client.post_webhook(boost::json::serialize(body), test::kTestSecret).result_int();
      if (status == 200) acknowledged.push_back(std::string{body["id"].as_string()});
      if (status == 503) ++refused;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }};
  auto health = [&] {
    receiver::WebhookClient client{server.base_url(), {.insecure = true}};
    return client.send({boost::beast::http::verb::get, "/healthz", 11}).result_int();
  };
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  cluster.stop();
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  CHECK(health() == 503);
  const auto acknowledged_before_restart = acknowledged.size();
  cluster.start();
  // Recovery by itself: acknowledgements resume without touching the receiver.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (acknowledged.size() < acknowledged_before_restart + 20 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  stop = true;
  sender.join();
  CHECK(refused > 0);
  CHECK(acknowledged.size() >= acknowledged_before_restart + 20);
  CHECK(health() == 200);
  {
    // The read side reopens its connections too.
    receiver::WebhookClient client{server.base_url(), {.insecure = true}};
    receiver::WebhookClient::Request read{boost::beast::http::verb::get, "/v1/seat-fees?limit=1", 11};
    read.set(boost::beast::http::field::authorization, "Bearer reader-token-00000001");
    CHECK(client.send(std::move(read)).result_int() == 200);
  }
  auto postgres = open_postgres(cluster.url());
  const auto stored = rows_of(*postgres, "webhook_events", "id");
  std::size_t missing = 0;
  for (const auto& id : acknowledged) missing += !std::binary_search(stored.begin(), stored.end(), id + "|");
  CHECK(missing == 0);
  CHECK(server.stop(SIGTERM) == 0);
}

TEST_CASE(
    "PostgreSQL crash loop: one of two receivers is SIGKILLed under load again and again while the other keeps "
    "serving, and every 2xx is in the ledger once and rebuild equals live",
    "[postgres][e2e]") {
  SKIP_WITHOUT_POSTGRES();
  test::PostgresCluster cluster;
  test::TempDir steady_dir, killed_dir;
  test::ServerProcess steady{steady_dir, {}, cluster.url()};
  auto killed = std::make_unique<test::ServerProcess>(killed_dir, std::vector<std::string>{}, cluster.url());
  std::mutex mutex;
  std::set<std::string> acknowledged;
  std::string killed_url = killed->webhook_url();
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> serial{0};
  std::atomic<int> acknowledged_by_steady{0};
  const auto seed =
      boost::json::parse(test::read_file(test::fixtures_dir() / "seeds" / "001-seatfees.created.json")).as_object();
  auto sender = [&](bool to_killed, std::uint64_t seed_value) {
    std::mt19937_64 random{seed_value};
    while (!stop) {
      const auto url = [&] {
        std::lock_guard lock{mutex};
        return to_killed ? killed_url : steady.webhook_url();
      }();
      try {
        receiver::WebhookClient client{url, {.insecure = true, .timeout = std::chrono::seconds{5}}};
        while (!stop) {
          auto body = seed;  // updates of 20 fees with random ordering keys: many arrive out of order
          const auto n = serial++;
          body["id"] = fmt::format("c0000000-0000-4000-8000-{:012x}", n);
          body["created"] = 1'700'000'000 + static_cast<std::int64_t>(random() % 100'000);
          body["data"].as_object()["_id"] = fmt::format("{:024x}", 0xfee000 + random() % 20);
          const auto response = client.post_webhook(boost::json::serialize(body), test::kTestSecret);
          if (response.result_int() != 200) continue;
          std::lock_guard lock{mutex};
          acknowledged.emplace(body["id"].as_string());
          if (!to_killed) ++acknowledged_by_steady;
        }
      } catch (const std::exception&) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the receiver died: find it again
      }
    }
  };
  std::vector<std::thread> senders;
  for (int i = 0; i < 4; ++i) senders.emplace_back(sender, i % 2 == 0, 1000u + static_cast<unsigned>(i));
  std::mt19937_64 random{42};
  int steady_during_kills = 0;
  for (int round = 0; round < 4; ++round) {
    std::this_thread::sleep_for(std::chrono::milliseconds(300 + random() % 400));
    const int before = acknowledged_by_steady;
    killed->stop(SIGKILL);
    killed.reset();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    steady_during_kills += acknowledged_by_steady - before;
    killed = std::make_unique<test::ServerProcess>(killed_dir, std::vector<std::string>{}, cluster.url());
    std::lock_guard lock{mutex};
    killed_url = killed->webhook_url();
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  stop = true;
  for (auto& thread : senders) thread.join();
  CHECK(steady_during_kills > 0);  // the other receiver kept acknowledging while one was down
  REQUIRE(acknowledged.size() > 50);
  auto postgres = open_postgres(cluster.url());
  const auto ledger = rows_of(*postgres, "webhook_events", "id");
  std::size_t missing = 0;
  for (const auto& id : acknowledged) missing += !std::binary_search(ledger.begin(), ledger.end(), id + "|");
  CHECK(missing == 0);
  CHECK(std::adjacent_find(ledger.begin(), ledger.end()) == ledger.end());  // each once
  const auto live = rows_of(*postgres, "seat_fees");
  rebuild_read_models(*postgres);
  CHECK(rows_of(*postgres, "seat_fees") == live);
  CHECK(steady.stop(SIGTERM) == 0);
}

TEST_CASE(
    "PostgreSQL behind HAProxy: two receivers take replay --to of the fixtures through the balancer and the "
    "database equals what one SQLite receiver produces",
    "[postgres][e2e]") {
  SKIP_WITHOUT_POSTGRES();
  if (std::system("command -v haproxy >/dev/null") != 0) {
    WARN("skipped: haproxy is not installed (apt-get install haproxy)");
    return;
  }
  test::PostgresCluster cluster;
  test::TempDir first_dir, second_dir, sqlite_dir, balancer_dir;
  test::ServerProcess first{first_dir, {}, cluster.url()};
  test::ServerProcess second{second_dir, {}, cluster.url()};
  test::ServerProcess reference{sqlite_dir};
  auto port_of = [](const test::ServerProcess& server) {
    return server.base_url().substr(server.base_url().rfind(':') + 1);
  };
  // A free loopback port for the balancer: bind one, note it, let it go.
  const int probe = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  REQUIRE(::bind(probe, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  REQUIRE(::getsockname(probe, reinterpret_cast<sockaddr*>(&address), &size) == 0);
  const auto balancer_port = ntohs(address.sin_port);
  ::close(probe);
  std::ofstream{balancer_dir.path() / "haproxy.cfg"}
      << "defaults\n  mode tcp\n  timeout connect 5s\n  timeout client 60s\n  timeout server 60s\n"
      << "frontend seatmirror\n  bind 127.0.0.1:" << balancer_port << "\n  default_backend receivers\n"
      << "backend receivers\n  balance roundrobin\n"
      << "  server r1 127.0.0.1:" << port_of(first) << " check\n"
      << "  server r2 127.0.0.1:" << port_of(second) << " check\n";
  const pid_t balancer = ::fork();
  if (balancer == 0) {
    ::execlp("haproxy", "haproxy", "-db", "-q", "-f", (balancer_dir.path() / "haproxy.cfg").c_str(), nullptr);
    ::_exit(127);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto through_balancer = fmt::format("https://127.0.0.1:{}/webhooks/inventory", balancer_port);
  const auto replay = [&](const test::TempDir& dir, const std::string& url, const test::ServerProcess& server) {
    return test::run_cli(
        dir, fmt::format("replay -q --to {} --insecure --secret-file '{}' '{}'", url, server.secret_file().string(),
                         (test::fixtures_dir() / "inventory").string()));
  };
  // Two senders at once, each on its own connection, which the balancer sends to different
  // receivers (round robin); every delivery reaches the database twice, and is stored once.
  int through_first = -1, through_second = -1;
  std::thread a{[&] { through_first = replay(first_dir, through_balancer, first); }};
  std::thread b{[&] { through_second = replay(second_dir, through_balancer, second); }};
  a.join();
  b.join();
  ::kill(balancer, SIGTERM);
  ::waitpid(balancer, nullptr, 0);
  CHECK(through_first == 0);
  CHECK(through_second == 0);
  REQUIRE(replay(sqlite_dir, reference.webhook_url(), reference) == 0);
  auto postgres = open_postgres(cluster.url());
  auto sqlite_file = std::make_unique<SQLite::Database>(reference.db_path().string(), SQLite::OPEN_READONLY);
  sql::SqliteConnection reference_db{*sqlite_file};
  for (const auto* table :
       {"seat_fees", "seat_classes", "seatmaps", "seatmap_sections", "seatmap_seats", "seatmap_facilities"}) {
    INFO(table);
    CHECK(rows_of(*postgres, table) == rows_of(reference_db, table));
  }
  CHECK(rows_of(*postgres, "webhook_events", "id, event, created, outcome, body") ==
        rows_of(reference_db, "webhook_events", "id, event, created, outcome, body"));
  // Both receivers took part: each logged requests (the request log is flushed at exit).
  CHECK(first.stop(SIGTERM) == 0);
  CHECK(second.stop(SIGTERM) == 0);
  CHECK_THAT(first.stdout_text(), Catch::Contains("/webhooks/inventory"));
  CHECK_THAT(second.stdout_text(), Catch::Contains("/webhooks/inventory"));
}

TEST_CASE("PostgreSQL: two writers' group commits over the same entities in opposite orders never deadlock",
          "[postgres]") {
  SKIP_WITHOUT_POSTGRES();
  test::PostgresCluster cluster;
  open_postgres(cluster.url());
  const auto bodies = fee_versions(400, 40);
  // Each writer queues all deliveries before its thread starts writing, so its batches are
  // large and hold many entity locks at once: taken in batch order, two such batches in
  // opposite orders would wait on each other in a cycle.
  std::atomic<int> stored{0}, not_stored{0};
  auto run_writer = [&](bool reversed) {
    DeliveryWriter writer{cluster.url(), {.max_batch = 64}};
    auto mine = bodies;
    if (reversed) std::reverse(mine.begin(), mine.end());
    for (const auto& body : mine) {
      writer.submit(prepare_delivery(body, std::chrono::system_clock::now()),
                    [&](WriteResult written) { (written.stored ? stored : not_stored)++; });
    }
    writer.stop();
  };
  std::thread a{run_writer, false};
  std::thread b{run_writer, true};
  a.join();
  b.join();
  CHECK(not_stored == 0);
  CHECK(stored == 800);
  auto postgres = open_postgres(cluster.url());
  CHECK(rows_of(*postgres, "webhook_events", "id").size() == 400);
  const auto fees = rows_of(*postgres, "seat_fees", "id, name");
  REQUIRE(fees.size() == 40);
  for (int k = 0; k < 40; ++k)
    CHECK(fees[static_cast<std::size_t>(k)] == fmt::format("{:024x}|version {}|", k, 360 + k));
}

TEST_CASE("a password in a PostgreSQL URL is never shown", "[postgres][cli]") {
  CHECK(printable_db_name("postgresql://me:hunter2@db:5432/x") == "postgresql://me:***@db:5432/x");
  CHECK(printable_db_name("postgres://me:p%40ss@db/x?sslmode=require&password=hunter3") ==
        "postgres://me:***@db/x?sslmode=require&password=***");
  CHECK(printable_db_name("postgresql://db/x?PASSWORD=hunter3&user=me") == "postgresql://db/x?PASSWORD=***&user=me");
  CHECK(printable_db_name("postgresql://me@db/x?application_name=a:b@c") ==
        "postgresql://me@db/x?application_name=a:b@c");
  CHECK(printable_db_name("data/seatmirror.db") == "data/seatmirror.db");

  SKIP_WITHOUT_POSTGRES();
  test::PostgresCluster cluster;
  // The test cluster trusts local connections, so any password connects.
  auto url = cluster.url();
  url.replace(url.find("seatmirror@"), 11, "seatmirror:hunter2@");
  url += "?password=hunter3";
  test::TempDir dir;
  {
    test::ServerProcess server{dir, {}, url};
    CHECK(server.stop(SIGTERM) == 0);
    CHECK_THAT(server.stderr_text(), Catch::Contains("committed to postgresql://seatmirror:***@"));
    CHECK_THAT(server.stderr_text() + server.stdout_text(), !Catch::Contains("hunter"));
  }
  for (const auto* command : {"stats", "query seat-fees", "show seatmap 0123456789abcdef01234567"}) {
    INFO(command);
    test::run_cli(dir, fmt::format("{} --db '{}'", command, url));
    const auto shown = test::read_file(dir.path() / "cli.out") + test::read_file(dir.path() / "cli.err");
    CHECK_FALSE(shown.empty());
    CHECK_THAT(shown, !Catch::Contains("hunter"));
  }
}

TEST_CASE("PostgreSQL: a connection prepares each statement once, however often it is read through", "[postgres]") {
  SKIP_WITHOUT_POSTGRES();
  test::PostgresCluster cluster;
  { open_store(cluster.url()); }  // creates the schema
  auto reader = open_store(cluster.url(), {.read_only = true});
  auto prepared = [&] {
    const auto count = reader->prepare("SELECT count(*) FROM pg_prepared_statements");
    count->step();
    return count->column_int64(0);
  };
  list_entities(*reader, InventoryKind::seat_fees);
  const auto after_one = prepared();
  for (int i = 0; i < 10'000; ++i) list_entities(*reader, InventoryKind::seat_fees);
  // Each read prepared a new server-side statement before, never freed on a pooled connection.
  CHECK(prepared() == after_one);
  CHECK(after_one < 10);
}

TEST_CASE("PostgreSQL: the seat view reads every field of the stored seat arrays where the layout code writes it",
          "[postgres]") {
  SKIP_WITHOUT_POSTGRES();
  BothStores stores;
  deliver_each(*stores.postgres, {test::seatmap_with_every_seat_field()});
  const auto check = test::check_seat_view(*stores.postgres);
  CHECK(check.differences == std::vector<std::string>{});
  for (std::size_t field = 0; field < kSeatFieldCount; ++field) {
    INFO(kSeatFieldNames[field]);
    CHECK(check.non_default_seen[field] > 0);
  }
}
