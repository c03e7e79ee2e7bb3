// HOST:PORT as people write it in a URL or --listen: an IPv6 address in brackets ([::1]:8443).
// One spelling for the server's messages, its base URL and the client's messages.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>

namespace seatmirror::receiver {

template <typename Port>
std::string host_port(std::string_view host, const Port& port) {
  return host.find(':') != std::string_view::npos ? fmt::format("[{}]:{}", host, port)
                                                  : fmt::format("{}:{}", host, port);
}

}  // namespace seatmirror::receiver
