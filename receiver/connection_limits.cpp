#include "receiver/connection_limits.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <sys/resource.h>

#include <algorithm>
#include <utility>

namespace seatmirror::receiver {

ConnectionSlot::ConnectionSlot(ConnectionSlot&& other) noexcept
    : limits_(std::exchange(other.limits_, nullptr)),
      peer_(std::move(other.peer_)),
      remote_(std::move(other.remote_)) {}

ConnectionSlot::~ConnectionSlot() {
  if (limits_) limits_->release(peer_);
}

Admission ConnectionLimits::admit(const boost::asio::ip::tcp::endpoint& peer) {
  auto address = peer.address().to_string();
  auto remote = fmt::format("{}:{}", address, peer.port());
  std::optional<std::string> refusal;
  {
    std::lock_guard lock{mutex_};
    auto& from_peer = per_peer_[address];
    if (open_ >= max_connections_) {
      refusal = fmt::format("seatmirror already serves {} connections (--max-connections); retry later", open_);
    } else if (max_per_peer_ > 0 && from_peer >= max_per_peer_) {
      refusal = fmt::format("{} already has {} connections open (--max-connections-per-peer); retry later", address,
                            from_peer);
    }
    ++open_;
    ++from_peer;
  }
  metrics_.connection_opened();
  return Admission{ConnectionSlot{this, std::move(address), std::move(remote)}, std::move(refusal)};
}

void ConnectionLimits::release(const std::string& peer) {
  {
    std::lock_guard lock{mutex_};
    --open_;
    if (const auto at = per_peer_.find(peer); at != per_peer_.end() && --at->second == 0) per_peer_.erase(at);
  }
  metrics_.connection_closed();
}

std::size_t fit_to_descriptor_limit(std::size_t max_connections) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return max_connections;
  const rlim_t wanted = max_connections + kReservedDescriptors;
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < wanted) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max == RLIM_INFINITY ? wanted : std::min<rlim_t>(wanted, limit.rlim_max);
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur >= wanted) return max_connections;
  const auto fitting = limit.rlim_cur > 2 * kReservedDescriptors
                           ? static_cast<std::size_t>(limit.rlim_cur) - kReservedDescriptors
                           : static_cast<std::size_t>(limit.rlim_cur) / 2;
  spdlog::warn(
      "--max-connections {} does not fit the open-file limit ({}, hard limit {}): serving at most {} "
      "connections; raise the limit (ulimit -n, or LimitNOFILE= in a systemd unit) to serve more",
      max_connections, limit.rlim_cur, limit.rlim_max, fitting);
  return std::max<std::size_t>(1, fitting);
}

}  // namespace seatmirror::receiver
