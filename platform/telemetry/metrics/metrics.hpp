#pragma once
// The process's Prometheus registry and the metric families every program shares. Families are
// created once at start-up; handlers only look up a child by labels and observe.
#include <prometheus/collectable.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
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

// A family's children by label values, remembered. prometheus-cpp's Family::Add builds a
// std::map of the labels and a whole new metric (for a histogram, its buckets) on every call,
// before it finds the existing child: ~20 allocations per observation on a hot path. With()
// hashes the values into a reused buffer and allocates only the first time a child is seen.
// Thread-safe; the label names are fixed at construction.
template <typename Metric>
class Children {
 public:
  Children(prometheus::Family<Metric>& family, std::vector<std::string> label_names,
           std::optional<prometheus::Histogram::BucketBoundaries> buckets = std::nullopt)
      : family_(family), names_(std::move(label_names)), buckets_(std::move(buckets)) {}

  Metric& With(std::initializer_list<std::string_view> values) {
    const auto& key = Key(values);
    {
      std::shared_lock lock(mutex_);
      if (auto it = children_.find(std::string_view(key)); it != children_.end()) {
        return *it->second;
      }
    }
    prometheus::Labels labels;
    auto name = names_.begin();
    for (auto value : values) labels.emplace(*name++, std::string(value));
    std::unique_lock lock(mutex_);
    Metric* metric = nullptr;
    if constexpr (std::is_same_v<Metric, prometheus::Histogram>) {
      metric = &family_.Add(labels, *buckets_);
    } else {
      metric = &family_.Add(labels);
    }
    children_.emplace(key, metric);
    return *metric;
  }

  // Drops the child from the exposition (a partition that moved to another consumer).
  void Remove(std::initializer_list<std::string_view> values) {
    const auto& key = Key(values);
    std::unique_lock lock(mutex_);
    auto it = children_.find(std::string_view(key));
    if (it == children_.end()) return;
    family_.Remove(it->second);
    children_.erase(it);
  }

 private:
  const std::string& Key(std::initializer_list<std::string_view> values) const {
    if (values.size() != names_.size()) throw std::logic_error("wrong number of label values");
    thread_local std::string key;
    key.clear();
    for (auto value : values) {
      key.append(value);
      key.push_back('\x1f');  // a separator no label value of ours contains
    }
    return key;
  }

  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };
  prometheus::Family<Metric>& family_;
  std::vector<std::string> names_;
  std::optional<prometheus::Histogram::BucketBoundaries> buckets_;
  std::shared_mutex mutex_;
  std::unordered_map<std::string, Metric*, Hash, std::equal_to<>> children_;
};

using CounterChildren = Children<prometheus::Counter>;
using GaugeChildren = Children<prometheus::Gauge>;
using HistogramChildren = Children<prometheus::Histogram>;

}  // namespace fo::metrics
