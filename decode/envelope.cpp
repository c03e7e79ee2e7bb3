#include "decode/envelope.hpp"

#include "json/json_text.hpp"

#include "decode/json_document.hpp"
#include "decode/json_fields.hpp"
#include "decode/sync_record.hpp"
#include "layout/seat_layout_json.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <set>

namespace seatmirror {
namespace {

constexpr std::int64_t kMaxUnixSeconds = 253402300799;  // 9999-12-31T23:59:59Z
constexpr std::int64_t kMaxCount = 1'000'000;           // generous bound for rows, seats, sizes

// Counts UTF-8 code points; the parser has already rejected invalid UTF-8.
std::size_t count_characters(std::string_view text) {
  std::size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

AuditFields read_audit(const FieldReader& data) {
  return {data.object_id("createdBy"), data.object_id("updatedBy"), data.bz_date("createdAt"),
          data.bz_date("updatedAt")};
}

SeatFeeUpserted read_seat_fee(const FieldReader& data, std::string doc) {
  SeatFeeUpserted fee;
  fee.id = data.required_object_id("_id");
  fee.doc = std::move(doc);
  fee.short_name = data.text("shortName");
  if (fee.short_name) {
    const auto length = count_characters(*fee.short_name);
    if (length < 1 || length > 3) {
      data.fail("shortName", fmt::format("must be 1 to 3 characters, got {}", length));
    }
  }
  fee.type = data.text("type");
  if (fee.type && *fee.type != "$" && *fee.type != "%") {
    data.fail("type", "must be \"$\" (fixed) or \"%\" (percentage)");
  }
  fee.value = data.number("value");
  if (fee.value && *fee.value < 0.01) data.fail("value", "must be at least 0.01");
  fee.disabled = data.boolean("disabled");
  fee.bgcolor = data.text("bgcolor");
  fee.name = data.text("name");
  fee.lexicon_keys = data.json_object("lexiconKeys");
  fee.audit = read_audit(data);
  return fee;
}

SeatClassUpserted read_seat_class(const FieldReader& data, std::string doc) {
  SeatClassUpserted seat_class;
  seat_class.id = data.required_object_id("_id");
  seat_class.doc = std::move(doc);
  seat_class.name = data.text("name");
  seat_class.description = data.text("description");
  seat_class.bgcolor = data.text("bgcolor");
  seat_class.lexicon_keys = data.json_object("lexiconKeys");
  seat_class.deleted = data.boolean("deleted");
  seat_class.audit = read_audit(data);
  return seat_class;
}

// Calls `read` on each element of the array at `key` (absent: none), refusing one that is
// not an object with its path ("data.sections[1] must be an object").
template <typename Read>
void for_each_object(const FieldReader& parent, std::string_view key, Read read) {
  const auto* array = parent.array(key);
  if (!array) return;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const auto path = fmt::format("{}[{}]", parent.path_of(key), i);
    if (!(*array)[i].is_object()) {
      throw FieldError{RejectionReason::invalid_data, path, path + " must be an object"};
    }
    read(FieldReader{(*array)[i].get_object(), path, RejectionReason::invalid_data});
  }
}

// The seatmap_sections and seatmap_facilities views of both schemas read these fields out of
// the stored document as text and numbers (PostgreSQL casts them, and a cast that fails would
// make every read of the view fail), so a mistyped one refuses the event here. Nothing else
// is kept from them: the layout reads the section itself (layout/seat_layout.cpp).
void check_facility(const FieldReader& fields) {
  fields.text("type");
  fields.text("label");
  for (const auto* number : {"row", "col", "width", "height"}) fields.integer(number, 0, kMaxCount);
  if (const auto* alignment = fields.object("alignment")) {
    FieldReader{*alignment, fields.path_of("alignment"), RejectionReason::invalid_data}.integer("key", 0, kMaxCount);
  }
}

std::string read_section_id(const FieldReader& fields) {
  fields.text("name");
  for (const auto* number : {"capacity", "availableRows", "availableCols", "seatsPerRowLeft", "seatsPerRowRight"}) {
    fields.integer(number, 0, kMaxCount);
  }
  for_each_object(fields, "facilities", check_facility);
  return fields.required_object_id("_id");
}

// Lays out every section (the one place layouts are computed), encodes them for storage and
// adds up the seats. A capacity that differs from the payload's is worth an operator's look,
// not a refusal: the payload is Betterez's truth, the layout our reading of it.
void lay_out_sections(SeatmapUpserted& seatmap, const boost::json::array& raw_sections) {
  std::vector<LaidOutSection> laid_out;
  laid_out.reserve(seatmap.section_ids.size());
  seatmap.computed_capacity = 0;
  for (std::size_t i = 0; i < seatmap.section_ids.size(); ++i) {
    auto& section = laid_out.emplace_back(LaidOutSection{seatmap.section_ids[i], std::nullopt, ""});
    section.layout = compute_section_layout(raw_sections[i].get_object(), section.problem);
    if (!section.layout) {
      seatmap.computed_capacity.reset();
      spdlog::warn("seatmap {} section {} has no seat layout: {}", seatmap.id, section.section_id, section.problem);
    } else if (seatmap.computed_capacity) {
      *seatmap.computed_capacity += section.layout->capacity();
    }
  }
  if (seatmap.computed_capacity && seatmap.capacity && *seatmap.computed_capacity != *seatmap.capacity) {
    spdlog::warn("seatmap {}: its sections lay out {} seats, its capacity says {}", seatmap.id,
                 *seatmap.computed_capacity, *seatmap.capacity);
  }
  seatmap.layout_json = encode_layouts(laid_out);
}

SeatmapUpserted read_seatmap(const FieldReader& data, std::string doc) {
  SeatmapUpserted seatmap;
  seatmap.id = data.required_object_id("_id");
  seatmap.doc = std::move(doc);
  seatmap.account_id = data.object_id("accountId");
  seatmap.name = data.text("name");
  seatmap.capacity = data.integer("capacity", 0, kMaxCount);
  seatmap.standard = data.boolean("standard");
  seatmap.allow_seat_orientation = data.boolean("allowSeatOrientation");
  seatmap.amenity_group_id = data.text("amenityGroupId");
  seatmap.brand_id = data.text("brandId");
  seatmap.audit = read_audit(data);
  for_each_object(data, "sections",
                  [&](const FieldReader& section) { seatmap.section_ids.push_back(read_section_id(section)); });
  // Sections are keyed by (seatmap, section id): a repeated id could not be stored faithfully.
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < seatmap.section_ids.size(); ++i) {
    if (!seen.insert(seatmap.section_ids[i]).second) {
      const auto path = fmt::format("data.sections[{}]._id", i);
      throw FieldError{RejectionReason::invalid_data, path,
                       fmt::format("{} repeats the id of an earlier section", path)};
    }
  }
  static const boost::json::array no_sections;
  const auto* raw_sections = data.array("sections");
  lay_out_sections(seatmap, raw_sections ? *raw_sections : no_sections);
  return seatmap;
}

constexpr std::string_view kProjectedWebhookEvents[] = {"seatfees.created",  "seatfees.updated",  "seatclass.created",
                                                        "seatclass.updated", "seatclass.deleted", "seatmap.created",
                                                        "seatmap.updated",   "seatmap.deleted"};

// The webhook events, and the records `sync` takes from the Inventory API (sync_record.hpp),
// which are upserts and deletes like them.
EventData read_known_event(std::string_view event, const FieldReader& data, const boost::json::object& raw) {
  if (event == "seatfees.created" || event == "seatfees.updated" || event == "seatfees.synced") {
    return read_seat_fee(data, json_text(raw));
  }
  if (event == "seatclass.created" || event == "seatclass.updated" || event == "seatclass.synced") {
    return read_seat_class(data, json_text(raw));
  }
  if (event == "seatclass.deleted") return SeatClassDeleted{data.required_object_id("seatClassId")};
  if (event == "seatmap.created" || event == "seatmap.updated" || event == "seatmap.synced") {
    return read_seatmap(data, json_text(raw));
  }
  if (event == "seatmap.deleted") return SeatmapDeleted{data.required_object_id("id")};
  if (event == "seatclass.gone") return SeatClassDeleted{data.required_object_id("_id")};
  if (event == "seatmap.gone") return SeatmapDeleted{data.required_object_id("_id")};
  return UnknownEvent{};
}

EventData read_event_data(std::string_view event, const boost::json::object& raw) {
  const FieldReader data{raw, "data", RejectionReason::invalid_data};
  auto event_data = read_known_event(event, data, raw);
  // A synced record's updatedAt is its version: without one it could be ordered against nothing.
  if (is_synced_event(event) && !data.bz_date("updatedAt")) data.fail("updatedAt", "is required in a synced record");
  return event_data;
}

// data.updatedAt, the ordering tie-break: an upsert's audit field, or a gone tombstone's copy
// of the ordering key it replaces. A webhook delete carries none.
std::optional<std::string> ordering_updated_at(const InventoryEvent& event, const boost::json::object& data) {
  if (is_gone_event(event.envelope.event)) {
    return FieldReader{data, "data", RejectionReason::invalid_data}.bz_date("updatedAt");
  }
  return std::visit(
      [](const auto& d) -> std::optional<std::string> {
        if constexpr (requires { d.audit; }) return d.audit.updated_at;
        return std::nullopt;
      },
      event.data);
}

Envelope read_envelope(const FieldReader& fields) {
  Envelope envelope;
  envelope.id = fields.required_text("id");
  if (!is_uuid(envelope.id)) fields.fail("id", "must be a UUID (8-4-4-4-12 hexadecimal)");
  envelope.id = to_lower_ascii(envelope.id);
  envelope.attempt_id = fields.required_text("attemptId");
  const auto created = fields.integer("created", 0, kMaxUnixSeconds);
  if (!created) fields.fail("created", "is required (unix seconds)");
  envelope.created = *created;
  envelope.event = fields.required_text("event");
  if (envelope.event.empty()) fields.fail("event", "must not be empty");
  envelope.livemode = fields.required_boolean("livemode");
  return envelope;
}

}  // namespace

bool is_older(const OrderingKey& incoming, const OrderingKey& stored) {
  if (incoming.created != stored.created) return incoming.created < stored.created;
  if (incoming.updated_at && stored.updated_at) return *incoming.updated_at < *stored.updated_at;
  return false;
}

std::optional<std::string> InventoryEvent::entity_id() const {
  return std::visit(
      [](const auto& d) -> std::optional<std::string> {
        if constexpr (requires { d.id; }) return d.id;
        return std::nullopt;
      },
      data);
}

std::string_view to_string(RejectionReason reason) {
  switch (reason) {
    case RejectionReason::malformed_json:
      return "malformed_json";
    case RejectionReason::invalid_envelope:
      return "invalid_envelope";
    case RejectionReason::invalid_data:
      return "invalid_data";
    case RejectionReason::invalid_seat_event:
      return "invalid_seat_event";
    case RejectionReason::unsupported_version:
      return "unsupported_version";
  }
  return "unknown";
}

std::string_view to_string(RejectionSource source) {
  switch (source) {
    case RejectionSource::inventory_webhook:
      return "inventory_webhook";
    case RejectionSource::seat_event:
      return "seat_event";
    case RejectionSource::inventory_sync:
      return "inventory_sync";
  }
  return "inventory_webhook";
}

std::optional<RejectionSource> rejection_source_from_string(std::string_view text) {
  for (auto source :
       {RejectionSource::inventory_webhook, RejectionSource::seat_event, RejectionSource::inventory_sync}) {
    if (to_string(source) == text) return source;
  }
  return std::nullopt;
}

std::span<const std::string_view> projected_webhook_events() { return kProjectedWebhookEvents; }

DecodeResult decode_event(std::string_view body) {
  auto parsed = parse_json_document(body);
  if (auto* error = std::get_if<JsonSyntaxError>(&parsed)) {
    return Rejection{RejectionReason::malformed_json, "", std::move(error->message)};
  }
  auto& root = std::get<boost::json::value>(parsed);
  if (!root.is_object()) {
    return Rejection{RejectionReason::malformed_json, "", "body must be a JSON object"};
  }
  if (auto field = find_text_with_nul(body, root)) {
    const bool in_data = field->starts_with("data.") || field->starts_with("data[");
    return text_with_nul(in_data ? RejectionReason::invalid_data : RejectionReason::invalid_envelope,
                         std::move(*field));
  }
  try {
    const FieldReader envelope_fields{root.get_object(), "", RejectionReason::invalid_envelope};
    InventoryEvent event;
    event.envelope = read_envelope(envelope_fields);
    const auto& data = envelope_fields.required_object("data");
    event.data = read_event_data(event.envelope.event, data);
    event.updated_at = ordering_updated_at(event, data);
    return event;
  } catch (const FieldError& error) {
    return Rejection{error.reason, error.field, error.message};
  }
}

}  // namespace seatmirror
