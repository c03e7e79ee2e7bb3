// The keys writers lock (sql::Connection::lock_key) before reading what they will change: one
// spelling per kind, used both where a write takes its lock and where a writer takes a whole
// batch's locks up front, in sorted order, so that two writers never wait on each other in a
// cycle.
#pragma once

#include <string>
#include <string_view>

namespace seatmirror::lock_keys {

inline std::string webhook_event(std::string_view id) { return "webhook_event:" + std::string{id}; }
inline std::string entity(std::string_view id) { return "entity:" + std::string{id}; }
inline std::string customer_event(std::string_view id) { return "customer_event:" + std::string{id}; }
inline std::string entitlement(std::string_view id) { return "entitlement:" + std::string{id}; }
// Held for a whole `serve --sync-every` run (a session lock, not a writer's): one receiver syncs at a time.
inline constexpr std::string_view kInventorySync = "inventory_sync";

}  // namespace seatmirror::lock_keys
