#include "app/secrets.hpp"

#include "receiver/private_file.hpp"
#include "receiver/signature.hpp"

#include <fmt/format.h>
#include <openssl/rand.h>

#include <fstream>
#include <stdexcept>

namespace seatmirror::cli {

std::vector<std::string> read_secret_file(const std::filesystem::path& path) {
  std::ifstream in{path};
  if (!in) throw std::runtime_error(fmt::format("cannot read secret file {}", path.string()));
  std::vector<std::string> secrets;
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
    const auto start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    secrets.push_back(line.substr(start));
  }
  if (secrets.empty()) throw std::runtime_error(fmt::format("secret file {} holds no secret", path.string()));
  return secrets;
}

namespace {

// A file in state_dir holding prefix + 32 random bytes in hex, made owner-only on first use.
std::string ensure_dev_file(const std::filesystem::path& state_dir, const char* name, std::string_view prefix,
                            bool& created) {
  const auto path = state_dir / name;
  created = false;
  if (std::filesystem::exists(path)) return read_secret_file(path).front();
  std::string random(32, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(random.data()), static_cast<int>(random.size())) != 1) {
    throw std::runtime_error(fmt::format("cannot generate {}: no randomness", name));
  }
  const auto secret = std::string{prefix} + receiver::encode_hex(random);
  receiver::write_private_file(path, secret + "\n");
  created = true;
  return secret;
}

}  // namespace

std::string ensure_dev_secret(const std::filesystem::path& state_dir, bool& created) {
  return ensure_dev_file(state_dir, "dev-secret", "dev_", created);
}

std::string ensure_dev_seat_api_credential(const std::filesystem::path& state_dir, bool& created) {
  return ensure_dev_file(state_dir, "dev-seat-api-credential", "dev:", created);
}

}  // namespace seatmirror::cli
