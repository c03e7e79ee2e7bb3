// What a request's head must say about its framing before its body is read. HTTP/1.1 lets a
// message give its length two ways; when seatmirror and a proxy in front of it (--plain-http)
// disagree on which one counts, they read different requests out of the same bytes (request
// smuggling). So only unambiguous framing is accepted (RFC 9112 sections 3.2, 6.1 and 6.3):
//   - Transfer-Encoding, when present, is one field that says exactly "chunked" (no other
//     coding: nothing here decodes gzip, and a body with an unknown length cannot be framed);
//   - never Transfer-Encoding together with Content-Length;
//   - exactly one Host on HTTP/1.1, at most one on HTTP/1.0.
// Beast checks the rest (a malformed or repeated Content-Length, bad chunk sizes). Trailer
// fields are refused once the body is read: no webhook sender needs them, and Beast would
// merge them into the headers that signature checks read.
#pragma once

#include <boost/beast/http/message.hpp>

#include <cstddef>
#include <optional>
#include <string>

namespace seatmirror::receiver {

// Why this head cannot be read safely (the message of a 400), or nothing when it can.
std::optional<std::string> framing_problem(const boost::beast::http::request_header<>& head);

// How many unparsed bytes a connection may buffer: one head, or one chunk-size line with its
// extensions, or one trailer section. Body bytes move on into the body as they are parsed, so
// with this bound nothing of a request's framing can grow without limit (nor reach the 64 KiB
// field value at which Beast's field container throws).
inline std::size_t read_buffer_bytes(std::size_t max_header_bytes) { return max_header_bytes + (16 << 10); }

// How many fields a message holds: compared before and after the body, it tells whether a
// chunked body ended with trailer fields.
std::size_t field_count(const boost::beast::http::request_header<>& head);

}  // namespace seatmirror::receiver
