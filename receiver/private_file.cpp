#include "receiver/private_file.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace seatmirror::receiver {

void write_private_file(const std::filesystem::path& path, std::string_view contents) {
  const auto folder = path.parent_path();
  if (!folder.empty() && !std::filesystem::exists(folder)) {
    std::filesystem::create_directories(folder);
    ::chmod(folder.c_str(), 0700);
  }
  const int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), fmt::format("cannot create {}", path.string()));
  std::size_t written = 0;
  while (written < contents.size()) {
    const auto n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      throw std::system_error(error, std::generic_category(), fmt::format("cannot write {}", path.string()));
    }
    written += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0)
    throw std::system_error(errno, std::generic_category(), fmt::format("cannot write {}", path.string()));
}

bool make_private_folder(const std::filesystem::path& folder) {
  namespace fs = std::filesystem;
  if (!fs::exists(folder)) {
    fs::create_directories(folder);
    fs::permissions(folder, fs::perms::owner_all, fs::perm_options::replace);
    return false;
  }
  if ((fs::status(folder).permissions() & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none)
    return false;
  fs::permissions(folder, fs::perms::group_all | fs::perms::others_all, fs::perm_options::remove);
  return true;
}

}  // namespace seatmirror::receiver
