// The options that name the Betterez Inventory API, shared by `sync` and `serve --sync-every`:
// --inventory-url, --api-key-file, --inventory-ca-file (and SEATMIRROR_INVENTORY_URL,
// SEATMIRROR_INVENTORY_API_KEY_FILE, SEATMIRROR_INVENTORY_CA_FILE). The key is only ever read
// from its file: never a flag value, never printed.
#pragma once

#include "sync/inventory_client.hpp"

#include <CLI/CLI.hpp>

#include <stdexcept>
#include <string>

namespace seatmirror::cli {

struct InventoryApiOptions {
  std::string url;
  std::string api_key_file;
  std::string ca_file;
};

// `required`: sync cannot run without them; serve needs them only with --sync-every.
void add_inventory_api_options(CLI::App& command, InventoryApiOptions& options, bool required);

// Why the options cannot make a client: a message that names the flag or file.
struct InventoryOptionsError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The client's options, the key read from its file (exactly one key in it).
sync::InventoryClientOptions inventory_client_options(const InventoryApiOptions& options);

}  // namespace seatmirror::cli
