#include "tests/support/raw_client.hpp"

#include <openssl/ssl.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/json/parse.hpp>

#include <sys/socket.h>

#include <thread>

namespace seatmirror::test {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

template <typename Stream>
std::string exchange(Stream& stream, const std::vector<std::string>& pieces, std::chrono::milliseconds gap) {
  boost::system::error_code ec;
  for (const auto& piece : pieces) {
    net::write(stream, net::buffer(piece), ec);
    if (ec) break;  // the server may answer and close before the whole request is sent
    if (gap.count()) std::this_thread::sleep_for(gap);
  }
  std::string text;
  char chunk[4096];
  while (true) {
    const auto n = stream.read_some(net::buffer(chunk), ec);
    text.append(chunk, n);
    if (ec) break;
  }
  return text;
}

void parse_reply(RawReply& reply) {
  if (reply.text.starts_with("HTTP/1.")) reply.status = static_cast<unsigned>(std::stoul(reply.text.substr(9, 3)));
  const auto body_at = reply.text.find("\r\n\r\n");
  if (body_at == std::string::npos) return;
  boost::system::error_code ec;
  const auto body = boost::json::parse(reply.text.substr(body_at + 4), ec);
  if (!ec && body.is_object() && body.as_object().contains("error")) {
    reply.error = body.at("error").as_string().c_str();
  }
}

}  // namespace

RawReply raw_exchange(unsigned short port, bool tls, const std::vector<std::string>& pieces,
                      std::chrono::milliseconds gap, std::chrono::milliseconds read_timeout, int max_tls_version) {
  net::io_context io;
  tcp::socket socket{io};
  socket.connect({net::ip::make_address("127.0.0.1"), port});
  const timeval timeout{static_cast<time_t>(read_timeout.count() / 1000),
                        static_cast<suseconds_t>((read_timeout.count() % 1000) * 1000)};
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  RawReply reply;
  if (!tls) {
    reply.text = exchange(socket, pieces, gap);
  } else {
    net::ssl::context context{net::ssl::context::tls_client};
    context.set_verify_mode(net::ssl::verify_none);
    if (max_tls_version) {
      SSL_CTX_set_security_level(context.native_handle(), 0);  // let the client offer old versions
      SSL_CTX_set_min_proto_version(context.native_handle(), max_tls_version);
      SSL_CTX_set_max_proto_version(context.native_handle(), max_tls_version);
    }
    net::ssl::stream<tcp::socket&> stream{socket, context};
    boost::system::error_code ec;
    stream.handshake(net::ssl::stream_base::client, ec);
    if (ec) return reply;  // refused at the handshake: no status
    reply.text = exchange(stream, pieces, gap);
  }
  parse_reply(reply);
  return reply;
}

}  // namespace seatmirror::test
