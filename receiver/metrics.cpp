#include "receiver/metrics.hpp"

#include <prometheus/text_serializer.h>

namespace seatmirror::receiver {

using namespace prometheus;

Metrics::Metrics()
    : registry_(std::make_shared<Registry>()),
      events_(BuildCounter().Name("seatmirror_webhook_events_total")
                  .Help("Webhook deliveries by event type and outcome").Register(*registry_)),
      responses_(BuildCounter().Name("seatmirror_http_responses_total")
                     .Help("HTTP responses by status code").Register(*registry_)),
      signature_failures_(BuildCounter().Name("seatmirror_signature_failures_total")
                              .Help("Requests refused with 401, by reason").Register(*registry_)),
      seat_api_(BuildCounter().Name("seatmirror_seat_api_writes_total")
                    .Help("Seat event POSTs and entitlement seat changes by outcome").Register(*registry_)),
      commits_(BuildCounter().Name("seatmirror_commits_total")
                   .Help("Group commits by result").Register(*registry_)),
      late_signatures_(BuildCounter().Name("seatmirror_late_signature_total")
                           .Help("Deliveries signed longer ago than --tolerance, accepted within --resend-window")
                           .Register(*registry_).Add({})),
      request_seconds_(BuildHistogram().Name("seatmirror_request_duration_seconds")
                           .Help("Time from a complete request to its response")
                           .Register(*registry_)
                           .Add({}, Histogram::BucketBoundaries{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                                0.05, 0.1, 0.25, 0.5, 1, 2.5})),
      commit_batch_size_(BuildHistogram().Name("seatmirror_commit_batch_size")
                             .Help("Deliveries per group commit")
                             .Register(*registry_)
                             .Add({}, Histogram::BucketBoundaries{1, 2, 4, 8, 16, 32, 64, 128, 256})),
      open_connections_(BuildGauge().Name("seatmirror_open_connections")
                            .Help("Client connections currently open").Register(*registry_).Add({})) {}

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
