#include "tests/support/postgres_cluster.hpp"

#include <fmt/format.h>

#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <memory>
#include <stdexcept>

namespace seatmirror::test {
namespace {

constexpr const char* kServerUser = "postgres";  // the Debian package's; used only when we are root

// The newest /usr/lib/postgresql/N/bin that has initdb.
std::optional<std::filesystem::path> find_bin() {
  std::optional<std::filesystem::path> best;
  std::error_code ignored;
  for (const auto& version : std::filesystem::directory_iterator{"/usr/lib/postgresql", ignored}) {
    const auto bin = version.path() / "bin";
    if (std::filesystem::exists(bin / "initdb") && (!best || bin > *best)) best = bin;
  }
  return best;
}

unsigned short free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    throw std::runtime_error("no free loopback port");
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

std::string quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string{"'\\''"} : std::string(1, c);
  return out + "'";
}

}  // namespace

std::optional<std::string> PostgresCluster::unavailable_reason() {
  if (!find_bin())
    return "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install postgresql";
  if (::geteuid() == 0 && !::getpwnam(kServerUser)) {
    return "running as root and there is no 'postgres' user to run PostgreSQL as (it refuses root)";
  }
  return std::nullopt;
}

std::optional<std::pair<unsigned, unsigned>> PostgresCluster::server_user_ids() {
  if (::geteuid() != 0) return std::nullopt;
  const auto* user = ::getpwnam(kServerUser);
  if (!user) return std::nullopt;
  return std::pair<unsigned, unsigned>{user->pw_uid, user->pw_gid};
}

std::string PostgresCluster::run_as_owner(const std::string& command) const {
  const auto full = ::geteuid() == 0 ? fmt::format("runuser -u {} -- sh -c {} 2>&1", kServerUser, quoted(command))
                                     : fmt::format("sh -c {} 2>&1", quoted(command));
  std::unique_ptr<FILE, int (*)(FILE*)> pipe{::popen(full.c_str(), "r"), &::pclose};
  if (!pipe) throw std::runtime_error("cannot run " + command);
  std::string output;
  std::array<char, 4096> buffer{};
  while (const auto n = std::fread(buffer.data(), 1, buffer.size(), pipe.get())) output.append(buffer.data(), n);
  const int status = ::pclose(pipe.release());
  if (status != 0) throw std::runtime_error(fmt::format("{} failed:\n{}", command, output));
  return output;
}

void PostgresCluster::make_folder() {
  if (const auto reason = unavailable_reason()) throw std::runtime_error(*reason);
  bin_ = *find_bin();
  folder_ = dir_.path() / "postgres";
  std::filesystem::create_directories(folder_);
  // The server's user must be able to reach its folder whatever the umask made of ours.
  std::filesystem::permissions(dir_.path(), std::filesystem::perms::others_exec | std::filesystem::perms::group_exec,
                               std::filesystem::perm_options::add);
  if (const auto owner = server_user_ids()) {
    if (::chown(folder_.c_str(), owner->first, owner->second) != 0)
      throw std::runtime_error("cannot chown the cluster folder");
  }
  port_ = free_loopback_port();
}

PostgresCluster::PostgresCluster() {
  make_folder();
  // Trust on loopback and the private socket only; fsync stays on: a 2xx must mean committed.
  run_as_owner(fmt::format("{} -D {} -U seatmirror --auth=trust -E UTF8 --no-instructions >/dev/null",
                           (bin_ / "initdb").string(), (folder_ / "data").string()));
  start();
  run_as_owner(fmt::format("{} -h 127.0.0.1 -p {} -U seatmirror seatmirror", (bin_ / "createdb").string(), port_));
}

PostgresCluster::PostgresCluster(StandbyOf standby) {
  make_folder();
  // -R writes standby.signal and the primary's address: started, it replays what the primary commits.
  run_as_owner(fmt::format("{} -h 127.0.0.1 -p {} -U seatmirror -D {} -R -X stream -c fast",
                           (bin_ / "pg_basebackup").string(), standby.primary.port(), (folder_ / "data").string()));
  start();
}

void PostgresCluster::start() {
  if (running_) return;
  run_as_owner(fmt::format("{} -D {} -w -t 60 -l {} -o {} start >/dev/null", (bin_ / "pg_ctl").string(),
                           (folder_ / "data").string(), (folder_ / "server.log").string(),
                           quoted(fmt::format("-p {} -k {} -c listen_addresses=127.0.0.1", port_, folder_.string()))));
  running_ = true;
}

void PostgresCluster::stop() {
  if (!running_) return;
  try {
    run_as_owner(fmt::format("{} -D {} -m fast -w -t 60 stop >/dev/null", (bin_ / "pg_ctl").string(),
                             (folder_ / "data").string()));
  } catch (const std::exception&) {
    // pg_ctl could not stop it: the postmaster's PID is the first line of postmaster.pid.
    std::ifstream pid_file{folder_ / "data" / "postmaster.pid"};
    pid_t pid = 0;
    if (pid_file >> pid && pid > 0) ::kill(pid, SIGKILL);
  }
  running_ = false;
}

PostgresCluster::~PostgresCluster() { stop(); }

std::string PostgresCluster::url(const std::string& database) const {
  return fmt::format("postgresql://seatmirror@127.0.0.1:{}/{}", port_, database);
}

}  // namespace seatmirror::test
