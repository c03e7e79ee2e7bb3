// Webhook secrets from the command line, the environment or files: one secret per line in a
// secret file (blank lines and lines starting with # are skipped), several live at once
// during a rotation.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace seatmirror::cli {

// Throws std::runtime_error naming the file when it cannot be read or holds no secret.
std::vector<std::string> read_secret_file(const std::filesystem::path& path);

// The development secret in `state_dir`/dev-secret, created (random, 0600) on first use.
std::string ensure_dev_secret(const std::filesystem::path& state_dir, bool& created);
// The development seat API credential ("dev:<random>") in `state_dir`/dev-seat-api-credential.
std::string ensure_dev_seat_api_credential(const std::filesystem::path& state_dir, bool& created);

}  // namespace seatmirror::cli
