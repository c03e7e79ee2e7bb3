// The seatmirror_ metric names docs/prometheus-alerts.yml uses (histogram suffixes removed), so
// that a test can hold every rule to a series /metrics really exposes.
#pragma once

#include <set>
#include <string>

namespace seatmirror::test {

std::set<std::string> metrics_named_in_alert_rules();

}  // namespace seatmirror::test
