// Database faults under the real server: a write lock held by another process, and a full
// filesystem (a small tmpfs the test mounts; skipped with a message where it cannot mount).
// In each, deliveries get 503 and are not stored, /healthz says 503, the log says why, and
// the server recovers by itself once the fault is gone.
#include "projection/database.hpp"
#include "receiver/webhook_client.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/server_process.hpp"

#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <signal.h>

#include <cstdlib>
#include <fstream>

using namespace seatmirror;
using receiver::WebhookClient;
namespace http = boost::beast::http;

namespace {

std::string fee_delivery(int n) {
  auto body = boost::json::parse(test::read_file(test::fixtures_dir() / "seeds" / "001-seatfees.created.json")).as_object();
  body["id"] = fmt::format("f0000000-0000-4000-8000-{:012x}", n);
  body["data"].as_object()["_id"] = fmt::format("{:024x}", n);
  return boost::json::serialize(body);
}

unsigned health(WebhookClient& client) {
  return client.send(WebhookClient::Request{http::verb::get, "/healthz", 11}).result_int();
}

bool in_ledger(const std::filesystem::path& db_path, int n) {
  auto db = open_database(db_path, {.read_only = true});
  SQLite::Statement find{db, "SELECT COUNT(*) FROM webhook_events WHERE id = ?"};
  find.bind(1, fmt::format("f0000000-0000-4000-8000-{:012x}", n));
  find.executeStep();
  return find.getColumn(0).getInt() == 1;
}

// A small tmpfs for the database, unmounted when the test ends.
class TmpfsMount {
 public:
  explicit TmpfsMount(std::filesystem::path path) : path_(std::move(path)) {
    std::filesystem::create_directories(path_);
    mounted_ = std::system(fmt::format("mount -t tmpfs -o size=1m,mode=0700 tmpfs '{}' 2>/dev/null", path_.string()).c_str()) == 0;
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
  while (std::fwrite(block.data(), 1, block.size(), file) == block.size()) {}
  while (std::fwrite("x", 1, 1, file) == 1) {}
  std::fclose(file);
}

}  // namespace

TEST_CASE("a write lock held by another process: 503, unhealthy, then recovery", "[faults]") {
  test::TempDir dir;
  test::ServerProcess server{dir, {"--busy-timeout", "200"}};
  WebhookClient client{server.webhook_url(), {.insecure = true}};
  REQUIRE(client.post_webhook(fee_delivery(1), test::kTestSecret).result_int() == 200);
  {
    SQLite::Database other{server.db_path(), SQLite::OPEN_READWRITE};
    other.exec("BEGIN IMMEDIATE");
    const auto refused = client.post_webhook(fee_delivery(2), test::kTestSecret);
    CHECK(refused.result_int() == 503);
    CHECK(boost::json::parse(refused.body()).at("error") == "storage_unavailable");
    CHECK(refused[boost::beast::http::field::retry_after] == "5");
    CHECK(health(client) == 503);
    other.exec("ROLLBACK");
  }
  CHECK_FALSE(in_ledger(server.db_path(), 2));
  CHECK(health(client) == 200);
  CHECK(client.post_webhook(fee_delivery(2), test::kTestSecret).result_int() == 200);
  CHECK(in_ledger(server.db_path(), 2));
  CHECK(server.stop(SIGTERM) == 0);
  CHECK_THAT(server.stderr_text(), Catch::Contains("database is locked"));
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
    CHECK(health(client) == 503);
    std::filesystem::remove(filler);
    CHECK(health(client) == 200);
    CHECK(client.post_webhook(fee_delivery(100), test::kTestSecret).result_int() == 200);
    CHECK(server.stop(SIGTERM) == 0);
    CHECK_THAT(server.stderr_text(), Catch::Contains("full"));
  }
  auto db = open_database(db_path, {.read_only = true});
  CHECK(db.execAndGet("PRAGMA integrity_check").getString() == "ok");
  CHECK(in_ledger(db_path, 100));
}
