// The receiver's Prometheus metrics (prometheus-cpp core registry; exposed by our own
// GET /metrics route, not prometheus-cpp's bundled HTTP server), with the standard process_*
// families next to them. Series whose label values are known start at 0. Thread-safe.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <boost/json/value.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace seatmirror::receiver {

// A `serve --sync-every` run as /metrics and /healthz show it (the receiver knows nothing of
// sync/: app/ fills this in).
struct SyncRunFigures {
  std::string result;  // in_sync, repaired, drift, failed, skipped
  std::string error;   // for failed
  std::chrono::system_clock::time_point finished;
  double duration_s = 0;
  bool complete = false;
  // family (seat_fees, seat_classes, seatmaps) → kind (missing, behind, …, repaired) → count
  std::map<std::string, std::map<std::string, std::int64_t>> counts;
};

class Metrics {
 public:
  Metrics();

  void count_event(const std::string& event, const std::string& outcome);
  void count_response(unsigned status);
  void count_signature_failure(const std::string& reason);
  // A valid signature older than --tolerance, accepted within --resend-window.
  void count_late_signature() { late_signatures_.Increment(); }
  // Seat API writes: operation seat_event or entitlement_seat, and what became of them.
  void count_seat_api(const std::string& operation, const std::string& outcome);
  void observe_request_seconds(double seconds);
  void observe_commit(std::size_t batch_size, bool committed);
  // An inventory event stored (any 2xx outcome): its age at arrival, and for an applied one
  // the newest `created` applied in its family (seatfees, seatclass, seatmap).
  void observe_stored_event(const std::string& family, std::int64_t created_unix_s, bool applied,
                            std::chrono::system_clock::time_point now);
  // Read by the scrape itself: the writer's queue, its last commit and its health probe writes.
  void set_writer_state(std::size_t queue_depth, std::optional<std::chrono::system_clock::time_point> last_commit,
                        std::uint64_t health_probe_writes);
  // Sync on a schedule: its series start at 0 for every known family and drift kind (the
  // counts a run reports that seatmirror_sync_drift shows; repairs have a counter of their own).
  void enable_sync(std::chrono::milliseconds every, const std::vector<std::string>& families,
                   const std::vector<std::string>& drift_kinds);
  void observe_sync_run(const SyncRunFigures& run);
  // The last run for /healthz: null before the first; nullopt when sync is off.
  std::optional<boost::json::value> last_sync() const;

  // seatmirror_build_info{version, commit, …} 1: what is running, for dashboards and alerts.
  void set_build_info(const std::vector<std::pair<std::string, std::string>>& labels);

  void connection_opened() { open_connections_.Increment(); }
  void connection_closed() { open_connections_.Decrement(); }

  // The Prometheus text exposition format (version 0.0.4).
  std::string exposition() const;

 private:
  void start_known_series_at_zero();

  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& events_;
  prometheus::Family<prometheus::Counter>& responses_;
  prometheus::Family<prometheus::Counter>& signature_failures_;
  prometheus::Family<prometheus::Counter>& seat_api_;
  prometheus::Family<prometheus::Counter>& commits_;
  prometheus::Counter& late_signatures_;
  prometheus::Histogram& request_seconds_;
  prometheus::Histogram& commit_batch_size_;
  prometheus::Gauge& open_connections_;
  prometheus::Histogram& event_age_seconds_;
  prometheus::Family<prometheus::Gauge>& newest_applied_created_;
  prometheus::Gauge& writer_queue_depth_;
  prometheus::Gauge& last_commit_seconds_;
  prometheus::Counter& health_probe_writes_;
  std::mutex newest_mutex_;  // a read-compare-set on a gauge or counter
  prometheus::Family<prometheus::Counter>& sync_runs_;
  prometheus::Family<prometheus::Gauge>& sync_drift_;
  prometheus::Family<prometheus::Counter>& sync_repairs_;
  prometheus::Gauge& sync_duration_seconds_;
  prometheus::Gauge& sync_last_success_seconds_;
  prometheus::Gauge& sync_interval_seconds_;
  mutable std::mutex sync_mutex_;
  bool sync_enabled_ = false;
  std::set<std::string> sync_drift_kinds_;
  std::optional<SyncRunFigures> last_sync_;
};

}  // namespace seatmirror::receiver
