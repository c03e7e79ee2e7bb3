#include "read_side/read_models.hpp"

#include "projection/store.hpp"

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
  sql::Connection& db() { return *db_; }

 private:
  ReadModels& owner_;
  std::unique_ptr<sql::Connection> db_;
};

ReadModels::ReadModels(const std::string& db, std::size_t connections) {
  for (std::size_t i = 0; i < connections; ++i) idle_.push_back(open_store(db, {.read_only = true}));
}

ReadModels::~ReadModels() = default;

template <typename Fetch>
ReadModels::Page ReadModels::paginate(std::size_t limit, Fetch fetch) {
  Lease lease{*this};
  // One more than asked tells whether there is a next page without a second query.
  Page page{fetch(lease.db(), limit + 1), std::nullopt};
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
  Lease lease{*this};
  return find_entity(lease.db(), kind, id);
}

std::optional<SeatmapPicture> ReadModels::seatmap_picture(const std::string& id) {
  Lease lease{*this};
  return load_seatmap_picture(lease.db(), id);
}

}  // namespace seatmirror

namespace seatmirror {

std::vector<SeatTypeUsage> ReadModels::seat_usage(const UsageQuery& query) {
  Lease lease{*this};
  return seatmirror::seat_usage(lease.db(), query);
}

std::string ReadModels::sequence_account_id() {
  Lease lease{*this};
  return seatmirror::sequence_account_id(lease.db());
}

std::optional<StoredSeatEvent> ReadModels::seat_event(const std::string& id) {
  Lease lease{*this};
  return find_seat_event(lease.db(), id);
}

}  // namespace seatmirror
