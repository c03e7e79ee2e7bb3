#include "app/inventory_api_options.hpp"

#include "app/secrets.hpp"

#include <fmt/format.h>

namespace seatmirror::cli {

void add_inventory_api_options(CLI::App& command, InventoryApiOptions& options, bool required) {
  auto* url = command
                  .add_option("--inventory-url", options.url,
                              "the Betterez Inventory API, e.g. https://api.betterez.com/inventory")
                  ->envname("SEATMIRROR_INVENTORY_URL");
  auto* key = command.add_option("--api-key-file", options.api_key_file, "a file holding the account's API key")
                  ->envname("SEATMIRROR_INVENTORY_API_KEY_FILE");
  command
      .add_option("--inventory-ca-file", options.ca_file,
                  "trust only this CA (PEM) for the API's certificate instead of the system's")
      ->envname("SEATMIRROR_INVENTORY_CA_FILE");
  if (required) {
    url->required();
    key->required();
  }
}

sync::InventoryClientOptions inventory_client_options(const InventoryApiOptions& options) {
  if (options.url.empty()) throw InventoryOptionsError{"--inventory-url is required"};
  if (options.api_key_file.empty()) throw InventoryOptionsError{"--api-key-file is required"};
  std::vector<std::string> keys;
  try {
    keys = read_secret_file(options.api_key_file);
  } catch (const std::exception& e) {
    throw InventoryOptionsError{fmt::format("--api-key-file: {}", e.what())};
  }
  if (keys.size() != 1) {
    throw InventoryOptionsError{
        fmt::format("--api-key-file: {} holds {} keys; give one", options.api_key_file, keys.size())};
  }
  sync::InventoryClientOptions client{.base_url = options.url, .api_key = keys.front()};
  if (!options.ca_file.empty()) client.ca_file = options.ca_file;
  return client;
}

}  // namespace seatmirror::cli
