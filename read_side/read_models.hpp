// ReadModels: the read side for a running server. It owns a few connections to the store
// (read-only SQLite connections: WAL lets them read while the writer writes, so reads never
// wait on it; or read-only PostgreSQL sessions), opened on first use, and lends one per call;
// safe to call from any thread. Answers are JSON objects or pictures, never SQL.
//
// The store may be a PostgreSQL hot-standby replica (serve --read-db): reads never write, and a
// store that cannot be reached (replica or primary restarting, a replica behind the schema) is
// reported as ReadStoreUnavailable, which the API answers with 503, not as an internal error;
// the next read tries again.
#pragma once

#include "read_side/inventory_queries.hpp"
#include "read_side/seat_usage.hpp"
#include "storage/sql_connection.hpp"

#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace seatmirror {

// The store could not be reached for a read, even on a freshly opened connection.
struct ReadStoreUnavailable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class ReadModels {
 public:
  // `db`: what --db names (an SQLite path or a PostgreSQL URL).
  explicit ReadModels(const std::string& db, std::size_t connections = 4);
  ~ReadModels();

  // Why the store cannot be read now, or nullopt when it can (opens one connection).
  std::optional<std::string> unavailable_reason();

  struct Page {
    boost::json::array items;
    std::optional<std::string> next_cursor;  // the id to pass as cursor for the next page
  };
  Page list(InventoryKind kind, ListOptions options);
  std::optional<boost::json::object> get(InventoryKind kind, const std::string& id);
  std::optional<SeatmapPicture> seatmap_picture(const std::string& id);
  std::vector<SeatTypeUsage> seat_usage(const UsageQuery& query);
  std::optional<StoredSeatEvent> seat_event(const std::string& id);
  Page seat_events(SeatEventFilter filter);
  std::string sequence_account_id();

 private:
  class Lease;
  template <typename Query>
  auto read(Query query);
  // Asks for one row more than `limit` and turns it into the next cursor.
  template <typename Fetch>
  Page paginate(std::size_t limit, Fetch fetch);
  std::mutex mutex_;
  std::condition_variable returned_;
  std::string db_;
  std::vector<std::unique_ptr<sql::Connection>> idle_;
};

}  // namespace seatmirror
