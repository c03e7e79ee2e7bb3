// Who sent this body? HMAC-SHA256 webhook signatures, checked against the raw body bytes.
//
// Betterez:          x-btrz-signature: t=<timestamp>,s=<deprecated>,s2=<signature>
//                    HMAC-SHA256(secret, "<t>.<body>"); the digest may be hex or base64 and
//                    t seconds or milliseconds (public documents do not say; > 10^12 is ms).
// Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature: "v1,<base64> ..."
//                    HMAC-SHA256(key, "<id>.<timestamp>.<body>"), key = base64 of a whsec_ secret.
// Several secrets may be live at once (rotation): a match with any passes. Digests are
// compared in constant time.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seatmirror::receiver {

struct SignatureHeaders {
  std::string_view btrz_signature;     // x-btrz-signature
  std::string_view webhook_id;         // Standard Webhooks
  std::string_view webhook_timestamp;
  std::string_view webhook_signature;
};

enum class SignatureVerdict {
  valid,
  missing,             // no signature header at all
  malformed,           // a header that cannot be parsed
  outside_tolerance,   // a timestamp too far from now: possibly a replay
  mismatch,            // no live secret produces this signature
};

std::string_view to_string(SignatureVerdict verdict);

struct SignatureCheck {
  SignatureVerdict verdict;
  std::string message;  // for the 401 body and the log; never contains a secret
};

struct SignatureSettings {
  std::vector<std::string> secrets;
  std::chrono::seconds tolerance{300};
};

SignatureCheck verify_signature(const SignatureHeaders& headers, std::string_view body,
                                const SignatureSettings& settings,
                                std::chrono::system_clock::time_point now);

// The x-btrz-signature value Betterez would send for this body at this time (hex digest);
// used by `replay --to` and the tests, so signing and checking share one HMAC.
std::string sign_betterez(std::string_view secret, std::string_view body,
                          std::chrono::system_clock::time_point now);

// The raw HMAC-SHA256 digest of the concatenated parts.
std::string hmac_sha256(std::string_view key, std::initializer_list<std::string_view> parts);

std::optional<std::string> decode_hex(std::string_view text);
std::optional<std::string> decode_base64(std::string_view text);
std::string encode_hex(std::string_view bytes);
std::string encode_base64(std::string_view bytes);

}  // namespace seatmirror::receiver
