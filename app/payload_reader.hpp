// Reads webhook bodies from files for replay, one at a time, never the whole input at once.
//   FILE.json    one body: the file's exact bytes
//   FILE.ndjson  one body per non-blank line
//   DIR          its .json and .ndjson files, in name order (not recursive)
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace seatmirror {

// An input that cannot be read at all: a usage error, reported before anything is applied.
struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Payload {
  std::string body;
  std::string source;  // "path" or "path:line", for messages
};

class PayloadReader {
 public:
  // Expands directories and checks every file up front; throws InputError.
  explicit PayloadReader(const std::vector<std::filesystem::path>& inputs);

  // Fills `payload` with the next body; false at the end of the input.
  bool next(Payload& payload);

  std::uintmax_t total_bytes() const { return total_bytes_; }
  std::uintmax_t bytes_done() const { return bytes_done_; }

 private:
  bool open_next_file();

  std::vector<std::filesystem::path> files_;
  std::size_t next_file_ = 0;
  std::filesystem::path current_;
  std::ifstream stream_;
  bool current_is_ndjson_ = false;
  std::size_t line_ = 0;
  std::uintmax_t total_bytes_ = 0;
  std::uintmax_t bytes_done_ = 0;
};

}  // namespace seatmirror
