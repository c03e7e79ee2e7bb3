// What routes read of a request's headers beyond their own: whether the body is JSON, and
// which headers are kept with a refused body.
#pragma once

#include "receiver/answer.hpp"

#include <string>
#include <string_view>

namespace seatmirror::receiver {

// application/json or application/*+json, any parameters.
bool is_json_media_type(std::string_view content_type);

// The headers kept with a refused body (rejected_events.headers), as a JSON object: those that
// bear on its signature and meaning, never Authorization.
std::string kept_headers_json(const Request& request);

}  // namespace seatmirror::receiver
