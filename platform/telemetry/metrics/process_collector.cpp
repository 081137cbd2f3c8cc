#include "platform/telemetry/metrics/process_collector.hpp"

#include <dirent.h>
#include <prometheus/client_metric.h>
#include <prometheus/metric_family.h>
#include <prometheus/metric_type.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace fo::metrics {
namespace {

prometheus::MetricFamily Single(std::string name, std::string help, prometheus::MetricType type,
                                double value) {
  prometheus::MetricFamily family;
  family.name = std::move(name);
  family.help = std::move(help);
  family.type = type;
  prometheus::ClientMetric metric;
  if (type == prometheus::MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  family.metric.push_back(std::move(metric));
  return family;
}

double CountOpenFds() {
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return 0;
  double count = 0;
  while (const dirent* entry = ::readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  ::closedir(dir);
  return count - 1;  // the descriptor opendir itself holds
}

double BootTimeSeconds() {
  std::ifstream stat("/proc/stat");
  std::string key;
  double value = 0;
  while (stat >> key) {
    if (key == "btime") {
      stat >> value;
      return value;
    }
    stat.ignore(1 << 16, '\n');
  }
  return 0;
}

class ProcessCollector : public prometheus::Collectable {
 public:
  std::vector<prometheus::MetricFamily> Collect() const override {
    std::ifstream file("/proc/self/stat");
    std::string content((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    // Fields after the parenthesised command name, which may itself contain spaces.
    auto close = content.rfind(')');
    if (close == std::string::npos) return {};
    std::istringstream rest(content.substr(close + 2));
    std::vector<std::string> fields{std::istream_iterator<std::string>(rest),
                                    std::istream_iterator<std::string>()};
    // Indices are field numbers from proc(5) minus 3.
    if (fields.size() < 22) return {};
    const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
    const double page = static_cast<double>(::sysconf(_SC_PAGESIZE));
    const double cpu = (std::stod(fields[11]) + std::stod(fields[12])) / ticks;
    const double threads = std::stod(fields[17]);
    const double start = BootTimeSeconds() + std::stod(fields[19]) / ticks;
    const double vsize = std::stod(fields[20]);
    const double rss = std::stod(fields[21]) * page;
    using prometheus::MetricType;
    return {
        Single("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
               MetricType::Counter, cpu),
        Single("process_resident_memory_bytes", "Resident memory size in bytes.", MetricType::Gauge,
               rss),
        Single("process_virtual_memory_bytes", "Virtual memory size in bytes.", MetricType::Gauge,
               vsize),
        Single("process_open_fds", "Number of open file descriptors.", MetricType::Gauge,
               CountOpenFds()),
        Single("process_threads", "Number of OS threads in the process.", MetricType::Gauge,
               threads),
        Single("process_start_time_seconds", "Start time of the process since unix epoch.",
               MetricType::Gauge, start),
    };
  }
};

}  // namespace

std::shared_ptr<prometheus::Collectable> MakeProcessCollector() {
  return std::make_shared<ProcessCollector>();
}

}  // namespace fo::metrics
