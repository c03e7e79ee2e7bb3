#include "receiver/metrics.hpp"

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
                               .Add({})) {
  // Known label values start at 0, so that a rate over them exists before the first failure.
  for (const auto verdict : {SignatureVerdict::missing, SignatureVerdict::malformed,
                             SignatureVerdict::outside_tolerance, SignatureVerdict::mismatch}) {
    signature_failures_.Add({{"reason", std::string{to_string(verdict)}}});
  }
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

std::string Metrics::exposition() const { return TextSerializer{}.Serialize(registry_->Collect()); }

}  // namespace seatmirror::receiver
