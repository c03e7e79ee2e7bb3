#include "receiver/session.hpp"

#include "receiver/request_framing.hpp"
#include "receiver/session_registry.hpp"

#include <fmt/format.h>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <array>
#include <chrono>
#include <functional>
#include <optional>

namespace seatmirror::receiver {
namespace {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kFirstReadBytes = 4096;

// The buffer a connection's unparsed bytes wait in, bounded (request_framing.hpp).
beast::flat_buffer request_buffer(const ServerConfig& config) {
  return beast::flat_buffer{read_buffer_bytes(config.max_header_bytes)};
}

// Closes a connection whose request was not read to the end (an early 413, 431 or 400): stop
// sending, then read and discard what the client is still sending for a moment before closing.
// Closing at once with unread bytes makes the kernel send a reset, and the client's kernel
// then drops our answer before the client has read it.
template <typename Self>
void linger_then_close(std::shared_ptr<Self> self, beast::tcp_stream& stream) {
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream.expires_after(std::chrono::seconds(1));
  auto discard = std::make_shared<std::array<char, 16384>>();
  auto total = std::make_shared<std::size_t>(0);
  auto read_more = std::make_shared<std::function<void()>>();
  *read_more = [self, &stream, discard, total, read_more] {
    stream.async_read_some(net::buffer(*discard),
                           [self, &stream, total, read_more](beast::error_code ec, std::size_t n) {
                             *total += n;
                             if (ec || *total > (1u << 20)) {
                               stream.close();
                               *read_more = nullptr;  // breaks the cycle that kept the handler alive
                               return;
                             }
                             (*read_more)();
                           });
  };
  (*read_more)();
}

template <class Derived>
class HttpSession : public Stoppable {
 public:
  HttpSession(SessionShared shared, ConnectionSlot slot, beast::flat_buffer buffer, std::optional<Answer> refusal)
      : shared_(shared),
        buffer_(std::move(buffer)),
        slot_(std::move(slot)),
        remote_(slot_.remote()),
        refusal_(std::move(refusal)) {}
  ~HttpSession() override {
    if (registered_) shared_.registry.remove(*registered_);
  }

  void stop() override {
    net::dispatch(derived().stream().get_executor(), [self = derived().shared_from_this()] {
      self->stopping_ = true;
      if (!self->busy_) beast::get_lowest_layer(self->stream()).cancel();
    });
  }

 protected:
  void register_session() { registered_ = shared_.registry.add(derived().weak_from_this()); }

  // Answers a connection that is refused whatever it asks (over a connection cap, plain HTTP
  // on the TLS port) at once, before reading a request: its bytes are never buffered.
  void start() {
    if (!refusal_) return read_request();
    log_ = RequestLog{.remote = remote_, .method = "-", .target = "-"};
    started_ = Clock::now();
    keep_alive_ = false;
    unread_input_ = true;
    write_answer(std::move(*refusal_));
  }

  void read_request() {
    if (stopping_ || shared_.draining) return derived().close();
    parser_.emplace();
    parser_->body_limit(shared_.config.max_body_bytes);
    parser_->header_limit(static_cast<std::uint32_t>(shared_.config.max_header_bytes));
    chunk_bytes_ = 0;
    parser_->on_chunk_header(count_chunk_);
    if (buffer_.size() > 0) return read_header();  // pipelined bytes already here
    // A new connection must begin its request within the request timeout; between requests a
    // keep-alive connection may stay quiet for the idle timeout.
    beast::get_lowest_layer(stream()).expires_after(answered_ == 0 ? shared_.config.request_timeout_ms
                                                                   : shared_.config.idle_timeout_ms);
    stream().async_read_some(buffer_.prepare(kFirstReadBytes),
                             [self = derived().shared_from_this()](beast::error_code ec, std::size_t n) {
                               self->buffer_.commit(n);
                               if (ec) return self->derived().close();
                               self->read_header();
                             });
  }

  // Once a request has begun it must arrive whole within the request timeout: a client
  // trickling bytes cannot hold a connection for ever. The head is read and checked first, so
  // no body is read under framing that could be read two ways.
  void read_header() {
    beast::get_lowest_layer(stream()).expires_after(shared_.config.request_timeout_ms);
    http::async_read_header(stream(), buffer_, *parser_,
                            beast::bind_front_handler(&HttpSession::on_header, derived().shared_from_this()));
  }

  void on_header(beast::error_code ec, std::size_t) {
    if (ec) return on_read(ec, 0);
    if (auto problem = framing_problem(parser_->get())) return answer_bad_framing(*problem);
    header_fields_ = field_count(parser_->get());
    if (parser_->is_done()) return on_read({}, 0);
    http::async_read(stream(), buffer_, *parser_,
                     beast::bind_front_handler(&HttpSession::on_read, derived().shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    // Between requests a peer may simply go away (closed, reset, TLS truncated, timed out):
    // nothing to answer. Only a request that has begun to arrive gets an error answer.
    if (ec == beast::error::timeout || ec == net::error::operation_aborted || !parser_->got_some()) {
      return derived().close();
    }
    started_ = Clock::now();
    if (ec) return answer_unreadable(ec);
    if (field_count(parser_->get()) != header_fields_) {
      return answer_bad_framing("trailer fields after a chunked body are not accepted");
    }
    auto request = parser_->release();
    log_ = RequestLog{
        .remote = remote_, .method = std::string{request.method_string()}, .target = std::string{request.target()}};
    version_ = request.version();
    keep_alive_ = request.keep_alive();
    busy_ = true;
    // The work guard keeps the server's threads running until this answer is written, even
    // if the writer answers after shutdown has begun. Members go in reverse order: every copy
    // (the writer thread holds one) lets go of the session before its guard, so no session
    // outlives the server's threads and what Server::run owns (limits, registry, router).
    struct PendingAnswer {
      net::executor_work_guard<net::any_io_executor> guard;
      std::shared_ptr<Derived> session;
    };
    PendingAnswer pending{net::make_work_guard(stream().get_executor()), derived().shared_from_this()};
    try {
      shared_.router.handle(std::move(request),
                            Reply{stream().get_executor(), [pending = std::move(pending)](Answer answer) {
                                    pending.session->write_answer(std::move(answer));
                                  }});
    } catch (const std::exception& e) {
      // A bug must cost one request, never the process and every other connection with it.
      shared_.observer.handler_failed(remote_, e.what());
      keep_alive_ = false;
      write_answer(error_answer(http::status::internal_server_error, "internal_error",
                                "the request could not be handled; nothing was stored"));
    }
  }

  // A chunk's extensions count against --max-body with its data (Beast counts only the data),
  // so no chunk framing can hold more memory than a body may.
  bool count_chunk(std::uint64_t size, std::string_view extensions) {
    chunk_bytes_ += size + extensions.size();
    return chunk_bytes_ <= shared_.config.max_body_bytes;
  }

  // The head cannot be trusted to say where this request ends: answer 400 and close.
  void answer_bad_framing(const std::string& problem) {
    started_ = Clock::now();
    log_ = RequestLog{.remote = remote_,
                      .method = std::string{parser_->get().method_string()},
                      .target = std::string{parser_->get().target()}};
    version_ = parser_->get().version() == 10 ? 10 : 11;  // answered in the version it was asked in
    keep_alive_ = false;
    unread_input_ = true;
    write_answer(error_answer(http::status::bad_request, "bad_framing", problem));
  }

  // The request could not be parsed: answer why, then close (the stream position is lost).
  void answer_unreadable(beast::error_code ec) {
    log_ = RequestLog{.remote = remote_, .method = "-", .target = "-"};
    version_ = 11;
    keep_alive_ = false;
    unread_input_ = true;
    if (ec == http::error::body_limit) {
      return write_answer(error_answer(http::status::payload_too_large, "payload_too_large",
                                       fmt::format("the body is larger than {} bytes", shared_.config.max_body_bytes)));
    }
    if (ec == http::error::buffer_overflow) {
      return write_answer(error_answer(
          http::status::bad_request, "bad_framing",
          fmt::format("a chunk-size line or the trailer section is longer than {} bytes", buffer_.max_size())));
    }
    if (ec == http::error::header_limit) {
      return write_answer(
          error_answer(http::status::request_header_fields_too_large, "headers_too_large",
                       fmt::format("the headers are larger than {} bytes", shared_.config.max_header_bytes)));
    }
    write_answer(error_answer(http::status::bad_request, "bad_request",
                              fmt::format("the request is not valid HTTP/1.1: {}", ec.message())));
  }

  void write_answer(Answer answer) {
    auto& response = answer.response;
    response.version(version_);
    response.set(http::field::server, "seatmirror");
    // Browsers must take every answer as the type it says (JSON is never run as a script).
    response.set("X-Content-Type-Options", "nosniff");
    response.keep_alive(keep_alive_ && !stopping_ && !shared_.draining);
    response.prepare_payload();
    log_.status = response.result_int();
    log_.event_id = std::move(answer.event_id);
    log_.event = std::move(answer.event);
    log_.outcome = std::move(answer.outcome);
    log_.error = std::move(answer.error);
    log_.duration_ms = std::chrono::duration<double, std::milli>(Clock::now() - started_).count();
    shared_.observer.answered(log_);
    response_ = std::move(response);
    beast::get_lowest_layer(stream()).expires_after(shared_.config.request_timeout_ms);
    http::async_write(stream(), *response_,
                      beast::bind_front_handler(&HttpSession::on_write, derived().shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    busy_ = false;
    ++answered_;
    const bool keep_alive = response_->keep_alive();
    response_.reset();
    if (ec || !keep_alive) return derived().close();
    read_request();
  }

  auto& stream() { return derived().stream(); }
  const std::string& remote() const { return remote_; }
  Derived& derived() { return static_cast<Derived&>(*this); }

  SessionShared shared_;
  beast::flat_buffer buffer_;

 private:
  ConnectionSlot slot_;
  std::string remote_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<Response> response_;
  std::optional<Answer> refusal_;  // this connection only ever gets this answer
  // Beast keeps a reference to the chunk callback for the parser's life.
  std::function<void(std::uint64_t, std::string_view, beast::error_code&)> count_chunk_ =
      [this](std::uint64_t size, std::string_view extensions, beast::error_code& ec) {
        if (!count_chunk(size, extensions)) ec = http::error::body_limit;
      };
  std::uint64_t chunk_bytes_ = 0;
  std::size_t header_fields_ = 0;
  std::size_t answered_ = 0;
  RequestLog log_;
  Clock::time_point started_{};
  unsigned version_ = 11;
  bool keep_alive_ = false;
  bool busy_ = false;
  bool stopping_ = false;
  std::optional<SessionRegistry::Handle> registered_;

 protected:
  bool unread_input_ = false;  // the client may still be sending: close by lingering
};

class PlainSession : public HttpSession<PlainSession>, public std::enable_shared_from_this<PlainSession> {
 public:
  PlainSession(beast::tcp_stream stream, beast::flat_buffer buffer, SessionShared shared, ConnectionSlot slot,
               std::optional<Answer> refusal)
      : HttpSession(shared, std::move(slot), std::move(buffer), std::move(refusal)), stream_(std::move(stream)) {}

  void run() {
    register_session();
    net::dispatch(stream_.get_executor(), beast::bind_front_handler(&PlainSession::start, shared_from_this()));
  }
  beast::tcp_stream& stream() { return stream_; }
  void close() {
    if (unread_input_) return linger_then_close(shared_from_this(), stream_);
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

 private:
  beast::tcp_stream stream_;
};

class TlsSession : public HttpSession<TlsSession>, public std::enable_shared_from_this<TlsSession> {
 public:
  TlsSession(beast::tcp_stream stream, net::ssl::context& tls, beast::flat_buffer buffer, SessionShared shared,
             ConnectionSlot slot, std::optional<Answer> refusal)
      : HttpSession(shared, std::move(slot), std::move(buffer), std::move(refusal)), stream_(std::move(stream), tls) {}

  void run() {
    register_session();
    net::dispatch(stream_.get_executor(), beast::bind_front_handler(&TlsSession::handshake, shared_from_this()));
  }
  beast::ssl_stream<beast::tcp_stream>& stream() { return stream_; }

  void close() {
    if (closing_) return;
    closing_ = true;
    if (!handshaken_) return beast::get_lowest_layer(stream_).close();
    // Send our close_notify but do not wait for the peer's: a client that is not reading would
    // otherwise hold the connection (and a shutting-down server) until the timeout.
    SSL_set_shutdown(stream_.native_handle(), SSL_RECEIVED_SHUTDOWN);
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(2));
    stream_.async_shutdown([self = shared_from_this()](beast::error_code) {
      if (self->unread_input_) return linger_then_close(self, beast::get_lowest_layer(self->stream_));
      beast::get_lowest_layer(self->stream_).close();
    });
  }

 private:
  void handshake() {
    beast::get_lowest_layer(stream_).expires_after(shared_.config.request_timeout_ms);
    // The detector's bytes are the start of the handshake; the handshake consumes them.
    stream_.async_handshake(
        net::ssl::stream_base::server, buffer_.data(),
        [self = shared_from_this()](beast::error_code ec,
                                    std::size_t used = 0) {  // default: Beast 1.81 checks the unbuffered signature too
          self->buffer_.consume(used);
          if (ec) {
            self->shared_.observer.handshake_failed(self->remote(), ec.message());
            return self->close();
          }
          self->handshaken_ = true;
          self->start();
        });
  }

  beast::ssl_stream<beast::tcp_stream> stream_;
  bool handshaken_ = false;
  bool closing_ = false;
};

// Reads the first bytes of a connection on a TLS port to tell a TLS handshake from plain HTTP.
class DetectSession : public std::enable_shared_from_this<DetectSession> {
 public:
  DetectSession(tcp::socket socket, net::ssl::context& tls, SessionShared shared, ConnectionSlot slot,
                std::optional<Answer> refusal)
      : stream_(std::move(socket)), tls_(tls), shared_(shared), slot_(std::move(slot)), refusal_(std::move(refusal)) {}

  void run() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      self->stream_.expires_after(self->shared_.config.request_timeout_ms);
      beast::async_detect_ssl(self->stream_, self->buffer_, beast::bind_front_handler(&DetectSession::on_detect, self));
    });
  }

 private:
  void on_detect(beast::error_code ec, bool is_tls) {
    if (ec) return;  // closed or timed out before saying anything
    if (is_tls) {
      std::make_shared<TlsSession>(std::move(stream_), tls_, std::move(buffer_), shared_, std::move(slot_),
                                   std::move(refusal_))
          ->run();
      return;
    }
    auto refusal = error_answer(http::status::bad_request, "tls_required",
                                "this port speaks HTTPS; send the request over TLS (https://)");
    std::make_shared<PlainSession>(std::move(stream_), std::move(buffer_), shared_, std::move(slot_),
                                   std::move(refusal))
        ->run();
  }

  beast::tcp_stream stream_;
  net::ssl::context& tls_;
  SessionShared shared_;
  ConnectionSlot slot_;
  std::optional<Answer> refusal_;
  beast::flat_buffer buffer_ = request_buffer(shared_.config);
};

}  // namespace

void start_session(tcp::socket socket, net::ssl::context* tls, SessionShared shared, Admission admission) {
  std::optional<Answer> refusal;
  if (admission.refusal) {
    refusal = error_answer(http::status::service_unavailable, "too_many_connections", *admission.refusal);
  }
  auto slot = std::move(admission.slot);
  if (tls) {
    std::make_shared<DetectSession>(std::move(socket), *tls, shared, std::move(slot), std::move(refusal))->run();
  } else {
    std::make_shared<PlainSession>(beast::tcp_stream{std::move(socket)}, request_buffer(shared.config), shared,
                                   std::move(slot), std::move(refusal))
        ->run();
  }
}

}  // namespace seatmirror::receiver
