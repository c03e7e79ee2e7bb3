// How seatmirror's own log lines (spdlog, on stderr) are written: "text" for a person at a
// terminal, or "json" -- one object per line with time, level and message -- so that a log
// shipper reading the journal parses them as it parses the request log on stdout.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace seatmirror::cli {

// --log-format text|json (also SEATMIRROR_LOG_FORMAT) on `command`, stored in `format`.
void add_log_format_option(CLI::App& command, std::string& format);

// Applies `format` to the default logger (text is how main sets it up).
void use_log_format(const std::string& format);

}  // namespace seatmirror::cli
