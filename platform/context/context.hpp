#pragma once
// What travels with one unit of work across layers: its trace context and its deadline. Passed
// explicitly (coroutines hop threads, so thread-locals cannot carry it).
#include <chrono>

#include "platform/telemetry/tracing/span_context.hpp"

namespace fo {

struct Context {
  telemetry::SpanContext span;  // the parent for spans started on behalf of this work
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();

  bool Expired() const { return std::chrono::steady_clock::now() >= deadline; }
  Context WithSpan(const telemetry::SpanContext& child) const { return {child, deadline}; }
};

}  // namespace fo
