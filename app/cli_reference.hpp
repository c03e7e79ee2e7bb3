// The command-line reference, written from the CLI11 tree the binary parses with: the man page
// (seatmirror(1)) and the bash completion script. Both are produced at build time by running
// the binary (`seatmirror completion bash`, `seatmirror completion man`), so a new option is in
// the page and the completion the moment it is in --help; nothing is kept by hand twice.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace seatmirror::cli {

// A bash script defining completion for `seatmirror`: subcommands at each level, the options
// of the command typed so far, the choices of an option with a fixed set, files elsewhere.
std::string bash_completion_script(const CLI::App& root);

// seatmirror(1) in roff (man(7) macros): every command with its options, defaults and
// environment variables, then exit status, files and the packaged service.
std::string man_page(const CLI::App& root, const std::string& version);

}  // namespace seatmirror::cli
