#include "app/payload_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

namespace seatmirror {
namespace {

namespace fs = std::filesystem;

bool is_payload_file(const fs::path& path) { return path.extension() == ".json" || path.extension() == ".ndjson"; }

bool is_blank(const std::string& line) {
  return std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

std::vector<fs::path> payload_files_in(const fs::path& directory) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator{directory}) {
    if (entry.is_regular_file() && is_payload_file(entry.path())) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

PayloadReader::PayloadReader(const std::vector<fs::path>& inputs) {
  for (const auto& input : inputs) {
    std::error_code ec;
    const auto status = fs::status(input, ec);
    if (ec || !fs::exists(status)) throw InputError(fmt::format("{}: no such file or directory", input.string()));
    if (fs::is_directory(status)) {
      auto found = payload_files_in(input);
      files_.insert(files_.end(), found.begin(), found.end());
    } else if (is_payload_file(input)) {
      files_.push_back(input);
    } else {
      throw InputError(fmt::format("{}: not a payload file (expected .json, .ndjson or a directory)", input.string()));
    }
  }
  for (const auto& file : files_) total_bytes_ += fs::file_size(file);
}

bool PayloadReader::open_next_file() {
  if (next_file_ == files_.size()) return false;
  current_ = files_[next_file_++];
  stream_ = std::ifstream{current_, std::ios::binary};
  if (!stream_) throw InputError(fmt::format("{}: cannot be read", current_.string()));
  current_is_ndjson_ = current_.extension() == ".ndjson";
  line_ = 0;
  return true;
}

bool PayloadReader::next(Payload& payload) {
  while (true) {
    if (!stream_.is_open() && !open_next_file()) return false;
    if (!current_is_ndjson_) {
      payload.body.assign(std::istreambuf_iterator<char>{stream_}, std::istreambuf_iterator<char>{});
      payload.source = current_.string();
      bytes_done_ += payload.body.size();
      stream_.close();
      return true;
    }
    while (std::getline(stream_, payload.body)) {
      ++line_;
      bytes_done_ += payload.body.size() + 1;
      if (is_blank(payload.body)) continue;
      if (payload.body.back() == '\r') payload.body.pop_back();
      payload.source = fmt::format("{}:{}", current_.string(), line_);
      return true;
    }
    stream_.close();
  }
}

}  // namespace seatmirror
