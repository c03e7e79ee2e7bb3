// "Did you mean --json?" for an option or subcommand a user mistyped, as git and cargo say it:
// the closest name the command that was parsed knows, when it is close enough to be the one
// meant (a few edits, fewer than a third of the name).
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seatmirror::cli {

// The name among `known` closest to `typed`, or nullopt when none is plausibly meant.
std::optional<std::string> closest_name(std::string_view typed, const std::vector<std::string>& known);

// "seatmirror seats usage": the subcommands parsed, as the user typed them.
std::string parsed_command_path(const CLI::App& app);

// After a parse error: one "did you mean" line per argument left over, for the deepest
// subcommand that was parsed ("" when nothing is close).
std::string suggestions_for(const CLI::App& app);

}  // namespace seatmirror::cli
