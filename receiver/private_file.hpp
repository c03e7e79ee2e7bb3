// Files that hold secrets (development keys, secrets and credentials): created owner-only
// from the first byte (open with O_EXCL and mode 0600, never chmod after the fact), in a
// folder only the owner can enter (0700).
#pragma once

#include <filesystem>
#include <string_view>

namespace seatmirror::receiver {

// Creates `path` with `contents`; throws std::system_error naming the file when it exists or
// cannot be written. Creates its folder (0700) when missing.
void write_private_file(const std::filesystem::path& path, std::string_view contents);

}  // namespace seatmirror::receiver
