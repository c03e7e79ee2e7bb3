#include "tests/support/server_process.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>
#include <thread>

namespace seatmirror::test {

ServerProcess::ServerProcess(const TempDir& dir, std::vector<std::string> extra_arguments, std::filesystem::path db,
                             unsigned max_open_files)
    : dir_(dir.path()), db_(db.empty() ? dir_ / "seatmirror.db" : std::move(db)) {
  std::ofstream{secret_file()} << "# live secrets, one per line\n" << kTestSecret << "\n" << kRotatedSecret << "\n";
  std::vector<std::string> arguments = {SEATMIRROR_BINARY,
                                        "serve",
                                        "--dev",
                                        "--listen",
                                        "127.0.0.1:0",
                                        "--db",
                                        db_path().string(),
                                        "--state-dir",
                                        (dir_ / "state").string(),
                                        "--secret-file",
                                        secret_file().string(),
                                        "--threads",
                                        "2"};
  arguments.insert(arguments.end(), extra_arguments.begin(), extra_arguments.end());
  // A restart on the same directory must not read the previous run's "listening on" line.
  std::filesystem::remove(dir_ / "server.err");
  std::filesystem::remove(dir_ / "server.out");
  pid_ = ::fork();
  if (pid_ == 0) {
    const int out = ::open((dir_ / "server.out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = ::open((dir_ / "server.err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(out, STDOUT_FILENO);
    ::dup2(err, STDERR_FILENO);
    if (max_open_files) {
      const rlimit limit{max_open_files, max_open_files};
      ::setrlimit(RLIMIT_NOFILE, &limit);
    }
    std::vector<char*> argv;
    for (auto& argument : arguments) argv.push_back(argument.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    const auto log = stderr_text();
    const auto at = log.find("listening on ");
    if (at != std::string::npos && log.find('\n', at) != std::string::npos) {
      const auto start = at + 13;
      base_url_ = log.substr(start, log.find('\n', start) - start);
      return;
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("seatmirror serve exited at start: " + log);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("seatmirror serve did not start listening within 20 s: " + stderr_text());
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) stop(SIGKILL);
}

int ServerProcess::stop(int signal, std::chrono::milliseconds* took) {
  if (pid_ <= 0) return -1;
  const auto started = std::chrono::steady_clock::now();
  ::kill(pid_, signal);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  if (took) *took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string ServerProcess::stderr_text() const {
  return std::filesystem::exists(dir_ / "server.err") ? read_file(dir_ / "server.err") : "";
}
std::string ServerProcess::stdout_text() const {
  return std::filesystem::exists(dir_ / "server.out") ? read_file(dir_ / "server.out") : "";
}

int run_cli(const TempDir& dir, const std::string& arguments) {
  const auto command = fmt::format("'{}' {} >'{}' 2>'{}' </dev/null", SEATMIRROR_BINARY, arguments,
                                   (dir.path() / "cli.out").string(), (dir.path() / "cli.err").string());
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace seatmirror::test
