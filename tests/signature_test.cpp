#include "receiver/signature.hpp"
#include "tests/support/ed25519_signer.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/test_database.hpp"

#include <fmt/format.h>
#include <catch2/catch.hpp>

using namespace seatmirror::receiver;
namespace test = seatmirror::test;
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
  CHECK(check_btrz(fmt::format("t={},s=legacy,s2={}", t, encode_hex(digest("current-secret", t)))) ==
        SignatureVerdict::valid);
  CHECK(check_btrz(fmt::format("t={},s2={}", t, encode_base64(digest("current-secret", t)))) ==
        SignatureVerdict::valid);
  auto unpadded = encode_base64(digest("current-secret", t));
  while (unpadded.back() == '=') unpadded.pop_back();
  CHECK(check_btrz(fmt::format("t={}, s2={}", t, unpadded)) == SignatureVerdict::valid);
  CHECK(check_btrz(fmt::format("t={},s2={}", t_ms, encode_hex(digest("current-secret", t_ms)))) ==
        SignatureVerdict::valid);
}

TEST_CASE("x-btrz-signature: refusals say why", "[signature]") {
  const std::string t = "1764000000";
  CHECK(check_btrz(fmt::format("t={},s2={}", t, encode_hex(digest("wrong-secret", t)))) == SignatureVerdict::mismatch);
  CHECK(check_btrz(sign_betterez("current-secret", kBody, kNow), kBody + " ") == SignatureVerdict::mismatch);
  const std::string old_t = "1763308800";  // 8 days ago: beyond the 7-day resend window
  CHECK(check_btrz(fmt::format("t={},s2={}", old_t, encode_hex(digest("current-secret", old_t)))) ==
        SignatureVerdict::outside_tolerance);
  const std::string future_t = "1764000400";
  CHECK(check_btrz(fmt::format("t={},s2={}", future_t, encode_hex(digest("current-secret", future_t)))) ==
        SignatureVerdict::outside_tolerance);
  CHECK(check_btrz("") == SignatureVerdict::missing);
  for (const char* garbled : {"garbage", "t=abc,s2=00", "t=1764000000", "t=1764000000,s2=zz", "s2=abcd", "t=-5,s2=00",
                              "t=1764000000,s2=c2hvcnQ="}) {
    INFO(garbled);
    CHECK(check_btrz(garbled) == SignatureVerdict::malformed);
  }
}

TEST_CASE("a resent delivery: late but within the resend window is valid and says how late", "[signature]") {
  auto check_at = [](std::chrono::seconds age, const SignatureSettings& settings) {
    const auto signed_at = kNow - age;
    return verify_signature({.btrz_signature = sign_betterez("current-secret", kBody, signed_at)}, kBody, settings,
                            kNow);
  };
  const auto fresh = check_at(100s, kSettings);
  CHECK(fresh.verdict == SignatureVerdict::valid);
  CHECK_FALSE(fresh.late_by);
  const auto two_days = check_at(48h, kSettings);
  CHECK(two_days.verdict == SignatureVerdict::valid);
  CHECK(two_days.late_by == std::chrono::seconds{48h});
  const auto eight_days = check_at(8 * 24h, kSettings);
  CHECK(eight_days.verdict == SignatureVerdict::outside_tolerance);
  CHECK_THAT(eight_days.message, Catch::Contains("resend window"));
  // A late timestamp with a wrong signature is still a mismatch, never "late".
  const auto forged =
      verify_signature({.btrz_signature = sign_betterez("wrong-secret", kBody, kNow - 48h)}, kBody, kSettings, kNow);
  CHECK(forged.verdict == SignatureVerdict::mismatch);
  // The future gets only --tolerance; a window of 0 turns late deliveries off.
  CHECK(check_at(-400s, kSettings).verdict == SignatureVerdict::outside_tolerance);
  const SignatureSettings no_window{{"current-secret"}, 300s, 0s};
  CHECK(check_at(301s, no_window).verdict == SignatureVerdict::outside_tolerance);
  CHECK(check_at(299s, no_window).verdict == SignatureVerdict::valid);
}

TEST_CASE("Standard Webhooks v1a: ed25519 signatures checked with whpk_ public keys", "[signature]") {
  const test::Ed25519Signer current, previous, stranger;
  SignatureSettings settings{{}, 300s};
  for (const auto* pair : {&previous, &current}) settings.public_keys.push_back(*decode_public_key(pair->whpk()));
  const std::string id = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", ts = "1764000000";
  const auto message = fmt::format("{}.{}.{}", id, ts, kBody);
  auto verdict = [&](const std::string& signature, std::string_view body = kBody) {
    return verify_signature({.webhook_id = id, .webhook_timestamp = ts, .webhook_signature = signature}, body, settings,
                            kNow)
        .verdict;
  };
  CHECK(verdict(current.sign_v1a(message)) == SignatureVerdict::valid);
  CHECK(verdict(previous.sign_v1a(message)) == SignatureVerdict::valid);  // several keys live at once
  CHECK(verdict(stranger.sign_v1a(message)) == SignatureVerdict::mismatch);
  CHECK(verdict(current.sign_v1a(message), kBody + " ") == SignatureVerdict::mismatch);
  // Several signatures in one header: any one that verifies passes, in any order.
  CHECK(verdict(stranger.sign_v1a(message) + " " + current.sign_v1a(message)) == SignatureVerdict::valid);
  CHECK(verdict("v1,bm90IHRoZSByaWdodCBvbmU= " + current.sign_v1a(message)) == SignatureVerdict::valid);
  CHECK(verdict("v1a,c2hvcnQ=") == SignatureVerdict::malformed);  // not 64 bytes: no usable entry
  // At most 8 entries are tried (80 bogus ones once cost 9 ms of CPU per unsigned 401).
  std::string seven_strangers;
  for (int i = 0; i < 7; ++i) seven_strangers += stranger.sign_v1a(message + std::to_string(i)) + " ";
  CHECK(verdict(seven_strangers + current.sign_v1a(message)) == SignatureVerdict::valid);
  const auto nine = verify_signature(
      {.webhook_id = id,
       .webhook_timestamp = ts,
       .webhook_signature = seven_strangers + stranger.sign_v1a(message) + " " + current.sign_v1a(message)},
      kBody, settings, kNow);
  CHECK(nine.verdict == SignatureVerdict::malformed);
  CHECK(nine.message == "webhook-signature lists more than 8 signatures");
  CHECK_FALSE(decode_public_key("whpk_c2hvcnQ="));
  CHECK_FALSE(decode_public_key(encode_base64(std::string(32, 'k'))));
  CHECK(decode_public_key("whpk_" + encode_base64(std::string(32, 'k'))));
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
  const auto verdict = verify_signature(
      {.webhook_id = "msg", .webhook_timestamp = "1764000000", .webhook_signature = header}, "{}", kSettings, kNow);
  CHECK(verdict.verdict == SignatureVerdict::malformed);
  CHECK(verify_signature({.webhook_id = "m", .webhook_timestamp = "1764000000", .webhook_signature = "v1,="}, "{}",
                         kSettings, kNow)
            .verdict == SignatureVerdict::malformed);
}
