// For fuzz targets whose code logs: lines are still formatted (that code is fuzzed too) but not
// written, since tens of thousands of schema-upgrade and stale-event lines an hour would bury
// libFuzzer's own report. Call it from LLVMFuzzerInitialize.
#pragma once

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <memory>

namespace seatmirror::fuzz {

inline void discard_log_lines() {
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("fuzz", std::make_shared<spdlog::sinks::null_sink_mt>()));
}

}  // namespace seatmirror::fuzz
