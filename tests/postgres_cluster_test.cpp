// The private PostgreSQL cluster the PostgreSQL tests run against (issue 11): started by the
// test itself on loopback, committing synchronously, and gone afterwards. Skipped, with the
// reason, only where PostgreSQL is not installed.
#include "tests/support/postgres_cluster.hpp"

#include <libpq-fe.h>
#include <catch2/catch.hpp>

#include <memory>

using namespace seatmirror;

namespace {

using Connection = std::unique_ptr<PGconn, decltype(&PQfinish)>;

std::string single_value(PGconn* connection, const char* sql) {
  std::unique_ptr<PGresult, decltype(&PQclear)> result{PQexec(connection, sql), &PQclear};
  REQUIRE(PQresultStatus(result.get()) == PGRES_TUPLES_OK);
  return PQgetvalue(result.get(), 0, 0);
}

}  // namespace

TEST_CASE("a private PostgreSQL cluster starts on loopback, commits synchronously, stops and starts again",
          "[postgres]") {
  SKIP_WITHOUT_POSTGRES();
  test::PostgresCluster cluster;
  {
    Connection connection{PQconnectdb(cluster.url().c_str()), &PQfinish};
    REQUIRE(PQstatus(connection.get()) == CONNECTION_OK);
    CHECK(single_value(connection.get(), "SHOW listen_addresses") == "127.0.0.1");
    CHECK(single_value(connection.get(), "SHOW synchronous_commit") == "on");
    CHECK(single_value(connection.get(), "SHOW fsync") == "on");
    CHECK(single_value(connection.get(), "SELECT current_database()") == "seatmirror");
  }
  cluster.stop();
  {
    Connection refused{PQconnectdb(cluster.url().c_str()), &PQfinish};
    CHECK(PQstatus(refused.get()) == CONNECTION_BAD);
  }
  cluster.start();
  Connection again{PQconnectdb(cluster.url().c_str()), &PQfinish};
  CHECK(PQstatus(again.get()) == CONNECTION_OK);
}
