#include "storage/sql_connection.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace seatmirror::sql {

bool Connection::declared_lock(std::string_view key) const {
  if (!declared_) return false;
  if (declared_->contains(std::string{key})) return true;
  throw std::logic_error(
      fmt::format("lock {} taken but not declared with its batch's locks (add_lock_keys): a lock "
                  "taken late can deadlock two writers",
                  key));
}

}  // namespace seatmirror::sql
