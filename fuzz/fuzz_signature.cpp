// libFuzzer target: the signature header parsers. The input is split at the first newline into
// a header value and a body; both schemes are tried with two live secrets.
#include "receiver/signature.hpp"

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace seatmirror::receiver;
  static const SignatureSettings settings{{"secret-one", "whsec_c2VjcmV0LXR3bw=="}, std::chrono::seconds{300}};
  const std::string_view input{reinterpret_cast<const char*>(data), size};
  const auto newline = input.find('\n');
  const auto header = input.substr(0, newline);
  const auto body = newline == std::string_view::npos ? std::string_view{} : input.substr(newline + 1);
  const auto now = std::chrono::system_clock::time_point{std::chrono::seconds{1'764'000'000}};
  (void)verify_signature({.btrz_signature = header}, body, settings, now);
  (void)verify_signature({.webhook_id = "msg", .webhook_timestamp = "1764000000", .webhook_signature = header}, body,
                         settings, now);
  (void)verify_signature({.webhook_id = header, .webhook_timestamp = header, .webhook_signature = "v1,AAAA"}, body,
                         settings, now);
  return 0;
}
