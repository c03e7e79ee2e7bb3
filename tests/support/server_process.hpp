// The real `seatmirror serve` binary as a child process on an ephemeral loopback port, with a
// generated development certificate and a known secret, for end-to-end tests.
#pragma once

#include "tests/support/test_database.hpp"

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace seatmirror::test {

constexpr const char* kTestSecret = "test-secret-current";
constexpr const char* kRotatedSecret = "test-secret-previous";

class ServerProcess {
 public:
  // Starts the server on dir/seatmirror.db (or `db`) with both test secrets live; waits until
  // it listens. `max_open_files` (when not 0) is its soft and hard RLIMIT_NOFILE.
  explicit ServerProcess(const TempDir& dir, std::vector<std::string> extra_arguments = {},
                         std::filesystem::path db = {}, unsigned max_open_files = 0);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  const std::string& base_url() const { return base_url_; }
  unsigned short port() const {
    return static_cast<unsigned short>(std::stoi(base_url_.substr(base_url_.rfind(':') + 1)));
  }
  pid_t pid() const { return pid_; }
  std::string webhook_url() const { return base_url_ + "/webhooks/inventory"; }
  const std::filesystem::path& db_path() const { return db_; }
  std::filesystem::path secret_file() const { return dir_ / "secrets"; }

  // Sends `signal` and waits for the exit; returns the exit code (or 128 + a killing signal).
  int stop(int signal, std::chrono::milliseconds* took = nullptr);
  std::string stderr_text() const;
  std::string stdout_text() const;

 private:
  std::filesystem::path dir_;
  std::filesystem::path db_;
  pid_t pid_ = -1;
  std::string base_url_;
};

// Runs the seatmirror binary with `arguments` (a shell word string); returns its exit code and
// leaves its output in dir/cli.out and dir/cli.err.
int run_cli(const TempDir& dir, const std::string& arguments);

}  // namespace seatmirror::test
