// The read-only JSON API on the webhook listener: GET /v1/… for seat fees, seat classes,
// seatmaps and computed layouts (JSON and SVG), paginated by cursor, filterable, with ETags on
// single resources, and seat usage (figures per period, seat events), behind bearer tokens
// independent of the webhook secrets. The OpenAPI
// description of the whole HTTP surface is served at /v1/openapi.json.
#pragma once

#include "read_side/read_models.hpp"
#include "receiver/answer.hpp"

#include <optional>
#include <string>
#include <vector>

namespace seatmirror::receiver {

class ApiRoutes {
 public:
  ApiRoutes(ReadModels& reads, std::vector<std::string> tokens) : reads_(reads), tokens_(std::move(tokens)) {}

  // The answer to a GET under /v1/, or nullopt when the path is not the API's.
  std::optional<Answer> handle(const Request& request) const;

 private:
  bool authorised(const Request& request) const;
  Answer list(InventoryKind kind, std::string_view target) const;
  Answer single(InventoryKind kind, const std::string& id, const Request& request) const;
  Answer layout(const std::string& id, bool svg, const Request& request) const;
  Answer seat_usage(std::string_view target) const;
  Answer seat_events(std::string_view target) const;

  ReadModels& reads_;
  std::vector<std::string> tokens_;
};

// The OpenAPI 3.1 document (docs/openapi.json, compiled in).
const char* openapi_document();

}  // namespace seatmirror::receiver
