#include "receiver/metrics.hpp"

#include "decode/bz_date.hpp"
#include "decode/envelope.hpp"
#include "decode/seat_event.hpp"
#include "receiver/process_metrics.hpp"
#include "receiver/signature.hpp"

#include <prometheus/text_serializer.h>

#include <algorithm>

namespace seatmirror::receiver {

using namespace prometheus;

Metrics::Metrics()
    : registry_(std::make_shared<Registry>()),
      events_(BuildCounter()
                  .Name("seatmirror_webhook_events_total")
                  .Help("Webhook deliveries by event type and outcome")
                  .Register(*registry_)),
      responses_(BuildCounter()
                     .Name("seatmirror_http_responses_total")
                     .Help("HTTP responses by status code")
                     .Register(*registry_)),
      signature_failures_(BuildCounter()
                              .Name("seatmirror_signature_failures_total")
                              .Help("Requests refused with 401, by reason")
                              .Register(*registry_)),
      seat_api_(BuildCounter()
                    .Name("seatmirror_seat_api_writes_total")
                    .Help("Seat event POSTs and entitlement seat changes by outcome")
                    .Register(*registry_)),
      commits_(BuildCounter().Name("seatmirror_commits_total").Help("Group commits by result").Register(*registry_)),
      late_signatures_(BuildCounter()
                           .Name("seatmirror_late_signature_total")
                           .Help("Deliveries signed longer ago than --tolerance, accepted within --resend-window")
                           .Register(*registry_)
                           .Add({})),
      request_seconds_(BuildHistogram()
                           .Name("seatmirror_request_duration_seconds")
                           .Help("Time from a complete request to its response")
                           .Register(*registry_)
                           .Add({}, Histogram::BucketBoundaries{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                                0.25, 0.5, 1, 2.5})),
      commit_batch_size_(BuildHistogram()
                             .Name("seatmirror_commit_batch_size")
                             .Help("Deliveries per group commit")
                             .Register(*registry_)
                             .Add({}, Histogram::BucketBoundaries{1, 2, 4, 8, 16, 32, 64, 128, 256})),
      open_connections_(BuildGauge()
                            .Name("seatmirror_open_connections")
                            .Help("Client connections currently open")
                            .Register(*registry_)
                            .Add({})),
      event_age_seconds_(
          BuildHistogram()
              .Name("seatmirror_event_age_seconds")
              .Help("Age of each stored inventory event at arrival: now - created (sender lag and resends)")
              .Register(*registry_)
              .Add({}, Histogram::BucketBoundaries{1, 5, 15, 60, 300, 900, 3600, 14400, 86400, 604800})),
      newest_applied_created_(BuildGauge()
                                  .Name("seatmirror_newest_applied_created_seconds")
                                  .Help("Newest `created` (unix seconds) of an event applied since start, per family")
                                  .Register(*registry_)),
      writer_queue_depth_(BuildGauge()
                              .Name("seatmirror_writer_queue_depth")
                              .Help("Writes waiting for the writer thread")
                              .Register(*registry_)
                              .Add({})),
      last_commit_seconds_(
          BuildGauge()
              .Name("seatmirror_last_commit_timestamp_seconds")
              .Help("When the writer last committed (deliveries or a health probe); 0 before the first")
              .Register(*registry_)
              .Add({})),
      health_probe_writes_(BuildCounter()
                               .Name("seatmirror_health_probe_writes_total")
                               .Help("Heartbeat writes made for /healthz (every probe of one writer cycle shares one, "
                                     "none when that cycle committed deliveries)")
                               .Register(*registry_)
                               .Add({})),
      sync_runs_(BuildCounter()
                     .Name("seatmirror_sync_runs_total")
                     .Help("serve --sync-every runs by result: in_sync, repaired, drift (left: differs, gone, "
                           "invalid), failed, skipped (another receiver was syncing)")
                     .Register(*registry_)),
      sync_drift_(BuildGauge()
                      .Name("seatmirror_sync_drift")
                      .Help("Records of each kind the last complete sync found, per family (missing and behind "
                            "mean webhooks were lost)")
                      .Register(*registry_)),
      sync_repairs_(BuildCounter()
                        .Name("seatmirror_sync_repairs_total")
                        .Help("Records sync wrote (missing, behind, gone tombstones), per family")
                        .Register(*registry_)),
      sync_duration_seconds_(BuildGauge()
                                 .Name("seatmirror_sync_duration_seconds")
                                 .Help("How long the last sync run took")
                                 .Register(*registry_)
                                 .Add({})),
      sync_last_success_seconds_(BuildGauge()
                                     .Name("seatmirror_sync_last_success_timestamp_seconds")
                                     .Help("When a sync last completed (every page read, every repair stored); 0 "
                                           "before the first")
                                     .Register(*registry_)
                                     .Add({})),
      sync_interval_seconds_(BuildGauge()
                                 .Name("seatmirror_sync_interval_seconds")
                                 .Help("--sync-every, seconds; 0 when sync is off")
                                 .Register(*registry_)
                                 .Add({})) {
  start_known_series_at_zero();
}

// Known label values start at 0, so that a rate or an increase over them exists before the
// first event of its kind (Prometheus cannot tell a series that never moved from one missing).
void Metrics::start_known_series_at_zero() {
  for (const auto verdict : {SignatureVerdict::missing, SignatureVerdict::malformed,
                             SignatureVerdict::outside_tolerance, SignatureVerdict::mismatch}) {
    signature_failures_.Add({{"reason", std::string{to_string(verdict)}}});
  }
  for (const auto event : projected_webhook_events()) {
    for (const char* outcome : {"applied", "duplicate", "stale"}) {
      events_.Add({{"event", std::string{event}}, {"outcome", outcome}});
    }
    const auto family = event.substr(0, event.find('.'));
    newest_applied_created_.Add({{"family", std::string{family}}});
  }
  for (const char* outcome : {"ignored", "duplicate"}) events_.Add({{"event", "other"}, {"outcome", outcome}});
  events_.Add({{"event", "unparsed"}, {"outcome", "rejected"}});
  for (const auto outcome : {SeatEventOutcome::created, SeatEventOutcome::retry, SeatEventOutcome::rejected}) {
    seat_api_.Add({{"operation", "seat_event"}, {"outcome", std::string{to_string(outcome)}}});
  }
  for (const char* outcome : {"changed", "unchanged", "not_found", "conflict"}) {
    seat_api_.Add({{"operation", "entitlement_seat"}, {"outcome", outcome}});
  }
  for (const char* result : {"committed", "failed"}) commits_.Add({{"result", result}});
  // The statuses a client most needs to alert on; others appear when first answered.
  for (const char* code : {"200", "400", "401", "404", "413", "415", "500", "503"}) responses_.Add({{"code", code}});
}

void Metrics::observe_stored_event(const std::string& family, std::int64_t created_unix_s, bool applied,
                                   std::chrono::system_clock::time_point now) {
  const auto now_s = std::chrono::duration<double>(now.time_since_epoch()).count();
  event_age_seconds_.Observe(std::max(0.0, now_s - static_cast<double>(created_unix_s)));
  if (!applied) return;
  std::lock_guard lock{newest_mutex_};
  auto& newest = newest_applied_created_.Add({{"family", family}});
  if (static_cast<double>(created_unix_s) > newest.Value()) newest.Set(static_cast<double>(created_unix_s));
}

void Metrics::set_writer_state(std::size_t queue_depth,
                               std::optional<std::chrono::system_clock::time_point> last_commit,
                               std::uint64_t health_probe_writes) {
  writer_queue_depth_.Set(static_cast<double>(queue_depth));
  {
    // The writer counts; the scrape carries the count over (a counter only goes up).
    std::lock_guard lock{newest_mutex_};
    const auto delta = static_cast<double>(health_probe_writes) - health_probe_writes_.Value();
    if (delta > 0) health_probe_writes_.Increment(delta);
  }
  last_commit_seconds_.Set(last_commit ? std::chrono::duration<double>(last_commit->time_since_epoch()).count() : 0.0);
}

void Metrics::count_event(const std::string& event, const std::string& outcome) {
  events_.Add({{"event", event}, {"outcome", outcome}}).Increment();
}

void Metrics::count_seat_api(const std::string& operation, const std::string& outcome) {
  seat_api_.Add({{"operation", operation}, {"outcome", outcome}}).Increment();
}

void Metrics::count_response(unsigned status) { responses_.Add({{"code", std::to_string(status)}}).Increment(); }

void Metrics::count_signature_failure(const std::string& reason) {
  signature_failures_.Add({{"reason", reason}}).Increment();
}

void Metrics::observe_request_seconds(double seconds) { request_seconds_.Observe(seconds); }

void Metrics::observe_commit(std::size_t batch_size, bool committed) {
  commit_batch_size_.Observe(static_cast<double>(batch_size));
  commits_.Add({{"result", committed ? "committed" : "failed"}}).Increment();
}

void Metrics::set_build_info(const std::vector<std::pair<std::string, std::string>>& labels) {
  auto& family = BuildGauge()
                     .Name("seatmirror_build_info")
                     .Help("Always 1; its labels say which seatmirror runs, on which schema and libraries")
                     .Register(*registry_);
  family.Add(std::map<std::string, std::string>(labels.begin(), labels.end())).Set(1);
}

void Metrics::enable_sync(std::chrono::milliseconds every, const std::vector<std::string>& families,
                          const std::vector<std::string>& drift_kinds) {
  std::lock_guard lock{sync_mutex_};
  sync_enabled_ = true;
  sync_drift_kinds_ = {drift_kinds.begin(), drift_kinds.end()};
  sync_interval_seconds_.Set(std::chrono::duration<double>(every).count());
  for (const char* result : {"in_sync", "repaired", "drift", "failed", "skipped"}) sync_runs_.Add({{"result", result}});
  for (const auto& family : families) {
    sync_repairs_.Add({{"family", family}});
    for (const auto& kind : drift_kinds) sync_drift_.Add({{"family", family}, {"kind", kind}});
  }
}

void Metrics::observe_sync_run(const SyncRunFigures& run) {
  std::lock_guard lock{sync_mutex_};
  sync_runs_.Add({{"result", run.result}}).Increment();
  if (run.result == "skipped") return;
  sync_duration_seconds_.Set(run.duration_s);
  if (run.complete) {
    for (const auto& [family, counts] : run.counts) {
      for (const auto& [kind, count] : counts) {
        if (sync_drift_kinds_.contains(kind)) {
          sync_drift_.Add({{"family", family}, {"kind", kind}}).Set(static_cast<double>(count));
        }
      }
    }
  }
  for (const auto& [family, counts] : run.counts) {
    if (const auto repaired = counts.find("repaired"); repaired != counts.end() && repaired->second > 0) {
      sync_repairs_.Add({{"family", family}}).Increment(static_cast<double>(repaired->second));
    }
  }
  if (run.result != "failed") {
    sync_last_success_seconds_.Set(std::chrono::duration<double>(run.finished.time_since_epoch()).count());
  }
  last_sync_ = run;
}

std::optional<boost::json::value> Metrics::last_sync() const {
  std::lock_guard lock{sync_mutex_};
  if (!sync_enabled_) return std::nullopt;
  if (!last_sync_) return boost::json::value(nullptr);
  boost::json::object last{{"result", last_sync_->result},
                           {"finished", format_utc(last_sync_->finished)},
                           {"duration_s", last_sync_->duration_s}};
  if (!last_sync_->error.empty()) last["error"] = last_sync_->error;
  return boost::json::value(std::move(last));
}

std::string Metrics::exposition() const {
  auto families = registry_->Collect();
  for (auto& family : process_metric_families()) families.push_back(std::move(family));
  return TextSerializer{}.Serialize(families);
}

}  // namespace seatmirror::receiver
