// Database faults under the real server, on both stores: a write lock held by another
// process (SQLite's file lock; on PostgreSQL a session holding the tables), and a full
// filesystem (a small tmpfs the test mounts, for PostgreSQL a tablespace on it; skipped with a
// message where it cannot mount). In each, deliveries get 503 and are not stored, the log says
// why, and the server recovers by itself once the fault is gone.
#include "receiver/webhook_client.hpp"
#include "storage/database.hpp"
#include "storage/postgres_database.hpp"
#include "storage/store.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_stores.hpp"

#include <fmt/format.h>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

#include <signal.h>

#include <cstdlib>
#include <fstream>

using namespace seatmirror;
using receiver::WebhookClient;
namespace http = boost::beast::http;

namespace {

std::string fee_delivery(int n) {
  auto body =
      boost::json::parse(test::read_file(test::fixtures_dir() / "seeds" / "001-seatfees.created.json")).as_object();
  body["id"] = fmt::format("f0000000-0000-4000-8000-{:012x}", n);
  body["data"].as_object()["_id"] = fmt::format("{:024x}", n);
  return boost::json::serialize(body);
}

unsigned health(WebhookClient& client) {
  return client.send(WebhookClient::Request{http::verb::get, "/healthz", 11}).result_int();
}

bool in_ledger(const std::filesystem::path& db, int n) {
  return test::count_rows(db.string(), "webhook_events", fmt::format("id = 'f0000000-0000-4000-8000-{:012x}'", n)) == 1;
}

// A small tmpfs for the database, unmounted when the test ends. `options`: more mount
// options (the owner, for PostgreSQL's server user).
class TmpfsMount {
 public:
  explicit TmpfsMount(std::filesystem::path path, const std::string& size = "1m", const std::string& options = "")
      : path_(std::move(path)) {
    std::filesystem::create_directories(path_);
    mounted_ = std::system(fmt::format("mount -t tmpfs -o size={},mode=0700{} tmpfs '{}' 2>/dev/null", size, options,
                                       path_.string())
                               .c_str()) == 0;
  }
  ~TmpfsMount() {
    if (mounted_) (void)std::system(fmt::format("umount '{}'", path_.string()).c_str());
  }
  bool mounted() const { return mounted_; }

 private:
  std::filesystem::path path_;
  bool mounted_ = false;
};

// Fills the filesystem holding `path` to the last byte.
void fill(const std::filesystem::path& path) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  REQUIRE(file);
  std::setvbuf(file, nullptr, _IONBF, 0);
  const std::string block(4096, 'x');
  while (std::fwrite(block.data(), 1, block.size(), file) == block.size()) {
  }
  while (std::fwrite("x", 1, 1, file) == 1) {
  }
  std::fclose(file);
}

// While the disk is full the receiver is unhealthy; once `filler` is gone it is healthy again
// without a restart and stores delivery n; the log named the cause.
void check_recovery_when_space_returns(WebhookClient& client, test::ServerProcess& server,
                                       const std::filesystem::path& filler, int n, const std::string& logged) {
  CHECK(health(client) == 503);
  std::filesystem::remove(filler);
  CHECK(health(client) == 200);
  CHECK(client.post_webhook(fee_delivery(n), test::kTestSecret).result_int() == 200);
  CHECK(server.stop(SIGTERM) == 0);
  CHECK_THAT(server.stderr_text(), Catch::Contains(logged));
}

}  // namespace

// Another process holding the write lock (test::hold_write_lock): the writer waits
// --busy-timeout for it (PostgreSQL's lock_timeout), then answers 503.
TEST_CASE("a write lock held by another process: 503, unhealthy, then recovery", "[faults][postgres]") {
  const auto store = GENERATE(from_range(test::store_kinds()));
  INFO("store: " << store);
  test::TempDir dir;
  test::ServerProcess server{dir, {"--busy-timeout", "200"}, test::fresh_store(store)};
  WebhookClient client{server.webhook_url(), {.insecure = true}};
  REQUIRE(client.post_webhook(fee_delivery(1), test::kTestSecret).result_int() == 200);
  {
    const auto other = test::hold_write_lock(store, server.db_path().string());
    const auto refused = client.post_webhook(fee_delivery(2), test::kTestSecret);
    CHECK(refused.result_int() == 503);
    CHECK(boost::json::parse(refused.body()).at("error") == "storage_unavailable");
    CHECK(refused[boost::beast::http::field::retry_after] == "5");
    CHECK(health(client) == 503);
    other->rollback();
  }
  CHECK_FALSE(in_ledger(server.db_path(), 2));
  CHECK(health(client) == 200);
  CHECK(client.post_webhook(fee_delivery(2), test::kTestSecret).result_int() == 200);
  CHECK(in_ledger(server.db_path(), 2));
  CHECK(server.stop(SIGTERM) == 0);
  CHECK_THAT(server.stderr_text(), Catch::Contains(store == test::kSqlite ? "database is locked" : "lock timeout"));
}

TEST_CASE("a full filesystem: 503, unhealthy, then recovery when space returns", "[faults]") {
  test::TempDir dir;
  TmpfsMount mount{dir.path() / "small"};
  if (!mount.mounted()) {
    WARN("skipped: cannot mount a tmpfs here (needs root and mount permission)");
    return;
  }
  const auto db_path = dir.path() / "small" / "seatmirror.db";
  {
    test::ServerProcess server{dir, {}, db_path};
    WebhookClient client{server.webhook_url(), {.insecure = true}};
    REQUIRE(client.post_webhook(fee_delivery(1), test::kTestSecret).result_int() == 200);
    const auto filler = dir.path() / "small" / "filler";
    fill(filler);
    int refused = 0;
    for (int n = 2; n < 40; ++n) refused += client.post_webhook(fee_delivery(n), test::kTestSecret).result_int() == 503;
    CHECK(refused > 0);
    check_recovery_when_space_returns(client, server, filler, 100, "full");
  }
  auto db = open_database(db_path, {.read_only = true});
  CHECK(db.execAndGet("PRAGMA integrity_check").getString() == "ok");
  CHECK(in_ledger(db_path, 100));
}

TEST_CASE("a full tablespace on PostgreSQL: 503, nothing acknowledged is lost, then recovery when space returns",
          "[faults][postgres]") {
  SKIP_WITHOUT_POSTGRES();
  test::TempDir dir;
  // The tablespace's folder belongs to the server's user, as PostgreSQL demands; the WAL stays
  // on the cluster's own disk, so only the tables run out of room.
  std::filesystem::permissions(dir.path(), std::filesystem::perms::others_exec, std::filesystem::perm_options::add);
  const auto owner = test::PostgresCluster::server_user_ids();
  TmpfsMount mount{dir.path() / "small", "24m",
                   owner ? fmt::format(",uid={},gid={}", owner->first, owner->second) : ""};
  if (!mount.mounted()) {
    WARN("skipped: cannot mount a tmpfs here (needs root and mount permission)");
    return;
  }
  test::PostgresCluster cluster;
  {
    auto admin = open_postgres(cluster.url());
    admin->exec(fmt::format("CREATE TABLESPACE small LOCATION '{}'", (dir.path() / "small").string()));
    admin->exec("CREATE DATABASE full_disk TABLESPACE small");
  }
  const auto db = cluster.url("full_disk");
  test::ServerProcess server{dir, {}, db};
  WebhookClient client{server.webhook_url(), {.insecure = true}};
  REQUIRE(client.post_webhook(fee_delivery(1), test::kTestSecret).result_int() == 200);
  const auto filler = dir.path() / "small" / "filler";
  fill(filler);
  std::vector<int> acknowledged;
  int refused = 0;
  for (int n = 2; n < 200; ++n) {
    const auto status = client.post_webhook(fee_delivery(n), test::kTestSecret).result_int();
    if (status == 200) acknowledged.push_back(n);
    refused += status == 503;
  }
  CHECK(refused > 0);
  check_recovery_when_space_returns(client, server, filler, 1000, "No space left on device");
  std::size_t missing = 0;
  for (const int n : acknowledged) missing += !in_ledger(db, n);
  CHECK(missing == 0);
  CHECK(in_ledger(db, 1000));
}
