#include "platform/telemetry/metrics/metrics.hpp"

#include <gtest/gtest.h>

#include <regex>

namespace fo::metrics {
namespace {

double ValueOf(const std::string& text, const std::string& name) {
  std::smatch match;
  std::regex line("(^|\n)" + name + " ([0-9.e+]+)");
  if (!std::regex_search(text, match, line)) return -1;
  return std::stod(match[2]);
}

TEST(Metrics, ScrapeHasProcessMetrics) {
  Registry registry;
  auto text = registry.Scrape();
  EXPECT_GT(ValueOf(text, "process_resident_memory_bytes"), 1e5);
  EXPECT_GE(ValueOf(text, "process_open_fds"), 3);
  EXPECT_GE(ValueOf(text, "process_threads"), 1);
  EXPECT_GE(ValueOf(text, "process_cpu_seconds_total"), 0);
  EXPECT_GT(ValueOf(text, "process_start_time_seconds"), 1.6e9);
}

TEST(Metrics, HistogramUsesSubMillisecondBuckets) {
  Registry registry;
  auto& family = registry.Histogram("test_duration_seconds", "test");
  family.Add({{"route", "/x"}}, LatencyBuckets()).Observe(0.0003);
  auto text = registry.Scrape();
  EXPECT_NE(text.find("test_duration_seconds_bucket{route=\"/x\",le=\"0.0005\"} 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("test_duration_seconds_bucket{route=\"/x\",le=\"0.00025\"} 0"),
            std::string::npos);
}

}  // namespace
}  // namespace fo::metrics
