#include "receiver/signature.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/test_database.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

using namespace seatmirror::receiver;
using namespace std::chrono_literals;

namespace {

const auto kNow = std::chrono::system_clock::time_point{std::chrono::seconds{1'764'000'000}};
const std::string kBody = R"({"id":"0b8f6e52-3c1d-4a4f-9a57-2f1e0c9d8b71","event":"seatfees.created"})";
const SignatureSettings kSettings{{"current-secret", "previous-secret"}, 300s};

SignatureVerdict check_btrz(const std::string& header, const std::string& body = kBody) {
  return verify_signature({.btrz_signature = header}, body, kSettings, kNow).verdict;
}

std::string digest(std::string_view secret, std::string_view t, std::string_view body = kBody) {
  return hmac_sha256(secret, {t, ".", body});
}

}  // namespace

TEST_CASE("HMAC-SHA256 matches RFC 4231 test case 2", "[signature]") {
  CHECK(encode_hex(hmac_sha256("Jefe", {"what do ya want ", "for nothing?"})) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("x-btrz-signature: what replay signs, the receiver accepts", "[signature]") {
  CHECK(check_btrz(sign_betterez("current-secret", kBody, kNow)) == SignatureVerdict::valid);
  // A rotated-out secret that is still configured passes too.
  CHECK(check_btrz(sign_betterez("previous-secret", kBody, kNow)) == SignatureVerdict::valid);
}

TEST_CASE("x-btrz-signature: hex or base64 digests, seconds or milliseconds", "[signature]") {
  const std::string t = "1764000000", t_ms = "1764000000123";
  CHECK(check_btrz(fmt::format("t={},s=legacy,s2={}", t, encode_hex(digest("current-secret", t)))) == SignatureVerdict::valid);
  CHECK(check_btrz(fmt::format("t={},s2={}", t, encode_base64(digest("current-secret", t)))) == SignatureVerdict::valid);
  auto unpadded = encode_base64(digest("current-secret", t));
  while (unpadded.back() == '=') unpadded.pop_back();
  CHECK(check_btrz(fmt::format("t={}, s2={}", t, unpadded)) == SignatureVerdict::valid);
  CHECK(check_btrz(fmt::format("t={},s2={}", t_ms, encode_hex(digest("current-secret", t_ms)))) == SignatureVerdict::valid);
}

TEST_CASE("x-btrz-signature: refusals say why", "[signature]") {
  const std::string t = "1764000000";
  CHECK(check_btrz(fmt::format("t={},s2={}", t, encode_hex(digest("wrong-secret", t)))) == SignatureVerdict::mismatch);
  CHECK(check_btrz(sign_betterez("current-secret", kBody, kNow), kBody + " ") == SignatureVerdict::mismatch);
  const std::string old_t = "1763999000";  // 1000 s ago: a captured delivery replayed
  CHECK(check_btrz(fmt::format("t={},s2={}", old_t, encode_hex(digest("current-secret", old_t)))) ==
        SignatureVerdict::outside_tolerance);
  const std::string future_t = "1764000400";
  CHECK(check_btrz(fmt::format("t={},s2={}", future_t, encode_hex(digest("current-secret", future_t)))) ==
        SignatureVerdict::outside_tolerance);
  CHECK(check_btrz("") == SignatureVerdict::missing);
  for (const char* garbled : {"garbage", "t=abc,s2=00", "t=1764000000", "t=1764000000,s2=zz", "s2=abcd",
                              "t=-5,s2=00", "t=1764000000,s2=c2hvcnQ="}) {
    INFO(garbled);
    CHECK(check_btrz(garbled) == SignatureVerdict::malformed);
  }
}

TEST_CASE("Standard Webhooks signatures with whsec_ secrets", "[signature]") {
  const std::string key = "a very secret key of 32 bytes!!!";
  const SignatureSettings settings{{"whsec_" + encode_base64(key)}, 300s};
  const std::string id = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", ts = "1764000000";
  const auto signature = "v1," + encode_base64(hmac_sha256(key, {id, ".", ts, ".", kBody}));
  auto verdict = [&](std::string_view sig, std::string_view body) {
    return verify_signature({.webhook_id = id, .webhook_timestamp = ts, .webhook_signature = sig}, body, settings, kNow)
        .verdict;
  };
  CHECK(verdict(signature, kBody) == SignatureVerdict::valid);
  CHECK(verdict("v1,bm90IHRoZSByaWdodCBvbmU= " + signature, kBody) == SignatureVerdict::valid);
  CHECK(verdict(signature, kBody + "x") == SignatureVerdict::mismatch);
  CHECK(verdict("v2,abc", kBody) == SignatureVerdict::malformed);
}

TEST_CASE("base64 decoding is strict about its alphabet and padding", "[signature]") {
  CHECK(decode_base64("aGVsbG8=") == "hello");
  CHECK(decode_base64("aGVsbG8") == "hello");
  CHECK(decode_base64("aGk=") == "hi");
  for (const char* bad : {"", "=", "====", "a", "aGk==x", "aG!k", "aGVsbG8===", "=aGk"}) {
    INFO(bad);
    CHECK_FALSE(decode_base64(bad));
  }
}

// Found by fuzz_signature: "v1,=" made the padding count exceed the decoded size, and the
// resulting std::length_error would have ended the server process from an unsigned request.
TEST_CASE("fuzz regression: a webhook-signature of padding only", "[signature]") {
  const auto input = seatmirror::test::read_file(seatmirror::test::fixtures_dir() / "fuzz-regressions" /
                                                 "signature-padding-only-base64.bin");
  const std::string_view header = std::string_view{input}.substr(0, input.find('\n'));
  const auto verdict = verify_signature({.webhook_id = "msg", .webhook_timestamp = "1764000000", .webhook_signature = header},
                                        "{}", kSettings, kNow);
  CHECK(verdict.verdict == SignatureVerdict::malformed);
  CHECK(verify_signature({.webhook_id = "m", .webhook_timestamp = "1764000000", .webhook_signature = "v1,="}, "{}",
                         kSettings, kNow).verdict == SignatureVerdict::malformed);
}
