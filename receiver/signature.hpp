// Who sent this body? HMAC-SHA256 webhook signatures, checked against the raw body bytes.
//
// Betterez:          x-btrz-signature: t=<timestamp>,s=<deprecated>,s2=<signature>
//                    HMAC-SHA256(secret, "<t>.<body>"); the digest may be hex or base64 and
//                    t seconds or milliseconds (public documents do not say; > 10^12 is ms).
// Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature: "v1,<base64> v1a,<base64> ..."
//                    v1:  HMAC-SHA256(key, "<id>.<timestamp>.<body>"), key = base64 of a whsec_ secret;
//                    v1a: ed25519 over the same bytes, checked with whpk_ public keys.
//                    The header may carry several signatures: any one that verifies passes.
// Several secrets and keys may be live at once (rotation): a match with any passes. Digests are
// compared in constant time.
//
// Time: a timestamp within `tolerance` of now is fresh. One older, but within `resend_window`,
// is accepted as late when its signature verifies: Betterez's back office resends undelivered
// events days later, perhaps with their first timestamp, and a replayed, correctly signed body
// is harmless here (its event id is deduplicated, its ordering key keeps it from overwriting
// newer state). Older than the window, or more than `tolerance` in the future: refused.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seatmirror::receiver {

struct SignatureHeaders {
  std::string_view btrz_signature;  // x-btrz-signature
  std::string_view webhook_id;      // Standard Webhooks
  std::string_view webhook_timestamp;
  std::string_view webhook_signature;
};

enum class SignatureVerdict {
  valid,
  missing,            // no signature header at all
  malformed,          // a header that cannot be parsed
  outside_tolerance,  // a timestamp too far from now: possibly a replay
  mismatch,           // no live secret produces this signature
};

std::string_view to_string(SignatureVerdict verdict);

struct SignatureCheck {
  SignatureVerdict verdict;
  std::string message;  // for the 401 body and the log; never contains a secret
  // For a valid signature older than `tolerance` (accepted within the resend window): its age.
  std::optional<std::chrono::seconds> late_by{};
};

struct SignatureSettings {
  std::vector<std::string> secrets;  // HMAC: x-btrz-signature and v1
  std::chrono::seconds tolerance{300};
  std::chrono::seconds resend_window{7 * 24 * 3600};  // 0: no late deliveries
  std::vector<std::string> public_keys;               // ed25519, 32 raw bytes each: v1a
};

// The raw key of a "whpk_<base64 of 32 bytes>" public key, or nullopt when it is not one.
std::optional<std::string> decode_public_key(std::string_view text);

SignatureCheck verify_signature(const SignatureHeaders& headers, std::string_view body,
                                const SignatureSettings& settings, std::chrono::system_clock::time_point now);

// The x-btrz-signature value Betterez would send for this body at this time (hex digest);
// used by `replay --to` and the tests, so signing and checking share one HMAC.
std::string sign_betterez(std::string_view secret, std::string_view body, std::chrono::system_clock::time_point now);

// The raw HMAC-SHA256 digest of the concatenated parts.
std::string hmac_sha256(std::string_view key, std::initializer_list<std::string_view> parts);

std::optional<std::string> decode_hex(std::string_view text);
std::optional<std::string> decode_base64(std::string_view text);
std::string encode_hex(std::string_view bytes);
std::string encode_base64(std::string_view bytes);

}  // namespace seatmirror::receiver
