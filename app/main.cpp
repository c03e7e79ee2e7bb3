// seatmirror: a live, queryable local copy of a Betterez seat inventory.
// This file only wires the subcommands; each lives in its own file under app/.
#include "app/build_info.hpp"
#include "app/commands.hpp"
#include "app/did_you_mean.hpp"
#include "app/log_format.hpp"

#include <SQLiteCpp/Exception.h>
#include <fmt/format.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <malloc.h>

namespace {

// glibc hands memory freed at the top of a heap back to the kernel once more than 128 KiB is
// free there, and grows the heap by 128 KiB at a time. The writer frees most of what a batch
// used when the batch ends and allocates it again for the next, so each batch paid for the
// heap shrinking and growing again, and for the kernel zero-filling the pages once more
// (sysmalloc was 7% of the writer thread's samples). Keep freed memory, and grow in larger
// steps: address space, not resident memory, until touched; what was freed stays with the
// process for reuse. (bench/ingest_ab.sh, three pairs: server CPU per request
// 168/180/137 -> 155/143/129 us, writer 68/71/55 -> 63/58/50 us per event.)
void keep_freed_memory_for_reuse() {
  mallopt(M_TOP_PAD, 16 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace seatmirror::cli;
  keep_freed_memory_for_reuse();
  // Diagnostics go to stderr so that stdout carries only results (replay lines, stats).
  spdlog::set_default_logger(spdlog::stderr_logger_mt("seatmirror"));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);

  CLI::App app{"seatmirror: keeps a live, queryable copy (SQLite or PostgreSQL) of a Betterez seat inventory",
               "seatmirror"};  // not argv[0] in usage lines, which may be a long path
  app.set_version_flag(
      "--version", [] { return version_text(); }, "print the version, the schema versions and the libraries'");
  app.require_subcommand(0, 1);  // none only with --version, checked below
  Runner run;
  add_serve_command(app, run);
  add_replay_command(app, run);
  add_rebuild_command(app, run);
  add_stats_command(app, run);
  add_backup_command(app, run);
  add_read_commands(app, run);
  add_rejected_retry_command(app, run);
  add_seat_commands(app, run);
  add_sync_command(app, run);
  add_completion_command(app, run);
  app.add_subcommand("version", "Print the version, the schema versions and the libraries'")->callback([&run] {
    run = [] {
      fmt::print("{}", version_text());
      return kExitOk;
    };
  });

  // The commands that log as they work; the others print results and errors only.
  std::string log_format = "text";
  for (const char* name : {"serve", "sync", "replay", "rebuild"})
    add_log_format_option(*app.get_subcommand(name), log_format);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion&) {
    fmt::print("{}", version_text());
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "{}\n{}Run '{} --help' for usage.\n", e.what(), suggestions_for(app), parsed_command_path(app));
    return kExitUsage;
  }
  use_log_format(log_format);
  if (!run) {
    fmt::print(stderr, "A subcommand is required.\nRun 'seatmirror --help' for usage.\n");
    return kExitUsage;
  }
  // The error that ends a command: a JSON log line when the log is JSON, else plain text.
  const auto report = [&log_format](const std::string& message) {
    if (log_format == "json") {
      spdlog::error("{}", message);
    } else {
      fmt::print(stderr, "error: {}\n", message);
    }
  };
  try {
    return run();
  } catch (const SQLite::Exception& e) {
    report(fmt::format("database: {}", e.what()));
    return kExitFailure;
  } catch (const std::exception& e) {
    report(e.what());
    return kExitFailure;
  }
}
