#include "platform/app/exporter_metrics.hpp"

#include <prometheus/client_metric.h>
#include <prometheus/metric_family.h>

#include "platform/telemetry/tracing/tracer.hpp"

namespace fo::app {
namespace {

prometheus::MetricFamily Counter(std::string name, std::string help, std::uint64_t value) {
  prometheus::MetricFamily family;
  family.name = std::move(name);
  family.help = std::move(help);
  family.type = prometheus::MetricType::Counter;
  prometheus::ClientMetric metric;
  metric.counter.value = static_cast<double>(value);
  family.metric.push_back(std::move(metric));
  return family;
}

class TraceExporterCollector : public prometheus::Collectable {
 public:
  std::vector<prometheus::MetricFamily> Collect() const override {
    const auto stats = telemetry::GetExporterStats();
    return {Counter("otel_exporter_spans_exported_total", "Spans sent to the OTLP endpoint.",
                    stats.exported),
            Counter("otel_exporter_spans_dropped_total",
                    "Spans dropped because the export queue was full or the export failed.",
                    stats.dropped),
            Counter("otel_exporter_failed_batches_total", "Export requests that failed.",
                    stats.failed_batches)};
  }
};

}  // namespace

std::shared_ptr<prometheus::Collectable> MakeTraceExporterCollector() {
  return std::make_shared<TraceExporterCollector>();
}

}  // namespace fo::app
