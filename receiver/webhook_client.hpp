// A small blocking HTTP(S) client with keep-alive, for `replay --to` and the end-to-end tests:
// it talks to a seatmirror receiver the way a webhook sender would.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace seatmirror::receiver {

struct ClientOptions {
  bool insecure = false;  // accept any certificate (self-signed development certificates)
  std::string ca_file;    // trust this PEM certificate or CA instead of the system's (replay --cacert)
  std::chrono::seconds timeout{30};
};

class WebhookClient {
 public:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;
  using Response = boost::beast::http::response<boost::beast::http::string_body>;

  // url: http:// or https://, host, optional port, path. Throws std::invalid_argument (also for
  // a ca_file that cannot be read).
  WebhookClient(std::string_view url, ClientOptions options);
  ~WebhookClient();
  WebhookClient(const WebhookClient&) = delete;
  WebhookClient& operator=(const WebhookClient&) = delete;

  // Sends one request on the kept-alive connection (connecting when there is none, and once
  // more on a fresh connection if the server had closed the old one). Sets Host. Throws
  // std::runtime_error saying in plain words why the server cannot be reached (refused: is serve
  // running there; an untrusted certificate: --cacert or --insecure), or boost::system::system_error
  // when a connection breaks mid-request.
  Response send(Request request);

  // POSTs a JSON body to the URL's path, signed with x-btrz-signature when `secret` is set.
  Response post_webhook(const std::string& body, std::string_view secret);

  const std::string& path() const;

 private:
  struct Connection;
  std::unique_ptr<Connection> connection_;
};

}  // namespace seatmirror::receiver
