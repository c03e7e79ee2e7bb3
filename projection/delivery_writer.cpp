#include "projection/delivery_writer.hpp"

#include "decode/bz_date.hpp"
#include "projection/projection_engine.hpp"
#include "storage/database.hpp"
#include "storage/sql_binding.hpp"

#include "storage/store.hpp"

#include <spdlog/spdlog.h>

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <variant>

namespace seatmirror {
namespace {

template <typename Input, typename Result>
struct Queued {
  Input input;
  std::function<void(Written<Input, Result>)> done;
  Written<Input, Result> written{};  // filled while its batch is written
};

using QueuedWrite = std::variant<Queued<Delivery, DeliveryResult>, Queued<SeatEventPost, SeatEventResult>,
                                 Queued<SeatChangeRequest, SeatChangeResult>>;

struct HealthProbe {
  std::function<void(bool, std::string)> done;
};

using Job = std::variant<QueuedWrite, HealthProbe>;

// What a batch locks and which webhook event ids it carries, gathered once per batch.
struct BatchKeys {
  std::vector<std::string> locks;      // sorted and unique: the one global order (lock_keys.hpp)
  std::vector<std::string> event_ids;  // for the ledger's one dedupe look-up
};

}  // namespace

// What the writer holds open on its store; made again when a PostgreSQL connection is lost.
struct WriteSession {
  std::unique_ptr<sql::Connection> connection;
  ProjectionEngine engine;
  std::unique_ptr<sql::Statement> heartbeat;

  explicit WriteSession(std::unique_ptr<sql::Connection> opened)
      : connection(std::move(opened)),
        engine(*connection),
        heartbeat(connection->prepare(
            "INSERT INTO writer_heartbeat (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at")) {}
};

struct DeliveryWriter::State {
  WriterOptions options;
  std::string db;
  DatabaseOptions db_options;
  std::unique_ptr<WriteSession> session;
  mutable std::mutex mutex;
  std::atomic<std::int64_t> last_commit_ms{0};  // 0: none yet
  std::atomic<std::uint64_t> commits{0};
  std::atomic<std::uint64_t> probe_writes{0};
  std::condition_variable wake;      // the writer: work arrived, or stop
  std::condition_variable has_room;  // submitters: the queue drained below max_queued
  std::deque<Job> queue;
  std::size_t queued_deliveries = 0;
  bool stopping = false;
  std::thread thread;

  State(std::string db_name, WriterOptions opts)
      : options(std::move(opts)),
        db(std::move(db_name)),
        db_options{with_reprojection({.durability = options.durability_full ? Durability::full : Durability::normal,
                                      .busy_timeout_ms = options.busy_timeout_ms,
                                      .wal_autocheckpoint_pages = options.wal_autocheckpoint_pages})},
        session(std::make_unique<WriteSession>(open_store(db, db_options))) {}

  // The session to write with: a connection that was lost is opened again here (and throws,
  // so the writes are reported not stored, while the server stays down).
  WriteSession& connected() {
    if (!session || !session->connection->connected()) {
      session.reset();
      session = std::make_unique<WriteSession>(open_store(db, db_options));
      spdlog::info("reconnected to the database");
    }
    return *session;
  }

  void run();
  void write_batch(std::vector<QueuedWrite>& batch);
  // One attempt at a batch in one transaction; false (rolled back) when a write failed and
  // `isolated` was off. Lock and commit failures throw.
  bool apply_batch(WriteSession& current, std::vector<QueuedWrite>& batch, const BatchKeys& keys, bool isolated);
  void answer_probes(const std::vector<HealthProbe>& probes, bool just_committed);
  void note_commit() {
    ++commits;
    last_commit_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
  }
};

void DeliveryWriter::State::run() {
  std::vector<QueuedWrite> batch;
  std::vector<HealthProbe> probes;
  while (true) {
    {
      std::unique_lock lock{mutex};
      wake.wait(lock, [&] { return stopping || !queue.empty(); });
      if (queue.empty()) return;  // stopping, and everything queued has been written
      while (!queue.empty() && batch.size() < options.max_batch) {
        if (auto* queued = std::get_if<QueuedWrite>(&queue.front())) {
          batch.push_back(std::move(*queued));
          --queued_deliveries;
        } else {
          probes.push_back(std::move(std::get<HealthProbe>(queue.front())));
        }
        queue.pop_front();
      }
    }
    has_room.notify_all();
    const auto commits_before = commits.load();
    if (!batch.empty()) write_batch(batch);
    if (!probes.empty()) answer_probes(probes, commits.load() > commits_before);
    batch.clear();
    probes.clear();
  }
}

namespace {

BatchKeys batch_keys(const std::vector<QueuedWrite>& batch) {
  BatchKeys keys;
  for (const auto& write : batch) {
    std::visit(
        [&](const auto& queued) {
          add_lock_keys(queued.input, keys.locks);
          add_event_id(queued.input, keys.event_ids);
        },
        write);
  }
  std::sort(keys.locks.begin(), keys.locks.end());
  keys.locks.erase(std::unique(keys.locks.begin(), keys.locks.end()), keys.locks.end());
  return keys;
}

}  // namespace

bool DeliveryWriter::State::apply_batch(WriteSession& current, std::vector<QueuedWrite>& batch, const BatchKeys& keys,
                                        bool isolated) {
  sql::WriteTransaction transaction{*current.connection};
  current.connection->lock_keys(keys.locks);
  // With the event ids locked, one look-up answers the dedupe question for the whole batch;
  // what it learnt is forgotten when this transaction ends, however it ends.
  struct ForgetLookUps {
    ProjectionEngine& engine;
    ~ForgetLookUps() { engine.forget_look_ups(); }
  } forget{current.engine};
  current.engine.look_up_events(keys.event_ids);
  current.engine.isolate_writes(isolated);
  for (auto& write : batch) {
    const bool applied = std::visit(
        [&](auto& queued) {
          queued.written.stored = false;
          queued.written.error.clear();
          try {
            queued.written.result = current.engine.apply(queued.input);
            queued.written.stored = true;
          } catch (const std::exception& e) {
            queued.written.error = e.what();  // isolated: only this write's savepoint was undone
          }
          return queued.written.stored || isolated;
        },
        write);
    if (!applied) return false;  // the transaction rolls back; the caller redoes the batch isolated
  }
  transaction.commit();
  return true;
}

void DeliveryWriter::State::write_batch(std::vector<QueuedWrite>& batch) {
  bool committed = false;
  std::string failure;
  try {
    auto& current = connected();
    // Nearly every batch has no failing write: it goes in one transaction without a savepoint
    // per write. If one fails, that transaction is undone and the batch is applied again with
    // a savepoint per write, so that only the failing write is refused.
    const auto keys = batch_keys(batch);
    committed = apply_batch(current, batch, keys, false) || apply_batch(current, batch, keys, true);
    note_commit();
  } catch (const std::exception& e) {
    failure = e.what();
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    std::visit(
        [&](auto& queued) {
          auto& written = queued.written;
          if (!committed) written = {.stored = false, .error = failure};
          written.batch_committed = committed;
          if (i == 0) written.batch_size = batch.size();
          written.input = std::move(queued.input);
          queued.done(std::move(written));
        },
        batch[i]);
  }
}

// However many probes arrived in one cycle, one answer serves them all, so /healthz callers
// cannot make the writer fsync once each: a batch that has just committed proves the store
// takes writes; otherwise one heartbeat row is written and committed.
void DeliveryWriter::State::answer_probes(const std::vector<HealthProbe>& probes, bool just_committed) {
  bool writable = just_committed;
  std::string why;
  if (!writable) {
    try {
      auto& current = connected();
      sql::WriteTransaction transaction{*current.connection};
      bind_all(*current.heartbeat, format_utc(std::chrono::system_clock::now()));
      execute(*current.heartbeat);
      transaction.commit();
      ++probe_writes;
      note_commit();
      writable = true;
    } catch (const std::exception& e) {
      why = e.what();
    }
  }
  for (const auto& probe : probes) probe.done(writable, why);
}

DeliveryWriter::DeliveryWriter(const std::string& db, WriterOptions options)
    : state_(std::make_unique<State>(db, std::move(options))) {
  state_->thread = std::thread{[state = state_.get()] {
    // Named for `top -H`, perf and bench/ingest, which reads this thread's CPU per event.
    pthread_setname_np(pthread_self(), "sm-writer");
    state->run();
  }};
}

DeliveryWriter::~DeliveryWriter() { stop(); }

template <typename Input, typename Result>
void DeliveryWriter::enqueue(Input input, std::function<void(Written<Input, Result>)> done) {
  {
    std::unique_lock lock{state_->mutex};
    state_->has_room.wait(lock,
                          [&] { return state_->stopping || state_->queued_deliveries < state_->options.max_queued; });
    if (!state_->stopping) {
      state_->queue.emplace_back(QueuedWrite{Queued<Input, Result>{std::move(input), std::move(done)}});
      ++state_->queued_deliveries;
      state_->wake.notify_one();
      return;
    }
  }
  done(Written<Input, Result>{.stored = false, .error = "the writer is shutting down"});
}

void DeliveryWriter::submit(Delivery delivery, Completion done) { enqueue(std::move(delivery), std::move(done)); }

void DeliveryWriter::submit(SeatEventPost post, std::function<void(SeatEventWritten)> done) {
  enqueue(std::move(post), std::move(done));
}

void DeliveryWriter::submit(SeatChangeRequest change, std::function<void(SeatChangeWritten)> done) {
  enqueue(std::move(change), std::move(done));
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

std::uint64_t DeliveryWriter::health_probe_writes() const { return state_->probe_writes.load(); }

std::size_t DeliveryWriter::queue_depth() const {
  std::lock_guard lock{state_->mutex};
  return state_->queued_deliveries;
}

std::optional<std::chrono::system_clock::time_point> DeliveryWriter::last_commit() const {
  const auto ms = state_->last_commit_ms.load();
  if (ms == 0) return std::nullopt;
  return std::chrono::system_clock::time_point{std::chrono::milliseconds{ms}};
}

void DeliveryWriter::stop() {
  {
    std::lock_guard lock{state_->mutex};
    state_->stopping = true;
  }
  state_->wake.notify_one();
  state_->has_room.notify_all();
  if (state_->thread.joinable()) state_->thread.join();
}

}  // namespace seatmirror
