#include "receiver/tls_context.hpp"

#include "receiver/private_file.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <sys/stat.h>

#include <cstdio>
#include <memory>
#include <stdexcept>

namespace seatmirror::receiver {
namespace ssl = boost::asio::ssl;

constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

ssl::context make_server_tls_context(const std::filesystem::path& certificate_chain,
                                     const std::filesystem::path& private_key) {
  ssl::context context{ssl::context::tls_server};
  context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                      ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION);
  SSL_CTX_set_options(context.native_handle(), SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  // TLS 1.2 only with forward-secret AEAD suites (Mozilla's "intermediate" list, ECDHE only),
  // ours chosen first: no CBC suite (Lucky 13) and no RSA key exchange. TLS 1.3's own suites
  // are all AEAD already.
  if (SSL_CTX_set_cipher_list(context.native_handle(), kTls12Ciphers) != 1) {
    throw std::runtime_error("OpenSSL accepts none of the TLS 1.2 cipher suites seatmirror offers");
  }
  // Idle keep-alive connections give OpenSSL's record buffers back. (Asio's TLS stream keeps
  // its own ~70 KiB of buffers per connection regardless; see --max-connections.)
  SSL_CTX_set_mode(context.native_handle(), SSL_MODE_RELEASE_BUFFERS);
  try {
    context.use_certificate_chain_file(certificate_chain.string());
    context.use_private_key_file(private_key.string(), ssl::context::pem);
  } catch (const boost::system::system_error& e) {
    throw std::runtime_error(fmt::format("cannot load TLS certificate {} / key {}: {}", certificate_chain.string(),
                                         private_key.string(), e.code().message()));
  }
  return context;
}

namespace {

template <typename T, void (*Free)(T*)>
using Owned = std::unique_ptr<T, decltype([](T* p) { Free(p); })>;

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(fmt::format("cannot make the development certificate: {} failed", what));
}

// PEM text made by `write` into a memory BIO, then stored owner-only.
void write_pem(const std::filesystem::path& path, auto write) {
  Owned<BIO, BIO_free_all> memory{BIO_new(BIO_s_mem())};
  check(memory && write(memory.get()) == 1, "writing the PEM text");
  char* text = nullptr;
  const long size = BIO_get_mem_data(memory.get(), &text);
  write_private_file(path, {text, static_cast<std::size_t>(size)});
}

}  // namespace

DevCertificate ensure_dev_certificate(const std::filesystem::path& state_dir) {
  DevCertificate result{state_dir / "dev-certificate.pem", state_dir / "dev-key.pem"};
  if (std::filesystem::exists(result.certificate) && std::filesystem::exists(result.private_key)) return result;
  std::filesystem::remove(result.certificate);
  std::filesystem::remove(result.private_key);

  Owned<EVP_PKEY, EVP_PKEY_free> key{EVP_EC_gen("P-256")};
  check(key != nullptr, "generating the key");
  Owned<X509, X509_free> certificate{X509_new()};
  check(certificate && X509_set_version(certificate.get(), 2) == 1, "X509_new");
  ASN1_INTEGER_set(X509_get_serialNumber(certificate.get()), static_cast<long>(std::time(nullptr)));
  X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 365L * 24 * 3600);
  X509_set_pubkey(certificate.get(), key.get());
  auto* name = X509_get_subject_name(certificate.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("seatmirror development"),
                             -1, -1, 0);
  X509_set_issuer_name(certificate.get(), name);
  X509V3_CTX extensions;
  X509V3_set_ctx_nodb(&extensions);
  X509V3_set_ctx(&extensions, certificate.get(), certificate.get(), nullptr, nullptr, 0);
  Owned<X509_EXTENSION, X509_EXTENSION_free> san{
      X509V3_EXT_conf_nid(nullptr, &extensions, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:0:0:0:0:0:0:0:1")};
  check(san && X509_add_ext(certificate.get(), san.get(), -1) == 1, "adding subjectAltName");
  check(X509_sign(certificate.get(), key.get(), EVP_sha256()) > 0, "signing");

  write_pem(result.private_key,
            [&](BIO* out) { return PEM_write_bio_PrivateKey(out, key.get(), nullptr, nullptr, 0, nullptr, nullptr); });
  write_pem(result.certificate, [&](BIO* out) { return PEM_write_bio_X509(out, certificate.get()); });
  result.created = true;
  return result;
}

}  // namespace seatmirror::receiver
