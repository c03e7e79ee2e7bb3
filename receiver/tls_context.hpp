// TLS for the listener: TLS 1.2 and 1.3 only, no renegotiation, and a self-signed development
// certificate made on first start of `serve --dev`.
#pragma once

#include <boost/asio/ssl/context.hpp>

#include <filesystem>

namespace seatmirror::receiver {

boost::asio::ssl::context make_server_tls_context(const std::filesystem::path& certificate_chain,
                                                  const std::filesystem::path& private_key);

struct DevCertificate {
  std::filesystem::path certificate;
  std::filesystem::path private_key;
  bool created = false;  // false when an earlier start had made it already
};

// Makes (once) a P-256 key and a self-signed certificate for localhost, 127.0.0.1 and ::1,
// valid for a year, in `state_dir` (created 0700; the key file is 0600).
DevCertificate ensure_dev_certificate(const std::filesystem::path& state_dir);

}  // namespace seatmirror::receiver
