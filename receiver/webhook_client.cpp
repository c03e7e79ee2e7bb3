#include "receiver/webhook_client.hpp"

#include "receiver/host_port.hpp"
#include "receiver/signature.hpp"

#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>

#include <optional>
#include <stdexcept>

namespace seatmirror::receiver {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

struct WebhookClient::Connection {
  ClientOptions options;
  bool tls = false;
  std::string host, port, path;
  net::io_context io;
  net::ssl::context tls_context{net::ssl::context::tls_client};
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
  beast::flat_buffer buffer;

  bool connected() const { return plain || secure; }

  std::string address() const { return host_port(host, port); }

  // Connects (and, for https, completes the handshake), or throws saying why in plain words.
  void connect() {
    try {
      open_connection();
    } catch (const beast::system_error& e) {
      auto why = explain_connect_failure(e.code());  // reads the handshake's verify result first
      disconnect();
      throw std::runtime_error(why);
    }
  }

  std::string explain_connect_failure(const beast::error_code& ec) {
    if (ec == net::error::connection_refused) {
      return fmt::format("cannot connect to {}: connection refused; is `seatmirror serve` running there (--listen {})?",
                         address(), address());
    }
    if (ec == beast::error::timeout) {
      return fmt::format("cannot connect to {}: no answer within {} s", address(), options.timeout.count());
    }
    if (ec == net::error::host_not_found || ec == net::error::host_not_found_try_again) {
      return fmt::format("cannot connect to {}: no such host {}", address(), host);
    }
    if (ec.category() == net::error::get_ssl_category() && secure) {
      const long verify = SSL_get_verify_result(secure->native_handle());
      if (verify != X509_V_OK ||
          ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == SSL_R_CERTIFICATE_VERIFY_FAILED) {
        return fmt::format(
            "the certificate of {} is not trusted ({}); pass --cacert FILE with that certificate or the CA that signed "
            "it (serve --dev writes .seatmirror/dev-certificate.pem), or --insecure for a local test",
            address(), verify != X509_V_OK ? X509_verify_cert_error_string(verify) : "it does not name this host");
      }
      return fmt::format("cannot connect to {}: the TLS handshake failed ({}); is it an https:// receiver?", address(),
                         ec.message());
    }
    return fmt::format("cannot connect to {}: {}", address(), ec.message());
  }

  void open_connection() {
    const auto endpoints = tcp::resolver{io}.resolve(host, port);
    beast::tcp_stream stream{io};
    stream.expires_after(options.timeout);
    stream.connect(endpoints);
    buffer.clear();
    if (!tls) {
      plain.emplace(std::move(stream));
      return;
    }
    secure.emplace(std::move(stream), tls_context);
    if (!SSL_set_tlsext_host_name(secure->native_handle(), host.c_str())) {
      throw beast::system_error{beast::error_code{static_cast<int>(::ERR_get_error()), net::error::get_ssl_category()}};
    }
    if (!options.insecure) secure->set_verify_callback(net::ssl::host_name_verification(host));
    secure->handshake(net::ssl::stream_base::client);
  }

  void disconnect() {
    plain.reset();
    secure.reset();
  }

  Response exchange(const Request& request) {
    Response response;
    auto run = [&](auto& stream) {
      beast::get_lowest_layer(stream).expires_after(options.timeout);
      http::write(stream, request);
      http::read(stream, buffer, response);
    };
    if (secure) {
      run(*secure);
    } else {
      run(*plain);
    }
    if (!response.keep_alive()) disconnect();
    return response;
  }
};

WebhookClient::WebhookClient(std::string_view url, ClientOptions options)
    : connection_(std::make_unique<Connection>()) {
  const auto parsed = boost::urls::parse_uri(url);
  if (!parsed || (parsed->scheme() != "https" && parsed->scheme() != "http") || parsed->host().empty()) {
    throw std::invalid_argument(fmt::format("{} is not an http:// or https:// URL", url));
  }
  auto& c = *connection_;
  c.options = options;
  c.tls = parsed->scheme() == "https";
  c.host = parsed->host_address().empty() ? std::string{parsed->host()} : std::string{parsed->host_address()};
  c.port = parsed->has_port() ? std::string{parsed->port()} : (c.tls ? "443" : "80");
  c.path = parsed->encoded_path().empty() ? "/" : std::string{parsed->encoded_path()};
  if (options.ca_file.empty()) {
    c.tls_context.set_default_verify_paths();
  } else {
    beast::error_code ec;
    c.tls_context.load_verify_file(options.ca_file, ec);
    if (ec) {
      throw std::invalid_argument(
          fmt::format("--cacert {}: cannot read it as a PEM certificate ({})", options.ca_file, ec.message()));
    }
  }
  c.tls_context.set_verify_mode(options.insecure ? net::ssl::verify_none : net::ssl::verify_peer);
  SSL_CTX_set_min_proto_version(c.tls_context.native_handle(), TLS1_2_VERSION);
}

WebhookClient::~WebhookClient() {
  // Say goodbye properly (TLS close_notify), so the server sees a clean end, not a truncation.
  if (connection_->secure) {
    beast::error_code ignored;
    beast::get_lowest_layer(*connection_->secure).expires_after(std::chrono::seconds(2));
    connection_->secure->shutdown(ignored);
  }
}

const std::string& WebhookClient::path() const { return connection_->path; }

WebhookClient::Response WebhookClient::send(Request request) {
  auto& c = *connection_;
  request.set(http::field::host, c.host);
  request.prepare_payload();
  const bool reused = c.connected();
  if (!reused) c.connect();
  try {
    return c.exchange(request);
  } catch (const beast::system_error&) {
    c.disconnect();
    if (!reused) throw;
  }
  // The server closed an idle keep-alive connection before we wrote: once more, fresh.
  c.connect();
  return c.exchange(request);
}

WebhookClient::Response WebhookClient::post_webhook(const std::string& body, std::string_view secret) {
  Request request{http::verb::post, path(), 11};
  request.set(http::field::content_type, "application/json");
  request.set(http::field::user_agent, "seatmirror-replay");
  if (!secret.empty()) request.set("x-btrz-signature", sign_betterez(secret, body, std::chrono::system_clock::now()));
  request.keep_alive(true);
  request.body() = body;
  return send(std::move(request));
}

}  // namespace seatmirror::receiver
