// The browsable page in a real headless Chromium (Debian's chromium package) against the real
// server fed with the fixtures: the seats drawn must equal the computed capacity. A screenshot
// is saved in the build's artifacts/ folder for people to look at.
#include "tests/support/scenario.hpp"
#include "tests/support/server_process.hpp"

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <regex>

using namespace seatmirror;

namespace {

std::string chromium_command(const test::TempDir& dir, const std::string& what, const std::string& url) {
  // The flags keep Chromium off the network and out of first-run chores; the certificate is
  // the server's self-signed development one.
  return fmt::format(
      "timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
      "--disable-background-networking --disable-component-update --disable-sync "
      "--user-data-dir='{}' --ignore-certificate-errors --virtual-time-budget=5000 {} '{}' 2>/dev/null",
      (dir.path() / "chromium-profile").string(), what, url);
}

}  // namespace

TEST_CASE("the page draws as many seats as the computed capacity, in headless Chromium", "[browser]") {
  if (std::system("command -v chromium >/dev/null 2>&1") != 0) {
    FAIL("chromium is not installed: bash scripts/install-deps.sh --test installs it");
  }
  test::TempDir dir;
  std::ofstream{dir.path() / "read-tokens"} << "browser-token-00000001\n";
  test::ServerProcess server{dir, {"--read-token-file", (dir.path() / "read-tokens").string()}};
  REQUIRE(test::run_cli(
              dir, fmt::format("replay -q --to {} --insecure --secret-file '{}' '{}'", server.webhook_url(),
                               server.secret_file().string(), (test::fixtures_dir() / "inventory").string())) == 0);

  const auto url = server.base_url() + "/#token=browser-token-00000001&seatmap=6744a1b2c3d4e5f6a7b8cb02";
  const auto dom_file = dir.path() / "dom.html";
  REQUIRE(std::system((chromium_command(dir, "--dump-dom", url) + " > '" + dom_file.string() + "'").c_str()) == 0);
  const auto dom = test::read_file(dom_file);
  std::smatch drawn, computed;
  REQUIRE(std::regex_search(dom, drawn, std::regex{"data-drawn=\"(\\d+)\""}));
  REQUIRE(std::regex_search(dom, computed, std::regex{"data-computed=\"(\\d+)\""}));
  CHECK(drawn[1] == computed[1]);
  CHECK(drawn[1] == "69");  // the double decker: 23 + 46
  CHECK_THAT(dom, Catch::Contains("Coach 57") && Catch::Contains("Extra legroom"));

  const std::filesystem::path artifacts = SEATMIRROR_ARTIFACTS_DIR;
  std::filesystem::create_directories(artifacts);
  const auto screenshot = artifacts / "browse-page.png";
  std::filesystem::remove(screenshot);
  std::system(chromium_command(dir, "--window-size=1200,1100 --screenshot='" + screenshot.string() + "'", url).c_str());
  REQUIRE(std::filesystem::exists(screenshot));
  CHECK(std::filesystem::file_size(screenshot) > 10'000);
}
