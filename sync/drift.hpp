// How one record the Inventory API lists compares with the copy (issue 18's kinds):
//   missing  not in the copy;
//   behind   the copy is older than the remote record (its updatedAt is earlier);
//   ahead    the copy is newer: a webhook arrived after the page was fetched; left alone;
//   differs  the same updatedAt (or none to compare) but other content: reported with the
//            differing fields, never repaired, since neither side can be called newer;
//   in_sync  the same content (a record deleted on both sides is in sync whatever it held);
// and `gone`: in the copy (not deleted) but not listed remotely, for seat classes and seatmaps
// (seat fees are never deleted, only disabled, so a fee missing from the lists is not gone).
// Versions are compared by the record's own updatedAt, Betterez's clock on both sides, never
// by when anything arrived here.
#pragma once

#include <boost/json/object.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace seatmirror::sync {

enum class Drift { missing, behind, ahead, differs, in_sync };

struct StoredRecord {
  boost::json::object doc;                // the record as last applied
  std::optional<std::string> updated_at;  // its canonical updatedAt (order_updated_at)
  bool deleted = false;                   // a tombstone
};

struct Judgement {
  Drift drift;
  std::vector<std::string> differing_fields;  // for differs: the top-level members that differ
};

// `remote_updated_at` is the remote record's updatedAt in canonical form, when it has one.
Judgement judge(const boost::json::object& remote, const std::optional<std::string>& remote_updated_at,
                const std::optional<StoredRecord>& stored);

// Counts per family, as `sync --json` prints them.
struct FamilyReport {
  std::int64_t remote = 0, missing = 0, behind = 0, ahead = 0, differs = 0, gone = 0, in_sync = 0;
  std::int64_t invalid = 0;  // listed records the webhooks' rules refuse (no usable _id or updatedAt, …)
  // What became of the repairs: applied, or beaten to it by a webhook (or another sync)
  // carrying that version or a newer one. Both 0 on a dry run.
  std::int64_t repaired = 0, superseded = 0;
  void count(Drift drift);
  // Found and not set right: every kind of drift, less what was repaired or superseded.
  std::int64_t drift_left() const { return missing + behind + gone + differs + invalid - repaired - superseded; }
};

// Each count's name, written once: `sync --json`, its table and /metrics use these.
inline constexpr std::pair<std::string_view, std::int64_t FamilyReport::*> kFamilyCounts[] = {
    {"remote", &FamilyReport::remote},     {"missing", &FamilyReport::missing},
    {"behind", &FamilyReport::behind},     {"ahead", &FamilyReport::ahead},
    {"differs", &FamilyReport::differs},   {"gone", &FamilyReport::gone},
    {"in_sync", &FamilyReport::in_sync},   {"invalid", &FamilyReport::invalid},
    {"repaired", &FamilyReport::repaired}, {"superseded", &FamilyReport::superseded}};

}  // namespace seatmirror::sync
