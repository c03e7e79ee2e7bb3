// The seatmirror subcommands. Each add_* registers its options on the CLI11 app and sets
// `run` to the function to call once parsing succeeded; that function returns the exit code.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <string_view>

namespace seatmirror::cli {

// Exit codes shared by every command.
constexpr int kExitOk = 0;
constexpr int kExitRejected = 1;  // replay, rejected retry: some payloads were (still) rejected; sync: drift left
constexpr int kExitUsage = 2;     // bad arguments or unreadable input
constexpr int kExitFailure = 3;   // the database could not be opened or written
constexpr int kExitApi = 4;       // sync: the Inventory API failed

// Each code with what it means to the user, for the man page's EXIT STATUS (one list, so the
// page cannot drift from the codes).
struct ExitStatus {
  int code;
  std::string_view meaning;
};
constexpr ExitStatus kExitStatuses[] = {
    {kExitOk, "success: everything accepted, in sync, or repaired"},
    {kExitRejected, "some payloads rejected (replay, rejected retry), or drift left (sync)"},
    {kExitUsage, "usage error: a bad option, argument or unreadable input file"},
    {kExitFailure, "the database could not be opened or written (replay --to: deliveries not stored)"},
    {kExitApi, "sync: the Inventory API failed (what was repaired before stays)"},
};

using Runner = std::function<int()>;

void add_replay_command(CLI::App& app, Runner& run);
void add_rebuild_command(CLI::App& app, Runner& run);
void add_stats_command(CLI::App& app, Runner& run);
void add_backup_command(CLI::App& app, Runner& run);  // an online copy of an SQLite database
void add_serve_command(CLI::App& app, Runner& run);
void add_read_commands(CLI::App& app, Runner& run);  // query, events, rejected, show

// --db PATH, also read from SEATMIRROR_DB.
CLI::Option* add_db_option(CLI::App& command, std::string& db_path);

// Commands that read or maintain a database must not create an empty one by accident: false
// (after saying so on stderr) when the file does not exist.
bool require_database(const std::string& db_path);

void add_seat_commands(CLI::App& app, Runner& run);           // seats usage, entitlements import|list|show
void add_rejected_retry_command(CLI::App& app, Runner& run);  // rejected retry (after add_read_commands)
void add_sync_command(CLI::App& app, Runner& run);            // sync: the copy against the Inventory API
void add_completion_command(CLI::App& app, Runner& run);      // completion bash|man (app/cli_reference)

}  // namespace seatmirror::cli
