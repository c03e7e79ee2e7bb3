#include "sync/drift.hpp"

#include <set>

namespace seatmirror::sync {
namespace {

bool is_deleted(const boost::json::object& record) {
  const auto* deleted = record.if_contains("deleted");
  return deleted && deleted->is_bool() && deleted->get_bool();
}

std::vector<std::string> differing_fields(const boost::json::object& a, const boost::json::object& b) {
  std::set<std::string> names;
  for (const auto& member : a) {
    const auto* other = b.if_contains(member.key());
    if (!other || *other != member.value()) names.emplace(member.key());
  }
  for (const auto& member : b) {
    if (!a.contains(member.key())) names.emplace(member.key());
  }
  return {names.begin(), names.end()};
}

}  // namespace

Judgement judge(const boost::json::object& remote, const std::optional<std::string>& remote_updated_at,
                const std::optional<StoredRecord>& stored) {
  if (!stored) return {Drift::missing, {}};
  if (stored->deleted && is_deleted(remote)) return {Drift::in_sync, {}};
  if (remote_updated_at && stored->updated_at && *remote_updated_at != *stored->updated_at) {
    return {*remote_updated_at > *stored->updated_at ? Drift::behind : Drift::ahead, {}};
  }
  auto fields = differing_fields(remote, stored->doc);
  if (fields.empty() && is_deleted(remote) == stored->deleted) return {Drift::in_sync, {}};
  if (fields.empty()) fields.emplace_back("deleted");  // a tombstone the record does not show
  return {Drift::differs, std::move(fields)};
}

void FamilyReport::count(Drift drift) {
  switch (drift) {
    case Drift::missing:
      ++missing;
      break;
    case Drift::behind:
      ++behind;
      break;
    case Drift::ahead:
      ++ahead;
      break;
    case Drift::differs:
      ++differs;
      break;
    case Drift::in_sync:
      ++in_sync;
      break;
  }
}

}  // namespace seatmirror::sync
