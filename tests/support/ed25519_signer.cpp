#include "tests/support/ed25519_signer.hpp"

#include "receiver/signature.hpp"

#include <stdexcept>

namespace seatmirror::test {

Ed25519Signer::Ed25519Signer() : key_{EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"), &EVP_PKEY_free} {
  if (!key_) throw std::runtime_error("OpenSSL cannot generate an ed25519 key");
}

std::string Ed25519Signer::whpk() const {
  unsigned char raw[32];
  std::size_t size = sizeof raw;
  if (EVP_PKEY_get_raw_public_key(key_.get(), raw, &size) != 1) throw std::runtime_error("EVP_PKEY_get_raw_public_key");
  return "whpk_" + receiver::encode_base64({reinterpret_cast<const char*>(raw), size});
}

std::string Ed25519Signer::sign_v1a(std::string_view message) const {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context{EVP_MD_CTX_new(), &EVP_MD_CTX_free};
  unsigned char signature[64];
  std::size_t size = sizeof signature;
  if (!context || EVP_DigestSignInit(context.get(), nullptr, nullptr, nullptr, key_.get()) != 1 ||
      EVP_DigestSign(context.get(), signature, &size, reinterpret_cast<const unsigned char*>(message.data()),
                     message.size()) != 1) {
    throw std::runtime_error("OpenSSL cannot sign with ed25519");
  }
  return "v1a," + receiver::encode_base64({reinterpret_cast<const char*>(signature), size});
}

}  // namespace seatmirror::test
