#include "receiver/request_headers.hpp"

#include "json/json_text.hpp"

#include <algorithm>
#include <cctype>

namespace seatmirror::receiver {

std::string kept_headers_json(const Request& request) {
  boost::json::object kept;
  for (const char* name : {"x-btrz-signature", "webhook-id", "webhook-timestamp", "webhook-signature",
                           "sequence-version", "content-type", "user-agent"}) {
    if (const auto value = request[name]; !value.empty()) kept[name] = std::string_view{value};
  }
  return json_text(kept);
}

bool is_json_media_type(std::string_view content_type) {
  auto media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  std::string lower{media};
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return lower == "application/json" || (lower.starts_with("application/") && lower.ends_with("+json"));
}

}  // namespace seatmirror::receiver
