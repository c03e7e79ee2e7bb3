#include "projection/delivery_writer.hpp"

#include "projection/bz_date.hpp"
#include "projection/database.hpp"
#include "projection/projection_engine.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <spdlog/spdlog.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <variant>

namespace seatmirror {
namespace {

struct Delivery {
  std::string body;
  std::chrono::system_clock::time_point received_at;
  DeliveryWriter::Completion done;
};

struct HealthProbe {
  std::function<void(bool, std::string)> done;
};

using Job = std::variant<Delivery, HealthProbe>;

}  // namespace

struct DeliveryWriter::State {
  WriterOptions options;
  SQLite::Database db;
  ProjectionEngine engine;
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<Job> queue;
  bool stopping = false;
  std::thread thread;

  State(const std::filesystem::path& path, WriterOptions opts)
      : options(std::move(opts)),
        db(open_database(path, {.durability = options.durability_full ? Durability::full : Durability::normal,
                                .busy_timeout_ms = options.busy_timeout_ms})),
        engine(db) {}

  void run();
  void write_batch(std::vector<Delivery>& batch);
  void probe(const HealthProbe& probe);
};

void DeliveryWriter::State::run() {
  std::vector<Delivery> batch;
  while (true) {
    std::vector<HealthProbe> probes;
    {
      std::unique_lock lock{mutex};
      wake.wait(lock, [&] { return stopping || !queue.empty(); });
      if (queue.empty()) return;  // stopping, and everything queued has been written
      while (!queue.empty() && batch.size() < options.max_batch) {
        if (auto* delivery = std::get_if<Delivery>(&queue.front())) {
          batch.push_back(std::move(*delivery));
        } else {
          probes.push_back(std::move(std::get<HealthProbe>(queue.front())));
        }
        queue.pop_front();
      }
    }
    if (!batch.empty()) write_batch(batch);
    for (const auto& p : probes) probe(p);
    batch.clear();
  }
}

void DeliveryWriter::State::write_batch(std::vector<Delivery>& batch) {
  std::vector<WriteResult> results(batch.size());
  bool committed = false;
  std::string failure;
  try {
    SQLite::Transaction transaction{db, SQLite::TransactionBehavior::IMMEDIATE};
    for (std::size_t i = 0; i < batch.size(); ++i) {
      try {
        results[i].result = engine.apply(batch[i].body, format_utc(batch[i].received_at));
        results[i].stored = true;
      } catch (const std::exception& e) {
        // This delivery's savepoint was rolled back; the rest of the batch goes on.
        results[i].error = e.what();
        spdlog::error("delivery could not be written: {}", e.what());
      }
    }
    transaction.commit();
    committed = true;
  } catch (const std::exception& e) {
    failure = e.what();
    spdlog::error("commit of {} deliveries failed, none acknowledged: {}", batch.size(), failure);
  }
  if (options.on_commit) options.on_commit(batch.size(), committed);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (!committed) results[i] = WriteResult{.stored = false, .error = failure};
    batch[i].done(std::move(results[i]));
  }
}

void DeliveryWriter::State::probe(const HealthProbe& probe) {
  try {
    SQLite::Transaction transaction{db, SQLite::TransactionBehavior::IMMEDIATE};
    SQLite::Statement beat{db, "INSERT INTO writer_heartbeat (id, at) VALUES (1, ?) "
                               "ON CONFLICT (id) DO UPDATE SET at = excluded.at"};
    beat.bind(1, format_utc(std::chrono::system_clock::now()));
    beat.exec();
    transaction.commit();
    probe.done(true, "");
  } catch (const std::exception& e) {
    probe.done(false, e.what());
  }
}

DeliveryWriter::DeliveryWriter(const std::filesystem::path& db_path, WriterOptions options)
    : state_(std::make_unique<State>(db_path, std::move(options))) {
  state_->thread = std::thread{[state = state_.get()] { state->run(); }};
}

DeliveryWriter::~DeliveryWriter() { stop(); }

void DeliveryWriter::submit(std::string body, std::chrono::system_clock::time_point received_at,
                            Completion done) {
  {
    std::lock_guard lock{state_->mutex};
    if (!state_->stopping) {
      state_->queue.emplace_back(Delivery{std::move(body), received_at, std::move(done)});
      state_->wake.notify_one();
      return;
    }
  }
  done(WriteResult{.stored = false, .error = "the writer is shutting down"});
}

void DeliveryWriter::check_health(std::function<void(bool, std::string)> done) {
  {
    std::lock_guard lock{state_->mutex};
    if (!state_->stopping) {
      state_->queue.emplace_back(HealthProbe{std::move(done)});
      state_->wake.notify_one();
      return;
    }
  }
  done(false, "the writer is shutting down");
}

void DeliveryWriter::stop() {
  {
    std::lock_guard lock{state_->mutex};
    state_->stopping = true;
  }
  state_->wake.notify_one();
  if (state_->thread.joinable()) state_->thread.join();
}

}  // namespace seatmirror
