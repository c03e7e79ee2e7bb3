#include "app/log_format.hpp"

#include "decode/bz_date.hpp"
#include "json/json_text.hpp"

#include <spdlog/formatter.h>
#include <spdlog/spdlog.h>

#include <memory>

namespace seatmirror::cli {
namespace {

// {"time":"2026-12-05T16:35:51.633Z","level":"info","message":"listening on https://…"}: the
// message is escaped as a JSON string, so any text in it (a path, a peer's reason) stays one line.
class JsonLineFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& message, spdlog::memory_buf_t& dest) override {
    std::string line = R"({"time":")" + format_utc(message.time) + R"(","level":")";
    const auto level = spdlog::level::to_string_view(message.level);
    line.append(level.data(), level.size());
    line += R"(","message":)";
    append_json_string(line, std::string_view{message.payload.data(), message.payload.size()});
    line += "}\n";
    dest.append(line.data(), line.data() + line.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JsonLineFormatter>(); }
};

}  // namespace

void add_log_format_option(CLI::App& command, std::string& format) {
  command
      .add_option("--log-format", format,
                  "how log lines on stderr are written: text, or json (one object per line: time, level, message)")
      ->check(CLI::IsMember({"text", "json"}))
      ->envname("SEATMIRROR_LOG_FORMAT")
      ->capture_default_str();
}

void use_log_format(const std::string& format) {
  if (format == "json") spdlog::set_formatter(std::make_unique<JsonLineFormatter>());
}

}  // namespace seatmirror::cli
