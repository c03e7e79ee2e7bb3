// The real seatmirror binary, run as a user would: exit codes, output, and the database it leaves.
#include "storage/database.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_database.hpp"

#include <fmt/format.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace seatmirror;

namespace {

struct Run {
  int exit_code;
  std::string out;
  std::string err;
};

Run seatmirror_cli(const test::TempDir& dir, const std::string& arguments) {
  const auto out = dir.path() / "stdout", err = dir.path() / "stderr";
  const auto command =
      fmt::format("'{}' {} >'{}' 2>'{}' </dev/null", SEATMIRROR_BINARY, arguments, out.string(), err.string());
  const int status = std::system(command.c_str());
  REQUIRE(WIFEXITED(status));
  return {WEXITSTATUS(status), test::read_file(out), test::read_file(err)};
}

std::string fixtures(const std::string& relative) { return "'" + (test::fixtures_dir() / relative).string() + "'"; }

std::size_t count_lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace

TEST_CASE("replay of the seeds fills the read models and prints one line per payload", "[cli]") {
  test::TempDir dir;
  const auto db = (dir.path() / "x.db").string();
  const auto run = seatmirror_cli(dir, "replay --db " + db + " " + fixtures("seeds"));
  INFO(run.err);
  CHECK(run.exit_code == 0);
  CHECK(count_lines(run.out) == 9);  // 8 payloads and the summary
  CHECK_THAT(run.out, Catch::Contains("0b8f6e52-3c1d-4a4f-9a57-2f1e0c9d8b71\tseatfees.created\tapplied"));
  CHECK_THAT(run.out, Catch::Contains("8 applied, 0 duplicate, 0 stale, 0 ignored, 0 rejected"));

  auto database = open_database(db, {.read_only = true});
  SQLite::Statement fee{database, "SELECT id, short_name, type, value FROM seat_fees"};
  REQUIRE(fee.executeStep());
  CHECK(fee.getColumn(0).getString() == "64b7f0c2a1d3e4f5a6b7c8d9");
  CHECK(fee.getColumn(1).getString() == "PRM");
  CHECK(fee.getColumn(2).getString() == "$");
  CHECK(fee.getColumn(3).getDouble() == 12.5);

  const auto again = seatmirror_cli(dir, "replay --quiet --db " + db + " " + fixtures("seeds"));
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.out, Catch::Contains("0 applied, 8 duplicate"));
}

TEST_CASE("replay exits 1 when payloads were rejected and names them", "[cli]") {
  test::TempDir dir;
  const auto run = seatmirror_cli(dir, "replay -q --db " + (dir.path() / "x.db").string() + " " +
                                           fixtures("scenarios/invalid-payloads/deliveries.ndjson"));
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.out, Catch::Contains("deliveries.ndjson:4\trejected\tmalformed_json"));
  CHECK_THAT(run.out, Catch::Contains("invalid_data: data.shortName must be 1 to 3 characters, got 4"));
}

TEST_CASE("usage errors exit 2 with a message saying what to do", "[cli]") {
  test::TempDir dir;
  const auto db = (dir.path() / "x.db").string();
  auto missing = seatmirror_cli(dir, "replay --db " + db + " /nonexistent/payloads");
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::Contains("/nonexistent/payloads: no such file or directory"));
  CHECK_FALSE(std::filesystem::exists(db));  // nothing created for a command that did nothing

  const auto notes = dir.path() / "notes.txt";
  std::ofstream{notes} << "not a payload\n";
  auto wrong_kind = seatmirror_cli(dir, "replay --db " + db + " " + notes.string());
  CHECK(wrong_kind.exit_code == 2);
  CHECK_THAT(wrong_kind.err, Catch::Contains("expected .json, .ndjson or a directory"));

  CHECK(seatmirror_cli(dir, "replay --db " + db).exit_code == 2);
  CHECK(seatmirror_cli(dir, "").exit_code == 2);
  auto unknown = seatmirror_cli(dir, "frobnicate");
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err, Catch::Contains("--help"));

  // A mistyped option or command gets the one it is closest to, as git and cargo do.
  auto typo = seatmirror_cli(dir, "query seat-fees --jsno --db " + db);
  CHECK(typo.exit_code == 2);
  CHECK_THAT(typo.err, Catch::Contains("unknown option '--jsno' for 'seatmirror query'; did you mean '--json'?") &&
                           Catch::Contains("Run 'seatmirror query --help' for usage."));
  auto nested = seatmirror_cli(dir, "seats usage --customer a --from 2024-01-01 --to 2024-02-01 --tyep x --db " + db);
  CHECK_THAT(nested.err, Catch::Contains("did you mean '--type'?"));
  CHECK_THAT(seatmirror_cli(dir, "qeury seat-fees").err,
             Catch::Contains("unknown command 'qeury' for 'seatmirror'; did you mean 'query'?"));
  CHECK_THAT(seatmirror_cli(dir, "query seat-fees --frobnicate").err, !Catch::Contains("did you mean"));

  auto no_db = seatmirror_cli(dir, "rebuild --db " + db);
  CHECK(no_db.exit_code == 2);
  CHECK_THAT(no_db.err, Catch::Contains("does not exist"));
}

TEST_CASE("serve refuses an empty Basic password and tokens shorter than 16 characters", "[cli]") {
  test::TempDir dir;
  const auto file = [&](const char* name, const std::string& text) {
    std::ofstream{dir.path() / name} << text;
    return (dir.path() / name).string();
  };
  const auto serve = fmt::format("serve --dev --listen 127.0.0.1:0 --state-dir '{}' --db '{}' ",
                                 (dir.path() / "state").string(), (dir.path() / "s.db").string());
  const std::vector<std::pair<std::string, std::string>> refusals = {
      {"--read-token short", "a read token has only 5 characters"},
      {"--read-token-file " + file("read", "0123456789abcdef\nshort\n"), "a read token has only 5 characters"},
      {"--admin-token-file " + file("admin", "x\n"), "an admin token has only 1 characters"},
      {"--seat-api-credentials-file " + file("empty", "billing:\n"), "the password of billing is empty"},
      {"--seat-api-credentials-file " + file("weak", "billing:s3cret\n"),
       "the password of billing has only 6 characters"},
  };
  for (const auto& [arguments, message] : refusals) {
    INFO(arguments);
    CHECK(test::run_cli(dir, serve + arguments) == 2);
    const auto err = test::read_file(dir.path() / "cli.err");
    CHECK_THAT(err, Catch::Contains(message) && Catch::Contains("use at least 16 characters"));
  }
}

TEST_CASE("every command has --help", "[cli]") {
  test::TempDir dir;
  for (const char* command : {"", "replay", "rebuild", "stats"}) {
    INFO(command);
    const auto run = seatmirror_cli(dir, std::string{command} + " --help");
    CHECK(run.exit_code == 0);
    CHECK_THAT(run.out, Catch::Contains("Usage"));
  }
}

TEST_CASE("stats and rebuild report on a replayed database", "[cli]") {
  test::TempDir dir;
  const auto db = (dir.path() / "x.db").string();
  for (const auto& scenario : test::load_scenarios()) {
    seatmirror_cli(dir, "replay -q --db " + db + " " + fixtures("scenarios/" + scenario.name + "/deliveries.ndjson"));
  }
  const auto stats = seatmirror_cli(dir, "stats --db " + db);
  CHECK(stats.exit_code == 0);
  CHECK_THAT(stats.out, Catch::Contains("seat_fees") && Catch::Contains("stale") && Catch::Contains("rejected"));

  const auto rebuild = seatmirror_cli(dir, "rebuild --db " + db);
  CHECK(rebuild.exit_code == 0);
  CHECK_THAT(rebuild.out, Catch::Contains("rebuilt read models from"));
  CHECK(rebuild.err.find("different outcome") == std::string::npos);
}

TEST_CASE("serve --dev keeps its key, certificate and credential owner-only, in a git-ignored folder", "[cli]") {
  test::TempDir dir;
  const auto state = dir.path() / "state";  // ServerProcess's --state-dir
  // A folder made earlier by hand with the usual 0755 is tightened, and the log says so.
  std::filesystem::create_directories(state);
  std::filesystem::permissions(state, std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                                          std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                                          std::filesystem::perms::others_exec);
  {
    test::ServerProcess server{dir};
    CHECK(server.stop(SIGTERM) == 0);
    CHECK_THAT(server.stderr_text(), Catch::Contains("its mode is now 0700"));
  }
  CHECK((std::filesystem::status(state).permissions() & std::filesystem::perms::all) ==
        std::filesystem::perms::owner_all);
  int files = 0;
  for (const auto& file : std::filesystem::directory_iterator{state}) {
    INFO(file.path().string());
    CHECK((file.status().permissions() & std::filesystem::perms::all) ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
    ++files;
  }
  CHECK(files == 3);  // dev-key.pem, dev-certificate.pem, dev-seat-api-credential (the secret is given)
  // scripts/run.sh keeps them in the checkout's .seatmirror/, which git must ignore.
  const auto checkout = std::filesystem::path{SEATMIRROR_FIXTURES_DIR}.parent_path();
  if (std::filesystem::exists(checkout / ".git") && std::system("command -v git >/dev/null") == 0) {
    const auto ignored = [&](const char* path) {
      return std::system(fmt::format("git -C '{}' check-ignore -q '{}'", checkout.string(), path).c_str()) == 0;
    };
    CHECK(ignored(".seatmirror/dev-secret"));
    CHECK(ignored(".seatmirror/dev-key.pem"));
    CHECK(ignored("seatmirror.db-wal"));
  } else {
    WARN("not a git checkout: the .gitignore check is skipped");
  }
}

TEST_CASE("seatmirror --version and version say what runs: version, commit, schema versions, libraries", "[cli]") {
  test::TempDir dir;
  for (const char* arguments : {"--version", "version"}) {
    INFO(arguments);
    const auto result = seatmirror_cli(dir, arguments);
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.out, Catch::StartsWith("seatmirror 0.1.0 (commit ") &&
                               Catch::Contains("schema: SQLite version 8, PostgreSQL version 1") &&
                               Catch::Contains("Boost 1.81") && Catch::Contains("OpenSSL 3") &&
                               Catch::Contains("libpq ") && Catch::Contains("libcurl "));
  }
  const auto none = seatmirror_cli(dir, "");
  CHECK(none.exit_code == 2);
  CHECK_THAT(none.err, Catch::Contains("A subcommand is required"));
}

TEST_CASE("log lines on stderr are one JSON object each with --log-format json", "[cli]") {
  test::TempDir dir;
  std::string log;
  {
    test::ServerProcess server{dir, {"--log-format", "json"}};
    REQUIRE(server.stop(SIGTERM) == 0);
    log = server.stderr_text();
  }
  std::istringstream lines{log};
  std::string line;
  int parsed = 0;
  bool listening = false;
  while (std::getline(lines, line)) {
    INFO(line);
    const auto object = boost::json::parse(line).as_object();
    CHECK(object.at("time").as_string().size() == 24);  // 2026-12-05T16:35:51.633Z
    CHECK(object.at("level").is_string());
    listening |= object.at("message").as_string().starts_with("listening on https://127.0.0.1:");
    ++parsed;
  }
  CHECK(parsed >= 5);
  CHECK(listening);

  // The error that ends a command is a JSON line too; in text mode it stays "error: …".
  const auto db = (dir.path() / "other.db").string();
  std::ofstream{db} << "not a database at all, but long enough to be read as one's header....";
  auto json = seatmirror_cli(dir, "rebuild --log-format json --db " + db);
  CHECK(json.exit_code != 0);
  INFO(json.err);
  CHECK(boost::json::parse(json.err).at("level") == "error");
  CHECK_THAT(seatmirror_cli(dir, "rebuild --db " + db).err, Catch::StartsWith("error: "));
}

TEST_CASE("a warning from decoding a payload goes through the command's logger: stderr, in the chosen format",
          "[cli]") {
  // A seatmap whose capacity disagrees with the seats its sections lay out is stored with a
  // warning. It once came from a second copy of the logging library's state: printed on stdout
  // (which carries only results) in its own format, whatever --log-format said.
  test::TempDir dir;
  auto seatmap = boost::json::parse(test::read_file(test::fixtures_dir() / "seeds" / "006-seatmap.created.json"));
  seatmap.at("data").as_object()["capacity"] = 999;
  const auto payload = dir.path() / "capacity-999.json";
  std::ofstream{payload} << boost::json::serialize(seatmap);
  const auto db = (dir.path() / "mirror.db").string();
  const auto run = seatmirror_cli(dir, "replay --log-format json --db " + db + " '" + payload.string() + "'");
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.out, !Catch::Contains("capacity says"));
  bool warned = false;
  std::istringstream lines{run.err};
  std::string line;
  while (std::getline(lines, line)) {
    INFO(line);
    const auto object = boost::json::parse(line).as_object();
    warned |= object.at("level") == "warning" &&
              object.at("message").as_string().find("capacity says 999") != boost::json::string::npos;
  }
  CHECK(warned);
}
