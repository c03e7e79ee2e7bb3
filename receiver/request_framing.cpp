#include "receiver/request_framing.hpp"

#include <boost/beast/core/string.hpp>

#include <iterator>

namespace seatmirror::receiver {

namespace http = boost::beast::http;

std::size_t field_count(const http::request_header<>& head) {
  return static_cast<std::size_t>(std::distance(head.begin(), head.end()));
}

std::optional<std::string> framing_problem(const http::request_header<>& head) {
  const auto transfer_encodings = head.count(http::field::transfer_encoding);
  if (transfer_encodings > 0) {
    if (transfer_encodings > 1) return "Transfer-Encoding is given more than once";
    if (!boost::beast::iequals(head[http::field::transfer_encoding], "chunked")) {
      return "Transfer-Encoding must be exactly \"chunked\" (no other coding is accepted)";
    }
    if (head.count(http::field::content_length) > 0) {
      return "Transfer-Encoding and Content-Length together: send one of them";
    }
  }
  const auto hosts = head.count(http::field::host);
  if (hosts > 1) return "Host is given more than once";
  if (hosts == 0 && head.version() >= 11) return "an HTTP/1.1 request needs a Host header";
  return std::nullopt;
}

}  // namespace seatmirror::receiver
