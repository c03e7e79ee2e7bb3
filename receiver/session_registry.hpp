// The open sessions of a server, so that shutdown can reach them, and a signal when the last
// one has gone. A session registers as a Stoppable: the registry knows nothing else of it.
#pragma once

#include <functional>
#include <list>
#include <memory>
#include <mutex>

namespace seatmirror::receiver {

// Something the server can ask to wind down: idle connections close at once, busy ones after
// answering the request in hand.
class Stoppable {
 public:
  virtual ~Stoppable() = default;
  virtual void stop() = 0;
};

class SessionRegistry {
 public:
  using Handle = std::list<std::weak_ptr<Stoppable>>::iterator;

  Handle add(std::weak_ptr<Stoppable> session);
  void remove(Handle handle);
  std::size_t size() const;

  // Asks every session to stop; `on_empty` runs (once) when none is left.
  void stop_all(std::function<void()> on_empty);

 private:
  mutable std::mutex mutex_;
  std::list<std::weak_ptr<Stoppable>> sessions_;
  std::function<void()> on_empty_;
};

}  // namespace seatmirror::receiver
