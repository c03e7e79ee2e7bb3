#include "decode/delivery.hpp"

#include "decode/bz_date.hpp"

namespace seatmirror {

Delivery prepare_delivery(std::string body, std::string received_at) {
  auto decoded = decode_event(body);
  return Delivery{std::move(body), std::move(received_at), std::move(decoded), {}};
}

Delivery prepare_delivery(std::string body, std::chrono::system_clock::time_point received_at, std::string headers) {
  auto delivery = prepare_delivery(std::move(body), format_utc(received_at));
  delivery.headers = std::move(headers);
  return delivery;
}

}  // namespace seatmirror
