// The standard process_* metrics every Prometheus client library exports (CPU seconds, resident
// and virtual memory, open and maximum file descriptors, start time), read from /proc/self at
// each scrape. prometheus-cpp's core has no process collector, so this is it. Only /proc/self is
// read: the systemd unit's ProcSubset=pid hides /proc/stat, so the start time is computed from
// the clocks rather than from the kernel's boot time there.
#pragma once

#include <prometheus/metric_family.h>

#include <vector>

namespace seatmirror::receiver {

// The families, named and typed as the Go and Python clients name them; a figure that cannot
// be read (a missing /proc) leaves its family out rather than reporting a false 0.
std::vector<prometheus::MetricFamily> process_metric_families();

}  // namespace seatmirror::receiver
