#include "receiver/signature.hpp"

#include "receiver/answer.hpp"

#include <fmt/format.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <memory>
#include <stdexcept>

namespace seatmirror::receiver {
namespace {

constexpr std::size_t kDigestBytes = 32;
constexpr std::size_t kEd25519SignatureBytes = 64;
constexpr std::size_t kEd25519KeyBytes = 32;
// Senders list one signature per live key (two or three while rotating). Every entry costs a
// check per configured key before the sender is known, so the list is bounded.
constexpr std::size_t kMaxSignatureEntries = 8;

std::optional<std::int64_t> parse_unsigned(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

// Whether a signature made at `timestamp` (seconds, or milliseconds when > 10^12) may be
// accepted now; `header` names it in the refusal.
struct Timing {
  bool acceptable = false;
  std::optional<std::chrono::seconds> late_by;
  std::string problem;
};

Timing judge_timestamp(std::int64_t timestamp, const SignatureSettings& settings,
                       std::chrono::system_clock::time_point now, std::string_view header) {
  const std::int64_t seconds = timestamp > 1'000'000'000'000 ? timestamp / 1000 : timestamp;
  const auto now_seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const auto age = now_seconds - seconds;
  const auto tolerance = settings.tolerance.count();
  if (age < -tolerance)
    return {false, std::nullopt, fmt::format("{} is more than {} s in the future", header, tolerance)};
  if (age <= tolerance) return {true, std::nullopt, ""};
  if (age <= settings.resend_window.count()) return {true, std::chrono::seconds{age}, ""};
  if (settings.resend_window.count() <= tolerance) {
    return {false, std::nullopt, fmt::format("{} is more than {} s old", header, tolerance)};
  }
  return {
      false, std::nullopt,
      fmt::format("{} is {} s old, older than the resend window ({} s)", header, age, settings.resend_window.count())};
}

SignatureCheck refused_timing(Timing timing) {
  return {SignatureVerdict::outside_tolerance, std::move(timing.problem)};
}

SignatureCheck accepted(const Timing& timing) { return {SignatureVerdict::valid, "", timing.late_by}; }

// Whether any of `signatures` is an ed25519 signature of `message` by `public_key`; the key is
// loaded once for all of them.
bool any_verifies_ed25519(std::string_view public_key, const std::vector<std::string>& signatures,
                          std::string_view message) {
  using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
  using Context = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;
  Key key{EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                      reinterpret_cast<const unsigned char*>(public_key.data()), public_key.size()),
          &EVP_PKEY_free};
  if (!key) return false;
  for (const auto& signature : signatures) {
    Context context{EVP_MD_CTX_new(), &EVP_MD_CTX_free};
    if (context && EVP_DigestVerifyInit(context.get(), nullptr, nullptr, nullptr, key.get()) == 1 &&
        EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                         reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1) {
      return true;
    }
  }
  return false;
}

// A digest as sent: 64 hex characters or base64 (with or without padding).
std::optional<std::string> decode_digest(std::string_view text) {
  auto digest = text.size() == 2 * kDigestBytes ? decode_hex(text) : decode_base64(text);
  if (!digest || digest->size() != kDigestBytes) return std::nullopt;
  return digest;
}

SignatureCheck verify_betterez(std::string_view header, std::string_view body, const SignatureSettings& settings,
                               std::chrono::system_clock::time_point now) {
  std::string_view t, s2;
  while (!header.empty()) {
    const auto comma = header.find(',');
    auto item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    if (item.starts_with("t=")) t = item.substr(2);
    if (item.starts_with("s2=")) s2 = item.substr(3);
  }
  const auto timestamp = parse_unsigned(t);
  if (!timestamp) return {SignatureVerdict::malformed, "x-btrz-signature has no numeric t="};
  const auto digest = decode_digest(s2);
  if (!digest) return {SignatureVerdict::malformed, "x-btrz-signature has no s2= HMAC-SHA256 digest (hex or base64)"};
  const auto timing = judge_timestamp(*timestamp, settings, now, "the x-btrz-signature timestamp");
  if (!timing.acceptable) return refused_timing(timing);
  for (const auto& secret : settings.secrets) {
    if (equal_secrets(hmac_sha256(secret, {t, ".", body}), *digest)) return accepted(timing);
  }
  return {SignatureVerdict::mismatch, "x-btrz-signature does not match the body for any configured secret"};
}

// A whsec_ secret carries its key in base64; any other secret is used as it is.
std::string standard_webhooks_key(const std::string& secret) {
  if (secret.starts_with("whsec_")) {
    if (auto key = decode_base64(std::string_view{secret}.substr(6))) return *key;
  }
  return secret;
}

SignatureCheck verify_standard(const SignatureHeaders& headers, std::string_view body,
                               const SignatureSettings& settings, std::chrono::system_clock::time_point now) {
  const auto timestamp = parse_unsigned(headers.webhook_timestamp);
  if (headers.webhook_id.empty() || !timestamp) {
    return {SignatureVerdict::malformed, "webhook-signature needs webhook-id and a numeric webhook-timestamp"};
  }
  const auto timing = judge_timestamp(*timestamp, settings, now, "webhook-timestamp");
  if (!timing.acceptable) return refused_timing(timing);
  std::vector<std::string> digests;     // "v1,<base64>": HMAC-SHA256
  std::vector<std::string> signatures;  // "v1a,<base64>": ed25519
  std::string_view list = headers.webhook_signature;
  std::size_t entries = 0;
  while (!list.empty()) {
    const auto space = list.find(' ');
    const auto entry = list.substr(0, space);
    list = space == std::string_view::npos ? std::string_view{} : list.substr(space + 1);
    if (entry.empty()) continue;
    if (++entries > kMaxSignatureEntries) {
      return {SignatureVerdict::malformed,
              fmt::format("webhook-signature lists more than {} signatures", kMaxSignatureEntries)};
    }
    if (entry.starts_with("v1,")) {
      if (auto digest = decode_digest(entry.substr(3))) digests.push_back(std::move(*digest));
    } else if (entry.starts_with("v1a,")) {
      auto signature = decode_base64(entry.substr(4));
      if (signature && signature->size() == kEd25519SignatureBytes) signatures.push_back(std::move(*signature));
    }
  }
  if (digests.empty() && signatures.empty()) {
    return {SignatureVerdict::malformed, "webhook-signature has no v1,<base64> or v1a,<base64> entry"};
  }
  for (const auto& secret : settings.secrets) {
    const auto expected =
        hmac_sha256(standard_webhooks_key(secret), {headers.webhook_id, ".", headers.webhook_timestamp, ".", body});
    for (const auto& digest : digests) {
      if (equal_secrets(expected, digest)) return accepted(timing);
    }
  }
  if (!signatures.empty() && !settings.public_keys.empty()) {
    const auto message = fmt::format("{}.{}.{}", headers.webhook_id, headers.webhook_timestamp, body);
    for (const auto& key : settings.public_keys) {
      if (any_verifies_ed25519(key, signatures, message)) return accepted(timing);
    }
  }
  return {SignatureVerdict::mismatch, "webhook-signature does not match the body for any configured secret or key"};
}

}  // namespace

std::optional<std::string> decode_public_key(std::string_view text) {
  if (!text.starts_with("whpk_")) return std::nullopt;
  auto key = decode_base64(text.substr(5));
  if (!key || key->size() != kEd25519KeyBytes) return std::nullopt;
  return key;
}

std::string_view to_string(SignatureVerdict verdict) {
  switch (verdict) {
    case SignatureVerdict::valid:
      return "valid";
    case SignatureVerdict::missing:
      return "signature_missing";
    case SignatureVerdict::malformed:
      return "signature_malformed";
    case SignatureVerdict::outside_tolerance:
      return "signature_expired";
    case SignatureVerdict::mismatch:
      return "signature_mismatch";
  }
  return "unknown";
}

SignatureCheck verify_signature(const SignatureHeaders& headers, std::string_view body,
                                const SignatureSettings& settings, std::chrono::system_clock::time_point now) {
  if (!headers.btrz_signature.empty()) return verify_betterez(headers.btrz_signature, body, settings, now);
  if (!headers.webhook_signature.empty()) return verify_standard(headers, body, settings, now);
  return {SignatureVerdict::missing, "the request is not signed: send x-btrz-signature (or webhook-signature)"};
}

std::string sign_betterez(std::string_view secret, std::string_view body, std::chrono::system_clock::time_point now) {
  const auto t = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
  return fmt::format("t={},s2={}", t, encode_hex(hmac_sha256(secret, {t, ".", body})));
}

std::string hmac_sha256(std::string_view key, std::initializer_list<std::string_view> parts) {
  using Mac = std::unique_ptr<EVP_MAC, decltype(&EVP_MAC_free)>;
  using MacContext = std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)>;
  static const Mac mac{EVP_MAC_fetch(nullptr, "HMAC", nullptr), &EVP_MAC_free};
  MacContext context{EVP_MAC_CTX_new(mac.get()), &EVP_MAC_CTX_free};
  char digest_name[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
                               OSSL_PARAM_construct_end()};
  unsigned char out[EVP_MAX_MD_SIZE];
  std::size_t out_size = 0;
  bool ok = context &&
            EVP_MAC_init(context.get(), reinterpret_cast<const unsigned char*>(key.data()), key.size(), params) == 1;
  for (auto part : parts) {
    ok = ok && EVP_MAC_update(context.get(), reinterpret_cast<const unsigned char*>(part.data()), part.size()) == 1;
  }
  ok = ok && EVP_MAC_final(context.get(), out, &out_size, sizeof out) == 1;
  if (!ok) throw std::runtime_error("OpenSSL HMAC-SHA256 failed");
  return {reinterpret_cast<const char*>(out), out_size};
}

std::optional<std::string> decode_hex(std::string_view text) {
  if (text.size() % 2) return std::nullopt;
  std::string bytes(text.size() / 2, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(text.data() + 2 * i, text.data() + 2 * i + 2, value, 16);
    if (ec != std::errc{} || end != text.data() + 2 * i + 2) return std::nullopt;
    bytes[i] = static_cast<char>(value);
  }
  return bytes;
}

std::optional<std::string> decode_base64(std::string_view text) {
  // Strict: the standard alphabet, then at most two '=' at the end; padding may be omitted.
  const auto data_end = text.find('=');
  const auto data = text.substr(0, data_end);
  const auto padding = data_end == std::string_view::npos ? 0 : text.size() - data_end;
  const bool valid_padding = padding <= 2 && text.find_first_not_of('=', data.size()) == std::string_view::npos;
  const bool valid_data = !data.empty() && data.size() % 4 != 1 && std::all_of(data.begin(), data.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/';
  });
  if (!valid_padding || !valid_data) return std::nullopt;
  std::string padded{data};
  padded.append((4 - data.size() % 4) % 4, '=');
  std::string bytes(padded.size() / 4 * 3, '\0');
  const int written =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(bytes.data()),
                      reinterpret_cast<const unsigned char*>(padded.data()), static_cast<int>(padded.size()));
  if (written < 0) return std::nullopt;
  // EVP_DecodeBlock counts the padding as zero bytes: drop as many as padding was added.
  bytes.resize(static_cast<std::size_t>(written) - (padded.size() - data.size()));
  return bytes;
}

std::string encode_hex(std::string_view bytes) {
  std::string text;
  text.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) text += fmt::format("{:02x}", c);
  return text;
}

std::string encode_base64(std::string_view bytes) {
  std::string text(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()),
                      reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  text.resize(static_cast<std::size_t>(written));
  return text;
}

}  // namespace seatmirror::receiver
