// What opening any store takes and the rules both stores share: the options, the shape of
// a migration, and the one schema-version rule. Neither store's header is needed to use them.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace seatmirror {

namespace sql {
class Connection;
}

struct Migration {
  int version;
  const char* name;
  const char* sql;
};

enum class Durability {
  full,    // synchronous=FULL: a commit survives power loss (the default)
  normal,  // synchronous=NORMAL: survives a process crash, may lose the last commits on power loss
};

struct DatabaseOptions {
  Durability durability = Durability::full;
  bool read_only = false;
  int busy_timeout_ms = 5000;
  // Apply migrations up to this version only (tests build old files with it); 0 = newest.
  int migrate_to_version = 0;
  // WAL pages after which a commit copies the log back into the database file (SQLite's
  // default is 1000). Replay from files raises it to kBulkLoadWalPages.
  int wal_autocheckpoint_pages = 1000;
  // Some upgrades (SQLite's migration 6) need the read models computed again from the ledger,
  // which only the write side knows how to do: it passes this step (projection_engine.hpp:
  // with_reprojection), run inside the upgrade's transaction. Without it such an upgrade is
  // refused, saying which command can do it; storage never reaches up for it.
  std::function<void(sql::Connection&)> reproject_read_models;
};

// The one rule for the schema version `found` in a store (SQLite's or PostgreSQL's), against
// the `newest` this build knows: newer is always refused (upgrade seatmirror); a reader, which
// upgrades nothing, also refuses older, saying how to get it upgraded (`upgrade_hint`).
// `store`: the file or printable URL, for the message.
void check_schema_version(const std::string& store, int found, int newest, bool reading, std::string_view upgrade_hint);

}  // namespace seatmirror
