#include "decode/sync_record.hpp"

#include "json/json_text.hpp"

#include "decode/bz_date.hpp"
#include "decode/json_fields.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <array>
#include <stdexcept>

namespace seatmirror {
namespace {

// seatmirror's namespace for name-based ids (a random UUID, fixed once: changing it would
// give every synced version a new id, and a second sync would record it again).
constexpr std::array<unsigned char, 16> kNamespace = {0xc7, 0xc5, 0x9d, 0x36, 0x3a, 0x9b, 0x4c, 0xe6,
                                                      0xac, 0x8d, 0x98, 0x7d, 0xad, 0x9d, 0x0c, 0x49};

struct RecordVersion {
  std::optional<std::string> id, updated_at;
};

// The _id and updatedAt of a listed record, where they are usable; decoding says why not.
RecordVersion version_of(const boost::json::object& record) {
  const FieldReader fields{record, "data", RejectionReason::invalid_data};
  RecordVersion version;
  try {
    version.id = fields.object_id("_id");
  } catch (const FieldError&) {
  }
  try {
    version.updated_at = fields.bz_date("updatedAt");
  } catch (const FieldError&) {
  }
  return version;
}

std::string envelope(std::string_view id, std::int64_t created, std::string_view event, boost::json::object data) {
  return json_text(boost::json::object{{"id", id},
                                       {"attemptId", "sync"},
                                       {"created", created},
                                       {"event", event},
                                       {"livemode", true},
                                       {"data", std::move(data)}});
}

}  // namespace

std::string_view synced_event_name(InventoryKind family) {
  switch (family) {
    case InventoryKind::seat_fees:
      return "seatfees.synced";
    case InventoryKind::seat_classes:
      return "seatclass.synced";
    case InventoryKind::seatmaps:
      return "seatmap.synced";
  }
  return "";
}

std::string_view gone_event_name(InventoryKind family) {
  switch (family) {
    case InventoryKind::seat_fees:
      return "";  // fees are never deleted, only disabled
    case InventoryKind::seat_classes:
      return "seatclass.gone";
    case InventoryKind::seatmaps:
      return "seatmap.gone";
  }
  return "";
}

namespace {

constexpr InventoryKind kSyncFamilies[] = {InventoryKind::seat_fees, InventoryKind::seat_classes,
                                           InventoryKind::seatmaps};

}  // namespace

bool is_synced_event(std::string_view event) {
  return std::ranges::any_of(kSyncFamilies, [&](InventoryKind family) { return synced_event_name(family) == event; });
}

bool is_gone_event(std::string_view event) {
  return !event.empty() &&
         std::ranges::any_of(kSyncFamilies, [&](InventoryKind family) { return gone_event_name(family) == event; });
}

std::string synced_record_body(InventoryKind family, const boost::json::object& record) {
  const auto event = synced_event_name(family);
  const auto version = version_of(record);
  std::int64_t created = 0;
  std::string name;
  if (version.id && version.updated_at) {
    created = std::max<std::int64_t>(0, unix_millis(*version.updated_at) / 1000);
    name = fmt::format("{}/{}/{}", event, *version.id, *version.updated_at);
  } else {
    // Boost.JSON's own spelling, not json_text: this is the name the event id is derived from,
    // and ids already in a ledger must keep matching the records they came from.
    name = fmt::format("{}/{}", event, boost::json::serialize(record));
  }
  return envelope(name_based_uuid(name), created, event, record);
}

std::string gone_record_body(InventoryKind family, std::string_view id, std::int64_t order_created,
                             const std::optional<std::string>& order_updated_at) {
  const auto event = gone_event_name(family);
  boost::json::object data{{"_id", id}};
  if (order_updated_at) data["updatedAt"] = boost::json::object{{"offset", 0}, {"value", *order_updated_at}};
  const auto name = fmt::format("{}/{}/{}/{}", event, id, order_created, order_updated_at.value_or(""));
  return envelope(name_based_uuid(name), order_created, event, std::move(data));
}

std::string name_based_uuid(std::string_view name) {
  std::string input(kNamespace.begin(), kNamespace.end());
  input += name;
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_Digest(input.data(), input.size(), digest.data(), &size, EVP_sha1(), nullptr) != 1 || size < 16) {
    throw std::runtime_error("SHA-1 is not available from OpenSSL");
  }
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0F) | 0x50);  // version 5
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3F) | 0x80);  // RFC 4122 variant
  std::string text;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
    text += fmt::format("{:02x}", digest[static_cast<std::size_t>(i)]);
  }
  return text;
}

}  // namespace seatmirror
