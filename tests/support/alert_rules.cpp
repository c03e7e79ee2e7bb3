#include "tests/support/alert_rules.hpp"

#include "tests/support/test_database.hpp"

#include <filesystem>
#include <string_view>

namespace seatmirror::test {

std::set<std::string> metrics_named_in_alert_rules() {
  const auto rules =
      read_file(std::filesystem::path{SEATMIRROR_FIXTURES_DIR}.parent_path() / "docs" / "prometheus-alerts.yml");
  std::set<std::string> named;
  for (auto at = rules.find("seatmirror_"); at != std::string::npos; at = rules.find("seatmirror_", at + 1)) {
    const auto end = rules.find_first_not_of("abcdefghijklmnopqrstuvwxyz_", at);
    auto name = rules.substr(at, end - at);
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      if (name.ends_with(suffix)) name.resize(name.size() - std::string_view{suffix}.size());
    }
    named.insert(name);
    at = end - 1;
  }
  return named;
}

}  // namespace seatmirror::test
