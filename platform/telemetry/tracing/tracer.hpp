#pragma once
// Starts spans, and the process-wide tracer every service configures once from its main().
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "platform/telemetry/tracing/batch_processor.hpp"
#include "platform/telemetry/tracing/config.hpp"
#include "platform/telemetry/tracing/sampler.hpp"
#include "platform/telemetry/tracing/span.hpp"
#include "platform/telemetry/tracing/span_context.hpp"

namespace fo::telemetry {

class Tracer {
 public:
  Tracer();  // a no-op tracer until Configure is called
  // `processor` may be null: spans then get ids and a sampling decision but are never recorded.
  Tracer(Sampler sampler, std::shared_ptr<SpanProcessor> processor);
  // Spans it started must have ended (the process-wide tracer is never destroyed).
  ~Tracer();
  Tracer(const Tracer&) = delete;
  Tracer& operator=(const Tracer&) = delete;

  // `parent` may be null (root span) or a remote or local context. A sampled span records; an
  // unsampled one still gets fresh ids so the trace id propagates and reaches the logs. A no-op
  // tracer returns a non-recording span carrying the parent's context.
  Span StartSpan(std::string_view name, SpanKind kind, const SpanContext* parent) const;
  Span StartSpan(std::string_view name, SpanKind kind, const SpanContext& parent) const {
    return StartSpan(name, kind, &parent);
  }

  // Swaps in a new sampler and processor (or a no-op tracer when `enabled` is false); safe while
  // other threads start spans. A start-up operation: the tracer keeps every processor it is
  // given until it is destroyed, so a span can end into the one it started with at any time.
  void Configure(bool enabled, Sampler sampler, std::shared_ptr<SpanProcessor> processor);

 private:
  struct State;
  // Spans read the current state with one plain load and hold its processor by pointer: no
  // reference count is touched per span. (An atomic shared_ptr took a lock bit and bumped two
  // counts on cache lines every I/O thread shares, at every span's start and end.) Spans may
  // outlive a Configure, so replaced states are kept in `states_` rather than freed.
  std::atomic<const State*> state_{nullptr};  // null: no-op
  std::mutex configure_mutex_;
  std::vector<std::unique_ptr<const State>> states_;  // guarded by configure_mutex_
};

// Installs the tracer described by `config` (replacing, after a flush, any earlier one). Safe to
// never call: GetTracer() is then a no-op tracer.
void InitTracing(const TracingConfig& config);
Tracer& GetTracer();
// Flushes pending spans within `timeout`, then stops the exporter thread. Spans keep getting ids
// afterwards but are no longer exported.
void ShutdownTracing(std::chrono::milliseconds timeout);
// Exports what is queued now; false if that did not finish within `timeout`.
bool FlushTracing(std::chrono::milliseconds timeout);
ExporterStats GetExporterStats();

}  // namespace fo::telemetry
