// A private PostgreSQL cluster for tests: initdb in a fresh folder, listening only on a free
// 127.0.0.1 port and on a socket in that folder, stopped by its own pg_ctl (and by PID if that
// fails) when the object goes. Nothing system-wide: no service, no other port, no other data.
// PostgreSQL refuses to run as root; as root the cluster runs as the `postgres` user that
// Debian's package creates.
#pragma once

#include "tests/support/test_database.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <utility>

// In a test case that needs PostgreSQL: skip it with the reason (a warning) where none can run.
#define SKIP_WITHOUT_POSTGRES()                                                        \
  if (const auto reason = ::seatmirror::test::PostgresCluster::unavailable_reason()) { \
    WARN("skipped: " << *reason);                                                      \
    return;                                                                            \
  }

namespace seatmirror::test {

class PostgresCluster {
 public:
  // Why no cluster can be started here (PostgreSQL not installed, no postgres user as root),
  // or nullopt when one can. Tests that need one skip with this message.
  static std::optional<std::string> unavailable_reason();
  // The uid and gid the server runs as when it is not us (we are root), for folders it must own.
  static std::optional<std::pair<unsigned, unsigned>> server_user_ids();

  PostgresCluster();  // initdb, start, create database "seatmirror"; throws with the server log on failure
  // A hot-standby replica of the running `primary` (pg_basebackup, streaming replication) on
  // a port of its own: it answers reads and follows the primary's commits a moment later.
  struct StandbyOf {
    const PostgresCluster& primary;
  };
  explicit PostgresCluster(StandbyOf standby);
  ~PostgresCluster();
  PostgresCluster(const PostgresCluster&) = delete;
  PostgresCluster& operator=(const PostgresCluster&) = delete;

  // postgresql://seatmirror@127.0.0.1:PORT/DATABASE
  std::string url(const std::string& database = "seatmirror") const;
  unsigned short port() const { return port_; }

  void stop();   // pg_ctl stop -m fast (the outage tests); idempotent
  void start();  // again, on the same port and data

 private:
  std::string run_as_owner(const std::string& command) const;  // throws with its output on failure
  void make_folder();  // the cluster's folder, owned by the server's user, and a free port

  TempDir dir_;
  std::filesystem::path folder_;  // owned by the server's user
  std::filesystem::path bin_;
  unsigned short port_ = 0;
  bool running_ = false;
};

}  // namespace seatmirror::test
