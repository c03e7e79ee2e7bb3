#include "decode/entitlement.hpp"

#include "decode/bz_date.hpp"
#include "decode/json_fields.hpp"

#include <fmt/format.h>
#include <boost/json/array.hpp>

namespace seatmirror {
namespace {

std::optional<std::size_t> find_active_azure_subscription(const boost::json::array& subscriptions) {
  for (std::size_t i = 0; i < subscriptions.size(); ++i) {
    const auto* status =
        subscriptions[i].is_object() ? subscriptions[i].get_object().if_contains("saasSubscriptionStatus") : nullptr;
    if (status && status->is_string() && status->get_string() == "Subscribed") return i;
  }
  if (subscriptions.empty()) return std::nullopt;
  return 0;
}

}  // namespace

std::variant<Entitlement, Rejection> read_entitlement(const boost::json::value& value, const std::string& path) {
  if (!value.is_object()) {
    return Rejection{RejectionReason::invalid_data, path,
                     fmt::format("{} must be an entitlement object", path.empty() ? "the entitlement" : path)};
  }
  try {
    const FieldReader fields{value.get_object(), path, RejectionReason::invalid_data};
    Entitlement e;
    e.id = fields.required_text("id");
    if (e.id.empty()) fields.fail("id", "must not be empty");
    e.organization_id = fields.required_text("organizationID");
    e.partner = fields.text("partner");
    e.status = fields.text("status");
    e.buyer_id = fields.text("buyerID");
    e.product_id = fields.text("productID");
    if (auto updated = fields.text("lastUpdateTime")) {
      e.last_update_time = canonical_utc(*updated);
      if (!e.last_update_time) fields.fail("lastUpdateTime", "must be an ISO-8601 date-time with a zone");
    }
    if (const auto* info = fields.object("info")) {
      const FieldReader info_fields{*info, fields.path_of("info"), RejectionReason::invalid_data};
      if (const auto* subscriptions = info_fields.array("azureSubscriptions")) {
        e.active_azure_subscription = find_active_azure_subscription(*subscriptions);
        if (e.active_azure_subscription) {
          const auto at =
              fmt::format("{}[{}]", info_fields.path_of("azureSubscriptions"), *e.active_azure_subscription);
          const auto& subscription = (*subscriptions)[*e.active_azure_subscription];
          if (!subscription.is_object()) {
            return Rejection{RejectionReason::invalid_data, at, at + " must be an object"};
          }
          const FieldReader sub_fields{subscription.get_object(), at, RejectionReason::invalid_data};
          e.quantity = sub_fields.integer("quantity", 0, 2'147'483'647);
        }
      }
    }
    e.doc = value.get_object();
    return e;
  } catch (const FieldError& error) {
    return Rejection{error.reason, error.field, error.message};
  }
}

std::optional<std::string> seat_change_conflict(const Entitlement& e) {
  if (e.partner != "AZURE") {
    return fmt::format("entitlement {} is a {} entitlement; only AZURE entitlements have seats to change", e.id,
                       e.partner.value_or("partnerless"));
  }
  if (e.status != "ACTIVE") {
    return fmt::format("entitlement {} is {}; only an ACTIVE entitlement's seats can change", e.id,
                       e.status.value_or("without a status"));
  }
  if (!e.active_azure_subscription) return fmt::format("entitlement {} has no Azure subscription", e.id);
  if (!e.buyer_id || !e.product_id) {
    return fmt::format("entitlement {} has no buyerID or productID to record seat usage under", e.id);
  }
  return std::nullopt;
}

Entitlement with_quantity(const Entitlement& entitlement, std::int64_t quantity,
                          std::chrono::system_clock::time_point at) {
  Entitlement changed = entitlement;
  auto& subscription = changed.doc["info"]
                           .as_object()["azureSubscriptions"]
                           .as_array()
                           .at(*changed.active_azure_subscription)
                           .as_object();
  subscription["quantity"] = quantity;
  changed.quantity = quantity;
  changed.last_update_time = format_utc(at);
  changed.doc["lastUpdateTime"] = *changed.last_update_time;
  return changed;
}

}  // namespace seatmirror
