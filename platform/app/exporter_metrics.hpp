#pragma once
// The trace exporter's own counters as Prometheus metrics, so dropped spans are visible.
#include <prometheus/collectable.h>

#include <memory>

namespace fo::app {

std::shared_ptr<prometheus::Collectable> MakeTraceExporterCollector();

}  // namespace fo::app
