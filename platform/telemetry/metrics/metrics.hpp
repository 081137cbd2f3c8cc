#pragma once
// The process's Prometheus registry and the metric families every program shares. Families are
// created once at start-up; handlers only look up a child by labels and observe.
#include <prometheus/collectable.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace fo::metrics {

// Sub-millisecond to seconds: our services answer in well under a millisecond when healthy.
const prometheus::Histogram::BucketBoundaries& LatencyBuckets();

class Registry {
 public:
  Registry();
  prometheus::Registry& Get() { return *registry_; }
  std::string Scrape() const;  // Prometheus text exposition format 0.0.4
  // Families computed at scrape time by someone else (the process, the trace exporter).
  void AddCollectable(std::shared_ptr<prometheus::Collectable> collectable);

  prometheus::Family<prometheus::Counter>& Counter(const std::string& name,
                                                   const std::string& help);
  prometheus::Family<prometheus::Gauge>& Gauge(const std::string& name, const std::string& help);
  prometheus::Family<prometheus::Histogram>& Histogram(const std::string& name,
                                                       const std::string& help);

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  // The core registry only holds families; these are collected beside it.
  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<prometheus::Collectable>> collectables_;
};

// The one registry of this process (metrics are process-wide by nature).
Registry& Global();

}  // namespace fo::metrics
