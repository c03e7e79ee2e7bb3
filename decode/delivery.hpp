// A delivery on its way to the writer: the exact bytes received, when they arrived, and what
// decode_event made of them. Preparing it (one parse, validation, seat layouts, the doc to
// store) is CPU work that runs on the caller's thread (a network thread, replay's reader), so
// that the writer thread only does database work.
#pragma once

#include "decode/envelope.hpp"

#include <chrono>
#include <string>

namespace seatmirror {

struct Delivery {
  std::string body;
  std::string received_at;  // ISO-8601 UTC
  DecodeResult decoded;
  // The request headers kept with a rejection (a JSON object; empty when there were none to
  // keep). Written only if the delivery is rejected.
  std::string headers;
  // Where it came from: a webhook, or a record `sync` took from the Inventory API (its
  // rejection is recorded as such).
  RejectionSource source = RejectionSource::inventory_webhook;
};

Delivery prepare_delivery(std::string body, std::chrono::system_clock::time_point received_at,
                          std::string headers = {});
Delivery prepare_delivery(std::string body, std::string received_at);

}  // namespace seatmirror
