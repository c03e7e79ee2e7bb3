#include "read_side/read_models.hpp"

#include "storage/store.hpp"

namespace seatmirror {

// Borrows a connection for the length of one call and gives it back, even on an exception.
class ReadModels::Lease {
 public:
  explicit Lease(ReadModels& owner) : owner_(owner) {
    std::unique_lock lock{owner_.mutex_};
    owner_.returned_.wait(lock, [&] { return !owner_.idle_.empty(); });
    db_ = std::move(owner_.idle_.back());
    owner_.idle_.pop_back();
  }
  ~Lease() {
    std::lock_guard lock{owner_.mutex_};
    owner_.idle_.push_back(std::move(db_));
    owner_.returned_.notify_one();
  }
  // Opened on first use, and again when the store dropped it (a PostgreSQL restart); a store
  // that cannot be opened (down, or a replica still behind the schema) is unavailable.
  sql::Connection& db() {
    if (!db_ || !db_->connected()) {
      try {
        db_ = open_store(owner_.db_, {.read_only = true});
      } catch (const std::exception& e) {
        db_.reset();
        throw ReadStoreUnavailable(e.what());
      }
    }
    return *db_;
  }
  bool alive() const { return db_ && db_->connected(); }

 private:
  ReadModels& owner_;
  std::unique_ptr<sql::Connection> db_;
};

ReadModels::ReadModels(const std::string& db, std::size_t connections) : db_(db) { idle_.resize(connections); }

std::optional<std::string> ReadModels::unavailable_reason() {
  try {
    Lease lease{*this};
    lease.db();
    return std::nullopt;
  } catch (const ReadStoreUnavailable& e) {
    return e.what();
  }
}

ReadModels::~ReadModels() = default;

// A read that fails on a connection the store dropped (PostgreSQL restarted since it was
// last used: libpq only notices then) is tried once more on a new one; if that cannot be
// opened or fails the same way, the store is unavailable, which is not a bug in the query.
template <typename Query>
auto ReadModels::read(Query query) {
  Lease lease{*this};
  try {
    return query(lease.db());
  } catch (const ReadStoreUnavailable&) {
    throw;
  } catch (const std::exception&) {
    if (lease.alive()) throw;
  }
  try {
    return query(lease.db());
  } catch (const ReadStoreUnavailable&) {
    throw;
  } catch (const std::exception& e) {
    if (lease.alive()) throw;
    throw ReadStoreUnavailable(e.what());
  }
}

template <typename Fetch>
ReadModels::Page ReadModels::paginate(std::size_t limit, Fetch fetch) {
  // One more than asked tells whether there is a next page without a second query.
  Page page{read([&](sql::Connection& db) { return fetch(db, limit + 1); }), std::nullopt};
  if (page.items.size() > limit) {
    page.items.resize(limit);
    page.next_cursor = std::string{page.items.back().at("id").as_string()};
  }
  return page;
}

ReadModels::Page ReadModels::list(InventoryKind kind, ListOptions options) {
  return paginate(options.limit, [&](sql::Connection& db, std::size_t limit) {
    options.limit = limit;
    return list_entities(db, kind, options);
  });
}

ReadModels::Page ReadModels::seat_events(SeatEventFilter filter) {
  return paginate(filter.limit, [&](sql::Connection& db, std::size_t limit) {
    filter.limit = limit;
    return list_seat_events(db, filter);
  });
}

std::optional<boost::json::object> ReadModels::get(InventoryKind kind, const std::string& id) {
  return read([&](sql::Connection& db) { return find_entity(db, kind, id); });
}

std::optional<SeatmapPicture> ReadModels::seatmap_picture(const std::string& id) {
  return read([&](sql::Connection& db) { return load_seatmap_picture(db, id); });
}

std::vector<SeatTypeUsage> ReadModels::seat_usage(const UsageQuery& query) {
  return read([&](sql::Connection& db) { return seatmirror::seat_usage(db, query); });
}

std::string ReadModels::sequence_account_id() {
  return read([](sql::Connection& db) { return seatmirror::sequence_account_id(db); });
}

std::optional<StoredSeatEvent> ReadModels::seat_event(const std::string& id) {
  return read([&](sql::Connection& db) { return find_seat_event(db, id); });
}

}  // namespace seatmirror
