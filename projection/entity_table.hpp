// What every read-model projector shares: the ordering key stored with each entity row, and
// the two ways a row is written (a whole upsert, or a tombstone over what is there).
#pragma once

#include "decode/inventory_event.hpp"

#include "storage/sql_connection.hpp"

#include <memory>

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

// The SQL that writes one whole entity row: id first, then each `content` column (bound),
// then `fixed` (column, SQL value) pairs, then last_event_id and the ordering key, bound in
// that order. It is an upsert rather than REPLACE: a conflicting row is rewritten in place,
// where REPLACE would delete it and insert a new one, churning the table and its index.
std::string entity_upsert_sql(const std::string& table, const std::vector<std::string>& content,
                              const std::vector<std::pair<std::string, std::string>>& fixed = {});

// The SQL of a delete: binds id, deleted_at, last_event_id and the ordering key. A known row
// keeps its content and becomes deleted = 1; an unknown id gets a row with no content, so an
// older create arriving later is still recognised as stale.
std::string tombstone_upsert_sql(const std::string& table);

class EntityKeys {
 public:
  EntityKeys(sql::Connection& db, const std::string& table);

  // The ordering key of the event that last wrote this entity, or nullopt for a new entity.
  std::optional<OrderingKey> find(const std::string& id);

 private:
  std::unique_ptr<sql::Statement> select_;
};

}  // namespace seatmirror
