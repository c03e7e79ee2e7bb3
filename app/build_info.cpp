#include "app/build_info.hpp"

#include "storage/database.hpp"
#include "storage/postgres_database.hpp"

#include <curl/curl.h>
#include <fmt/format.h>
#include <libpq-fe.h>
#include <openssl/crypto.h>
#include <sqlite3.h>
#include <boost/version.hpp>

#ifndef SEATMIRROR_VERSION
#define SEATMIRROR_VERSION "unknown"
#endif
#ifndef SEATMIRROR_GIT_COMMIT
#define SEATMIRROR_GIT_COMMIT "unknown"
#endif

namespace seatmirror::cli {

std::vector<std::pair<std::string, std::string>> build_info() {
  const int libpq = PQlibVersion();  // e.g. 150005 for 15.5
  return {
      {"version", SEATMIRROR_VERSION},
      {"commit", SEATMIRROR_GIT_COMMIT},
      {"sqlite_schema", std::to_string(latest_schema_version())},
      {"postgres_schema", std::to_string(postgres_migrations().size())},
      {"boost", fmt::format("{}.{}.{}", BOOST_VERSION / 100000, BOOST_VERSION / 100 % 1000, BOOST_VERSION % 100)},
      {"sqlite", sqlite3_libversion()},
      {"openssl", OpenSSL_version(OPENSSL_VERSION_STRING)},
      {"libpq", fmt::format("{}.{}", libpq / 10000, libpq % 10000)},
      {"libcurl", curl_version_info(CURLVERSION_NOW)->version},
  };
}

std::string build_info_value(std::string_view name) {
  for (auto& [key, text] : build_info()) {
    if (key == name) return std::move(text);
  }
  return {};
}

std::string version_text() {
  const auto value = build_info_value;
  return fmt::format(
      "seatmirror {} (commit {})\n"
      "schema: SQLite version {}, PostgreSQL version {}\n"
      "Boost {}, SQLite {}, OpenSSL {}, libpq {}, libcurl {}\n",
      value("version"), value("commit"), value("sqlite_schema"), value("postgres_schema"), value("boost"),
      value("sqlite"), value("openssl"), value("libpq"), value("libcurl"));
}

}  // namespace seatmirror::cli
