// What this binary is: its version (CMake's project version), the git commit it was built
// from, the schema versions it writes, and the versions of the libraries it runs on. Printed
// by `seatmirror --version` and `seatmirror version`, and exported as seatmirror_build_info on
// /metrics, from this one list.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace seatmirror::cli {

// (name, value) pairs in a fixed order: version, commit, sqlite_schema, postgres_schema, boost,
// sqlite, openssl, libpq, libcurl.
std::vector<std::pair<std::string, std::string>> build_info();

// One of build_info()'s values by name ("version", "commit", …); empty for an unknown name.
std::string build_info_value(std::string_view name);

// The text --version prints.
std::string version_text();

}  // namespace seatmirror::cli
