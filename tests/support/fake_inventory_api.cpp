#include "tests/support/fake_inventory_api.hpp"

#include <fmt/format.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <sys/socket.h>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace seatmirror::test {
namespace {

namespace net = boost::asio;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

void run(const std::string& command) {
  if (std::system((command + " >/dev/null 2>&1").c_str()) != 0) throw std::runtime_error("failed: " + command);
}

// A CA, and a certificate for 127.0.0.1 and localhost signed by it.
void make_certificates(const std::filesystem::path& dir) {
  const auto d = dir.string();
  run(
      fmt::format("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 "
                  "-subj /CN=seatmirror-test-inventory-ca -keyout '{0}/ca.key' -out '{0}/ca.pem'",
                  d));
  run(
      fmt::format("openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=127.0.0.1 "
                  "-keyout '{0}/server.key' -out '{0}/server.csr'",
                  d));
  std::ofstream{dir / "san.ext"} << "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
  run(
      fmt::format("openssl x509 -req -in '{0}/server.csr' -CA '{0}/ca.pem' -CAkey '{0}/ca.key' -CAcreateserial "
                  "-days 2 -extfile '{0}/san.ext' -out '{0}/server.pem'",
                  d));
}

}  // namespace

FakeInventoryApi::FakeInventoryApi(Handler handler) : ca_file_(dir_.path() / "ca.pem"), handler_(std::move(handler)) {
  make_certificates(dir_.path());
  thread_ = std::thread{[this] { serve(); }};
  for (int i = 0; i < 500 && port_ == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  if (port_ == 0) throw std::runtime_error("the fake Inventory API did not start");
}

FakeInventoryApi::~FakeInventoryApi() {
  stopping_ = true;
  if (listen_fd_ >= 0) ::shutdown(listen_fd_, SHUT_RDWR);  // wakes the blocking accept
  thread_.join();
}

std::string FakeInventoryApi::base_url() const { return fmt::format("https://127.0.0.1:{}/inventory", port_.load()); }

std::vector<FakeRequest> FakeInventoryApi::requests() const {
  std::lock_guard lock{mutex_};
  return requests_;
}

void FakeInventoryApi::serve() {
  net::io_context io;
  net::ssl::context tls{net::ssl::context::tls_server};
  tls.use_certificate_chain_file((dir_.path() / "server.pem").string());
  tls.use_private_key_file((dir_.path() / "server.key").string(), net::ssl::context::pem);
  tcp::acceptor acceptor{io, {net::ip::make_address("127.0.0.1"), 0}};
  listen_fd_ = acceptor.native_handle();
  port_ = acceptor.local_endpoint().port();
  while (!stopping_) {
    boost::system::error_code ec;
    tcp::socket socket{io};
    acceptor.accept(socket, ec);
    if (ec || stopping_) break;
    // A read that waits over a second ends the connection, so the destructor is never held up.
    timeval timeout{1, 0};
    ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    boost::beast::ssl_stream<tcp::socket> stream{std::move(socket), tls};
    stream.handshake(net::ssl::stream_base::server, ec);
    if (!ec) serve_connection(&stream);
  }
}

void FakeInventoryApi::serve_connection(void* stream_pointer) {
  auto& stream = *static_cast<boost::beast::ssl_stream<tcp::socket>*>(stream_pointer);
  boost::beast::flat_buffer buffer;
  while (!stopping_) {
    http::request<http::string_body> request;
    boost::system::error_code ec;
    http::read(stream, buffer, request, ec);
    if (ec) return;
    FakeRequest asked{std::string{request.target()}, std::string{request["x-api-key"]}};
    {
      std::lock_guard lock{mutex_};
      requests_.push_back(asked);
    }
    const auto answer = handler_(asked);
    http::response<http::string_body> response{static_cast<http::status>(answer.status), request.version()};
    response.set(http::field::content_type, "application/json");
    for (const auto& [name, value] : answer.headers) response.set(name, value);
    response.body() = answer.body;
    response.keep_alive(request.keep_alive());
    response.prepare_payload();
    http::write(stream, response, ec);
    if (ec || !request.keep_alive()) return;
  }
}

}  // namespace seatmirror::test
