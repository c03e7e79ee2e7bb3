#include "read_side/read_models.hpp"

#include "projection/database.hpp"

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
  SQLite::Database& db() { return *db_; }

 private:
  ReadModels& owner_;
  std::unique_ptr<SQLite::Database> db_;
};

ReadModels::ReadModels(const std::filesystem::path& db_path, std::size_t connections) {
  for (std::size_t i = 0; i < connections; ++i) {
    idle_.push_back(std::make_unique<SQLite::Database>(open_database(db_path, {.read_only = true})));
  }
}

ReadModels::~ReadModels() = default;

ReadModels::Page ReadModels::list(InventoryKind kind, ListOptions options) {
  Lease lease{*this};
  // One more than asked tells whether there is a next page without a second query.
  const auto wanted = options.limit;
  options.limit = wanted + 1;
  Page page{list_entities(lease.db(), kind, options), std::nullopt};
  if (page.items.size() > wanted) {
    page.items.resize(wanted);
    page.next_cursor = std::string{page.items.back().at("id").as_string()};
  }
  return page;
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
