#include "receiver/session_registry.hpp"

namespace seatmirror::receiver {

SessionRegistry::Handle SessionRegistry::add(std::weak_ptr<Stoppable> session) {
  std::lock_guard lock{mutex_};
  return sessions_.insert(sessions_.end(), std::move(session));
}

void SessionRegistry::remove(Handle handle) {
  std::function<void()> on_empty;
  {
    std::lock_guard lock{mutex_};
    sessions_.erase(handle);
    if (sessions_.empty()) on_empty = std::move(on_empty_);
  }
  if (on_empty) on_empty();
}

std::size_t SessionRegistry::size() const {
  std::lock_guard lock{mutex_};
  return sessions_.size();
}

void SessionRegistry::stop_all(std::function<void()> on_empty) {
  std::vector<std::shared_ptr<Stoppable>> live;
  {
    std::lock_guard lock{mutex_};
    if (sessions_.empty()) {
      on_empty();
      return;
    }
    on_empty_ = std::move(on_empty);
    for (auto& weak : sessions_) {
      if (auto session = weak.lock()) live.push_back(std::move(session));
    }
  }
  for (auto& session : live) session->stop();
}

}  // namespace seatmirror::receiver
