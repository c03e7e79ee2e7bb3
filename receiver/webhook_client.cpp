#include "receiver/webhook_client.hpp"

#include "receiver/signature.hpp"

#include <fmt/format.h>
#include <openssl/ssl.h>
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

  void connect() {
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
  c.tls_context.set_default_verify_paths();
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
