#pragma once
// The OTel SDK samplers named by OTEL_TRACES_SAMPLER: always_on, always_off, traceidratio and their
// parentbased_* forms.
#include <array>
#include <cstdint>
#include <string>

#include "platform/telemetry/tracing/span_context.hpp"

namespace fo::telemetry {

enum class SamplerKind {
  kAlwaysOn,
  kAlwaysOff,
  kTraceIdRatio,
  kParentBasedAlwaysOn,
  kParentBasedAlwaysOff,
  kParentBasedTraceIdRatio,
};

struct SamplerConfig {
  SamplerKind kind = SamplerKind::kParentBasedAlwaysOn;
  double ratio = 1.0;  // used by the *TraceIdRatio kinds; clamped to [0, 1]
};

class Sampler {
 public:
  explicit Sampler(SamplerConfig config = {});

  // `parent` is null (or invalid) for a root span. Parent-based kinds follow the parent's sampled
  // flag, whether the parent is remote or local, and use their root sampler otherwise.
  bool ShouldSample(const SpanContext* parent, const std::array<std::uint8_t, 16>& trace_id) const;
  std::string Description() const;  // e.g. "ParentBased{root:TraceIdRatioBased{0.25}}"

 private:
  bool RootDecision(const std::array<std::uint8_t, 16>& trace_id) const;

  SamplerConfig config_;
  std::uint64_t ratio_bound_ = 0;  // sample when the trace id's low 63 bits are below this
};

}  // namespace fo::telemetry
