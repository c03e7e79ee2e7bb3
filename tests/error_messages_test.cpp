// The errors a user can cause, as the real binary prints them: each says what happened in
// plain words, names the file or address, suggests the fix, and names no library's source.
#include "tests/support/scenario.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_database.hpp"

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

using namespace seatmirror;

namespace {

std::string cli_error(const test::TempDir& dir) { return test::read_file(dir.path() / "cli.err"); }

void check_plain_words(const std::string& message) {
  CHECK_THAT(message, !Catch::Contains("/usr/include") && !Catch::Contains("boost::") && !Catch::Contains("asio."));
}

std::string fixtures_seeds() { return "'" + (test::fixtures_dir() / "seeds").string() + "'"; }

}  // namespace

TEST_CASE("serve on a port already taken names it, suggests --listen, and creates no database", "[errors]") {
  test::TempDir dir;
  test::ServerProcess first{dir};
  const auto other_db = dir.path() / "other.db";
  const int code = test::run_cli(dir, fmt::format("serve --dev --state-dir '{}' --listen 127.0.0.1:{} --db '{}'",
                                                  (dir.path() / "state").string(), first.port(), other_db.string()));
  CHECK(code != 0);
  const auto message = cli_error(dir);
  CHECK_THAT(message, Catch::Contains(
                          fmt::format("cannot listen on 127.0.0.1:{}: the address is already in use", first.port())));
  CHECK_THAT(message, Catch::Contains("--listen HOST:PORT"));
  check_plain_words(message);
  CHECK_FALSE(std::filesystem::exists(other_db));  // bound before the database was created
}

TEST_CASE("replay --to a port nobody listens on asks whether serve is running there", "[errors]") {
  test::TempDir dir;
  // A port that was free a moment ago and is closed again: nothing listens on it.
  unsigned short port = 0;
  {
    test::ServerProcess server{dir};
    port = server.port();
  }
  std::ofstream{dir.path() / "secret"} << test::kTestSecret << "\n";
  CHECK(test::run_cli(dir, fmt::format("replay --to https://127.0.0.1:{}/webhooks/inventory --secret-file '{}' {}",
                                       port, (dir.path() / "secret").string(), fixtures_seeds())) != 0);
  const auto message = cli_error(dir);
  CHECK_THAT(message, Catch::Contains(fmt::format("cannot connect to 127.0.0.1:{}: connection refused", port)));
  CHECK_THAT(message, Catch::Contains("is `seatmirror serve` running there"));
  check_plain_words(message);
}

TEST_CASE("replay --to a self-signed receiver suggests --cacert or --insecure, and --cacert works", "[errors]") {
  test::TempDir dir;
  test::ServerProcess server{dir};
  const auto send = [&](const std::string& trust) {
    return test::run_cli(dir, fmt::format("replay -q --to {} {} --secret-file '{}' {}", server.webhook_url(), trust,
                                          server.secret_file().string(), fixtures_seeds()));
  };
  CHECK(send("") != 0);
  const auto message = cli_error(dir);
  CHECK_THAT(message, Catch::Contains(fmt::format("the certificate of 127.0.0.1:{} is not trusted", server.port())));
  CHECK_THAT(message, Catch::Contains("--cacert FILE") && Catch::Contains("--insecure"));
  check_plain_words(message);

  const auto certificate = dir.path() / "state" / "dev-certificate.pem";
  REQUIRE(std::filesystem::exists(certificate));
  CHECK(send("--cacert '" + certificate.string() + "'") == 0);
  CHECK_THAT(test::read_file(dir.path() / "cli.out"), Catch::Contains("8 accepted"));

  CHECK(send("--cacert '" + (dir.path() / "missing.pem").string() + "'") == 2);
  CHECK_THAT(cli_error(dir), Catch::Contains("--cacert " + (dir.path() / "missing.pem").string()));
}

TEST_CASE("a database file the user may not open is named with permission denied", "[errors]") {
  test::TempDir dir;
  std::filesystem::permissions(dir.path(), std::filesystem::perms::all);  // others may enter
  const auto db = dir.path() / "locked.db";
  REQUIRE(test::run_cli(dir, fmt::format("replay -q --db '{}' {}", db.string(), fixtures_seeds())) == 0);
  std::filesystem::permissions(db, std::filesystem::perms::none);
  // root opens any file: as root, run the command as nobody.
  const std::string run_as = ::geteuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : "";
  const auto err = dir.path() / "locked.err";
  const int status = std::system(
      fmt::format("{}'{}' stats --db '{}' 2>'{}'", run_as, SEATMIRROR_BINARY, db.string(), err.string()).c_str());
  CHECK(status != 0);
  const auto message = test::read_file(err);
  CHECK_THAT(message, Catch::Contains(fmt::format("cannot open database {}: permission denied", db.string())));
  check_plain_words(message);
}

TEST_CASE("a file that is not an SQLite database is named as such", "[errors]") {
  test::TempDir dir;
  const auto notes = dir.path() / "notes.db";
  std::ofstream{notes} << "these are my notes, not a database\n";
  CHECK(test::run_cli(dir, fmt::format("stats --db '{}'", notes.string())) == 3);
  const auto message = cli_error(dir);
  CHECK_THAT(message, Catch::Contains(fmt::format("{} is not an SQLite database", notes.string())));
  check_plain_words(message);
  CHECK(test::read_file(notes) == "these are my notes, not a database\n");
}

TEST_CASE("another program's SQLite database is refused, an empty one is taken", "[errors]") {
  test::TempDir dir;
  const auto foreign = dir.path() / "foreign.sqlite";
  REQUIRE(
      std::system(fmt::format("sqlite3 '{}' 'CREATE TABLE orders(id); INSERT INTO orders VALUES (1)'", foreign.string())
                      .c_str()) == 0);
  CHECK(test::run_cli(dir, fmt::format("replay -q --db '{}' {}", foreign.string(), fixtures_seeds())) == 3);
  const auto message = cli_error(dir);
  CHECK_THAT(message, Catch::Contains(fmt::format(
                          "{} is an SQLite database but not seatmirror's (it holds tables orders)", foreign.string())));
  CHECK_THAT(message, Catch::Contains("refusing to add seatmirror's tables"));
  // Nothing was added to it.
  REQUIRE(std::system(fmt::format("sqlite3 '{}' \"SELECT group_concat(name) FROM sqlite_schema WHERE type = 'table'\" "
                                  ">'{}'",
                                  foreign.string(), (dir.path() / "tables").string())
                          .c_str()) == 0);
  CHECK(test::read_file(dir.path() / "tables") == "orders\n");

  const auto empty = dir.path() / "empty.sqlite";
  REQUIRE(std::system(fmt::format("sqlite3 '{}' 'VACUUM'", empty.string()).c_str()) == 0);
  CHECK(test::run_cli(dir, fmt::format("replay -q --db '{}' {}", empty.string(), fixtures_seeds())) == 0);
}
