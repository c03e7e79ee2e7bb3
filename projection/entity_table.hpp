// What every read-model projector shares: the ordering key stored with each entity row.
#pragma once

#include "projection/inventory_event.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace seatmirror {

// Identifies the event a projector is writing, for last_event_id and the ordering columns.
struct WriteStamp {
  const std::string& event_id;
  OrderingKey key;
  std::int64_t created;  // envelope `created`, unix seconds
};

// The SQL that writes one whole entity row: id first, then `content` (each set to
// `content_value`: "?" to bind, or "NULL" for a tombstone), then `tail` (column, value) pairs,
// then last_event_id and the ordering key, all bound in that order.
// It is an upsert rather than REPLACE: a conflicting row is rewritten in place, where REPLACE
// would delete it and insert a new one, churning the table and its primary-key index.
std::string entity_upsert_sql(const std::string& table, const std::vector<std::string>& content,
                              const char* content_value,
                              const std::vector<std::pair<std::string, std::string>>& tail = {});

class EntityKeys {
 public:
  EntityKeys(SQLite::Database& db, const std::string& table);

  // The ordering key of the event that last wrote this entity, or nullopt for a new entity.
  std::optional<OrderingKey> find(const std::string& id);

 private:
  SQLite::Statement select_;
};

}  // namespace seatmirror
