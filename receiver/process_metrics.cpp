#include "receiver/process_metrics.hpp"

#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace seatmirror::receiver {
namespace {

// The fields of /proc/self/stat this needs (proc(5) numbers them from 1).
struct ProcessStat {
  unsigned long utime_ticks = 0;           // 14
  unsigned long stime_ticks = 0;           // 15
  unsigned long long starttime_ticks = 0;  // 22: since boot
  unsigned long vsize_bytes = 0;           // 23
  long rss_pages = 0;                      // 24
};

std::optional<ProcessStat> read_process_stat() {
  std::ifstream file{"/proc/self/stat"};
  std::string line;
  if (!std::getline(file, line)) return std::nullopt;
  // Field 2, the command name, is in parentheses and may itself hold spaces or ')': the
  // fields after it start after the last ')'.
  const auto name_end = line.rfind(')');
  if (name_end == std::string::npos) return std::nullopt;
  std::istringstream rest{line.substr(name_end + 1)};
  std::string skipped;
  ProcessStat stat;
  for (int field = 3; field <= 13; ++field) rest >> skipped;
  rest >> stat.utime_ticks >> stat.stime_ticks;
  for (int field = 16; field <= 21; ++field) rest >> skipped;
  rest >> stat.starttime_ticks >> stat.vsize_bytes >> stat.rss_pages;
  if (!rest) return std::nullopt;
  return stat;
}

double seconds_of(const timespec& time) {
  return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_nsec) / 1e9;
}

// Unix seconds of the machine's boot: now on the wall clock minus the time since boot.
double boot_time_seconds() {
  timespec realtime{};
  timespec since_boot{};
  clock_gettime(CLOCK_REALTIME, &realtime);
  clock_gettime(CLOCK_BOOTTIME, &since_boot);
  return seconds_of(realtime) - seconds_of(since_boot);
}

std::optional<double> open_fds() {
  std::error_code error;
  std::filesystem::directory_iterator entries{"/proc/self/fd", error};
  if (error) return std::nullopt;
  double count = 0;
  for (auto it = entries; it != std::filesystem::directory_iterator{}; it.increment(error)) {
    if (error) return std::nullopt;
    ++count;
  }
  return count - 1;  // the directory being read is itself an open descriptor
}

prometheus::MetricFamily family(const char* name, const char* help, prometheus::MetricType type, double value) {
  prometheus::ClientMetric metric;
  if (type == prometheus::MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  return prometheus::MetricFamily{name, help, type, {metric}};
}

}  // namespace

std::vector<prometheus::MetricFamily> process_metric_families() {
  using prometheus::MetricType;
  std::vector<prometheus::MetricFamily> families;
  const auto ticks_per_second = static_cast<double>(sysconf(_SC_CLK_TCK));
  if (const auto stat = read_process_stat(); stat && ticks_per_second > 0) {
    families.push_back(family("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
                              MetricType::Counter,
                              static_cast<double>(stat->utime_ticks + stat->stime_ticks) / ticks_per_second));
    families.push_back(family("process_resident_memory_bytes", "Resident memory size in bytes.", MetricType::Gauge,
                              static_cast<double>(stat->rss_pages) * static_cast<double>(sysconf(_SC_PAGESIZE))));
    families.push_back(family("process_virtual_memory_bytes", "Virtual memory size in bytes.", MetricType::Gauge,
                              static_cast<double>(stat->vsize_bytes)));
    families.push_back(family("process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
                              MetricType::Gauge,
                              boot_time_seconds() + static_cast<double>(stat->starttime_ticks) / ticks_per_second));
  }
  if (const auto fds = open_fds()) {
    families.push_back(family("process_open_fds", "Number of open file descriptors.", MetricType::Gauge, *fds));
  }
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    families.push_back(family("process_max_fds", "Maximum number of open file descriptors.", MetricType::Gauge,
                              static_cast<double>(limit.rlim_cur)));
  }
  return families;
}

}  // namespace seatmirror::receiver
