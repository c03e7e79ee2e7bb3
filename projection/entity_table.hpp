// What every read-model projector shares: the ordering key stored with each entity row.
#pragma once

#include "projection/inventory_event.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <optional>
#include <string>

namespace seatmirror {

// Identifies the event a projector is writing, for last_event_id and the ordering columns.
struct WriteStamp {
  const std::string& event_id;
  OrderingKey key;
  std::int64_t created;  // envelope `created`, unix seconds
};

class EntityKeys {
 public:
  EntityKeys(SQLite::Database& db, const std::string& table);

  // The ordering key of the event that last wrote this entity, or nullopt for a new entity.
  std::optional<OrderingKey> find(const std::string& id);

 private:
  SQLite::Statement select_;
};

}  // namespace seatmirror
