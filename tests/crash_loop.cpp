// Crash-safety harness: drives `seatmirror serve` with concurrent signed deliveries (distinct
// ids, duplicates, out-of-order keys), kills it with SIGKILL at a random moment once it has
// answered in that round, restarts it on the same database, and repeats; the last round ends
// with SIGTERM under load instead. Then:
// every delivery answered 2xx is in the ledger exactly once, the read models equal what
// rebuild makes from the ledger, and PRAGMA integrity_check says ok.
//
//   seatmirror_crash_loop [ROUNDS=10] [SEED]
#include "projection/projection_engine.hpp"
#include "receiver/webhook_client.hpp"
#include "storage/database.hpp"
#include "storage/sqlite_connection.hpp"
#include "tests/support/server_process.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>
#include <boost/json/parse.hpp>

#include <signal.h>

#include <atomic>
#include <cstdio>
#include <mutex>
#include <random>
#include <set>
#include <thread>

using namespace seatmirror;

namespace {

constexpr int kSenders = 4;

// Deliveries over a small set of entities with random ordering keys, so that many arrive
// out of order; each new one gets a fresh event id.
std::string make_delivery(std::mt19937_64& random, std::uint64_t serial) {
  const auto entity = random() % 40;
  const auto created = 1'700'000'000 + static_cast<std::int64_t>(random() % 100'000);
  const auto id = fmt::format("c0000000-0000-4000-8000-{:012x}", serial);
  const auto attempt = fmt::format("a0000000-0000-4000-8000-{:012x}", serial);
  const auto updated =
      fmt::format("2023-11-{:02}T{:02}:{:02}:00.000Z", 1 + random() % 28, random() % 24, random() % 60);
  switch (random() % 4) {
    case 0:
      return fmt::format(
          R"({{"id":"{}","attemptId":"{}","created":{},"event":"seatclass.deleted","livemode":true,"data":{{"seatClassId":"{:024x}"}}}})",
          id, attempt, created, 0xc1a55000 + entity);
    case 1:
      return fmt::format(
          R"({{"id":"{}","attemptId":"{}","created":{},"event":"seatclass.updated","livemode":true,"data":{{"_id":"{:024x}","name":"Class {}","updatedAt":{{"offset":0,"value":"{}"}}}}}})",
          id, attempt, created, 0xc1a55000 + entity, serial, updated);
    default:
      return fmt::format(
          R"({{"id":"{}","attemptId":"{}","created":{},"event":"seatfees.updated","livemode":true,"data":{{"_id":"{:024x}","shortName":"F{}","type":"$","value":{}.5,"updatedAt":{{"offset":0,"value":"{}"}}}}}})",
          id, attempt, created, 0xfee000 + entity, entity % 100, 1 + serial % 90, updated);
  }
}

struct Shared {
  std::mutex mutex;
  std::set<std::string> acknowledged;
  std::vector<std::string> sent;  // bodies sent so far, for duplicates
  std::atomic<std::uint64_t> serial{0};
  std::atomic<std::uint64_t> requests{0};
  std::atomic<int> senders_running{0};
  std::string first_error;  // the first exception a sender met in this round (under mutex)
};

void send_until_failure(const std::string& url, Shared& shared, std::uint64_t seed, const std::atomic<bool>& stop) {
  std::mt19937_64 random{seed};
  try {
    receiver::WebhookClient client{url, {.insecure = true, .timeout = std::chrono::seconds(5)}};
    while (!stop) {
      std::string body;
      {
        std::lock_guard lock{shared.mutex};
        if (!shared.sent.empty() && random() % 5 == 0) body = shared.sent[random() % shared.sent.size()];
      }
      if (body.empty()) {
        body = make_delivery(random, shared.serial++);
        std::lock_guard lock{shared.mutex};
        shared.sent.push_back(body);
      }
      const auto response = client.post_webhook(body, test::kTestSecret);
      ++shared.requests;
      if (response.result_int() == 200) {
        const auto id = boost::json::parse(response.body()).at("id").as_string();
        std::lock_guard lock{shared.mutex};
        shared.acknowledged.emplace(id);
      } else {
        fmt::print(stderr, "unexpected answer {}: {}\n", response.result_int(), response.body());
      }
    }
  } catch (const std::exception& e) {
    // The server died or is shutting down: this round is over for this sender. Kept for the
    // report in case it came before the server had answered anything.
    std::lock_guard lock{shared.mutex};
    if (shared.first_error.empty()) shared.first_error = e.what();
  }
  --shared.senders_running;
}

// Waits until the server has answered a request of this round, so that the kill lands under
// load and not while a slow machine is still starting the server. False, with the reason
// printed, when no answer came within 20 s or every sender gave up first.
bool wait_for_first_answer(Shared& shared, std::uint64_t requests_before, int round,
                           const test::ServerProcess& server) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (shared.requests == requests_before) {
    if (shared.senders_running == 0 || std::chrono::steady_clock::now() > deadline) {
      std::lock_guard lock{shared.mutex};
      fmt::print(stderr, "round {}: the server answered no request ({}); its log:\n{}\n", round,
                 shared.first_error.empty() ? "no answer within 20 s" : shared.first_error, server.stderr_text());
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::stoi(argv[1]) : 10;
  const std::uint64_t seed = argc > 2 ? std::stoull(argv[2]) : std::random_device{}();
  std::mt19937_64 random{seed};
  test::TempDir dir;
  Shared shared;
  int sigterm_exit = -1;
  bool answered_every_round = true;
  for (int round = 1; round <= rounds; ++round) {
    test::ServerProcess server{dir};
    std::atomic<bool> stop{false};
    std::vector<std::thread> senders;
    const auto requests_before = shared.requests.load();
    {
      std::lock_guard lock{shared.mutex};
      shared.first_error.clear();
    }
    shared.senders_running = kSenders;
    for (int i = 0; i < kSenders; ++i) {
      senders.emplace_back(send_until_failure, server.webhook_url(), std::ref(shared), random(), std::cref(stop));
    }
    answered_every_round = wait_for_first_answer(shared, requests_before, round, server) && answered_every_round;
    std::this_thread::sleep_for(std::chrono::milliseconds(100 + random() % 500));
    const bool last = round == rounds;
    const int exit_code = server.stop(last ? SIGTERM : SIGKILL);
    if (last) sigterm_exit = exit_code;
    stop = true;
    for (auto& sender : senders) sender.join();
    fmt::print("round {}/{}: {} {} requests so far, {} acknowledged\n", round, rounds, last ? "SIGTERM" : "SIGKILL",
               shared.requests.load(), shared.acknowledged.size());
  }

  auto db = open_database(dir.path() / "seatmirror.db");
  std::size_t missing = 0;
  SQLite::Statement find{db, "SELECT COUNT(*) FROM webhook_events WHERE id = ?"};
  for (const auto& id : shared.acknowledged) {
    find.reset();
    find.bind(1, id);
    find.executeStep();
    missing += find.getColumn(0).getInt() != 1;
  }
  const auto ledger = db.execAndGet("SELECT COUNT(*) FROM webhook_events").getInt64();
  const auto live = test::read_model_snapshot(db);
  sql::SqliteConnection rebuild_connection{db};
  rebuild_read_models(rebuild_connection);
  const bool rebuild_equal = test::read_model_snapshot(db) == live;
  const auto integrity = db.execAndGet("PRAGMA integrity_check").getString();

  fmt::print(
      "seed {}: {} rounds survived, {} requests, {} acknowledged ids checked, {} missing, ledger {} rows, "
      "rebuild {}, integrity_check {}, SIGTERM exit {}\n",
      seed, rounds, shared.requests.load(), shared.acknowledged.size(), missing, ledger,
      rebuild_equal ? "equal" : "DIFFERENT", integrity, sigterm_exit);
  const bool ok = missing == 0 && rebuild_equal && integrity == "ok" && sigterm_exit == 0 && answered_every_round &&
                  !shared.acknowledged.empty();
  fmt::print("{} passed, {} failed\n", ok ? 1 : 0, ok ? 0 : 1);
  return ok ? 0 : 1;
}
