#include "platform/telemetry/metrics/metrics.hpp"

#include <prometheus/text_serializer.h>

#include <sstream>

#include "platform/telemetry/metrics/process_collector.hpp"

namespace fo::metrics {

const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const prometheus::Histogram::BucketBoundaries buckets{
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
      0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};
  return buckets;
}

Registry::Registry() : registry_(std::make_shared<prometheus::Registry>()) {
  collectables_.push_back(MakeProcessCollector());
}

void Registry::AddCollectable(std::shared_ptr<prometheus::Collectable> collectable) {
  std::lock_guard lock(mutex_);
  collectables_.push_back(std::move(collectable));
}

std::string Registry::Scrape() const {
  std::ostringstream out;
  auto families = registry_->Collect();
  {
    std::lock_guard lock(mutex_);
    for (const auto& collectable : collectables_) {
      for (auto& family : collectable->Collect()) families.push_back(std::move(family));
    }
  }
  prometheus::TextSerializer().Serialize(out, families);
  return out.str();
}

prometheus::Family<prometheus::Counter>& Registry::Counter(const std::string& name,
                                                           const std::string& help) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(*registry_);
}

prometheus::Family<prometheus::Gauge>& Registry::Gauge(const std::string& name,
                                                       const std::string& help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(*registry_);
}

prometheus::Family<prometheus::Histogram>& Registry::Histogram(const std::string& name,
                                                               const std::string& help) {
  return prometheus::BuildHistogram().Name(name).Help(help).Register(*registry_);
}

Registry& Global() {
  static Registry registry;
  return registry;
}

}  // namespace fo::metrics
