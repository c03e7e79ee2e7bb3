// libFuzzer target: any bytes as one page of an Inventory API list (what `sync` reads from the
// network). The page is either read (every item an object; count non-negative) or refused
// with an InventoryListError; nothing else may escape, and nothing may crash.
#include "decode/inventory_list.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto page = seatmirror::parse_inventory_list({reinterpret_cast<const char*>(data), size});
    if (page.count && *page.count < 0) std::abort();
  } catch (const seatmirror::InventoryListError&) {
  }
  return 0;
}
