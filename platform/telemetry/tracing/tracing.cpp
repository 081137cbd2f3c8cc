// The process-wide tracer and its exporter pipeline.
#include <mutex>

#include "platform/telemetry/tracing/batch_processor.hpp"
#include "platform/telemetry/tracing/internal_log.hpp"
#include "platform/telemetry/tracing/otlp_exporter.hpp"
#include "platform/telemetry/tracing/tracer.hpp"

namespace fo::telemetry {
namespace {

struct Global {
  std::mutex mutex;  // serialises Init/Shutdown/Flush; never taken on the span path
  Tracer tracer;
  Sampler sampler;
  std::shared_ptr<BatchSpanProcessor> processor;
  std::chrono::milliseconds export_timeout{30000};
};

// Never destroyed, so spans ending during static destruction still find a tracer.
Global& GetGlobal() {
  static auto* global = new Global();
  return *global;
}

}  // namespace

void InitTracing(const TracingConfig& config) {
  Global& global = GetGlobal();
  const std::lock_guard lock(global.mutex);
  for (const std::string& warning : config.warnings) ReportTracingError(warning);
  if (global.processor) global.processor->Shutdown(global.export_timeout);
  global.processor.reset();
  global.sampler = Sampler(config.sampler);
  global.export_timeout = config.export_timeout;
  if (config.enabled && config.export_enabled) {
    if (auto url = ParseHttpUrl(config.endpoint)) {
      global.processor = std::make_shared<BatchSpanProcessor>(
          std::make_unique<OtlpHttpExporter>(config, std::move(*url)),
          BatchOptions{.max_queue_size = config.max_queue_size,
                       .max_export_batch_size = config.max_export_batch_size,
                       .schedule_delay = config.schedule_delay,
                       .export_timeout = config.export_timeout});
    } else {
      ReportTracingError("unsupported OTLP endpoint \"" + config.endpoint +
                         "\" (only http:// is supported); spans will not be exported");
    }
  }
  global.tracer.Configure(config.enabled, global.sampler, global.processor);
}

Tracer& GetTracer() { return GetGlobal().tracer; }

void ShutdownTracing(std::chrono::milliseconds timeout) {
  Global& global = GetGlobal();
  const std::lock_guard lock(global.mutex);
  if (!global.processor) return;
  global.processor->Shutdown(timeout);
  // Keep ids and sampling for log correlation; stop recording spans nobody will export.
  global.tracer.Configure(true, global.sampler, nullptr);
}

bool FlushTracing(std::chrono::milliseconds timeout) {
  Global& global = GetGlobal();
  const std::lock_guard lock(global.mutex);
  return !global.processor || global.processor->ForceFlush(timeout);
}

ExporterStats GetExporterStats() {
  Global& global = GetGlobal();
  const std::lock_guard lock(global.mutex);
  return global.processor ? global.processor->Stats() : ExporterStats{};
}

}  // namespace fo::telemetry
