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

// Makes `folder` (creating it when missing) enterable by its owner only: a folder made
// earlier, by hand or by an older version, may let others list and read the secrets in it.
// Returns true when an existing folder's mode had to be tightened.
bool make_private_folder(const std::filesystem::path& folder);

}  // namespace seatmirror::receiver
