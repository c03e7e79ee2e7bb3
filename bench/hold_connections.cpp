// Opens COUNT concurrent TLS keep-alive connections to a receiver, sends one GET /healthz on
// each, then holds them all open for HOLD_S seconds: the load behind bench/connections.
//
//   seatmirror_hold_connections HOST PORT COUNT HOLD_S
#include <fmt/format.h>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <atomic>
#include <memory>

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

std::atomic<int> answered{0}, failed{0};

struct Connection : std::enable_shared_from_this<Connection> {
  beast::ssl_stream<beast::tcp_stream> stream;
  beast::flat_buffer buffer;
  http::request<http::empty_body> request{http::verb::get, "/healthz", 11};
  http::response<http::string_body> response;

  Connection(net::io_context& io, net::ssl::context& tls) : stream(io, tls) { request.set(http::field::host, "x"); }

  void start(const tcp::endpoint& endpoint) {
    beast::get_lowest_layer(stream).async_connect(endpoint, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return ++failed, void();
      self->stream.async_handshake(net::ssl::stream_base::client, [self](beast::error_code ec2) {
        if (ec2) return ++failed, void();
        http::async_write(self->stream, self->request, [self](beast::error_code ec3, std::size_t) {
          if (ec3) return ++failed, void();
          http::async_read(self->stream, self->buffer, self->response, [self](beast::error_code ec4, std::size_t) {
            if (ec4 || self->response.result_int() != 200) return ++failed, void();
            ++answered;
          });
        });
      });
    });
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fputs("usage: seatmirror_hold_connections HOST PORT COUNT HOLD_S\n", stderr);
    return 2;
  }
  net::io_context io;
  net::ssl::context tls{net::ssl::context::tls_client};
  tls.set_verify_mode(net::ssl::verify_none);
  const tcp::endpoint endpoint{net::ip::make_address(argv[1]), static_cast<unsigned short>(std::stoi(argv[2]))};
  const int count = std::stoi(argv[3]);
  std::vector<std::shared_ptr<Connection>> connections;
  for (int i = 0; i < count; ++i) {
    connections.push_back(std::make_shared<Connection>(io, tls));
    connections.back()->start(endpoint);
  }
  net::steady_timer hold{io, std::chrono::seconds(std::stoi(argv[4]))};
  hold.async_wait([&](beast::error_code) {
    fmt::print("{} connections answered and held, {} failed\n", answered.load(), failed.load());
    std::fflush(stdout);
    io.stop();
  });
  io.run();
  return failed == 0 ? 0 : 1;
}
