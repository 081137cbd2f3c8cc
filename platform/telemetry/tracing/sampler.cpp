#include "platform/telemetry/tracing/sampler.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace fo::telemetry {
namespace {

constexpr double kTwoPow63 = 9223372036854775808.0;

bool IsParentBased(SamplerKind kind) {
  return kind == SamplerKind::kParentBasedAlwaysOn || kind == SamplerKind::kParentBasedAlwaysOff ||
         kind == SamplerKind::kParentBasedTraceIdRatio;
}

}  // namespace

Sampler::Sampler(SamplerConfig config) : config_(config) {
  config_.ratio = std::isnan(config_.ratio) ? 1.0 : std::clamp(config_.ratio, 0.0, 1.0);
  // Like the Java SDK: bound = ratio * 2^63 over the trace id's lower 8 bytes (its random part in
  // W3C level 2). ratio 1 must sample everything, so it gets a bound above every 63-bit value.
  ratio_bound_ =
      config_.ratio >= 1.0 ? UINT64_MAX : static_cast<std::uint64_t>(config_.ratio * kTwoPow63);
}

bool Sampler::RootDecision(const std::array<std::uint8_t, 16>& trace_id) const {
  switch (config_.kind) {
    case SamplerKind::kAlwaysOn:
    case SamplerKind::kParentBasedAlwaysOn:
      return true;
    case SamplerKind::kAlwaysOff:
    case SamplerKind::kParentBasedAlwaysOff:
      return false;
    case SamplerKind::kTraceIdRatio:
    case SamplerKind::kParentBasedTraceIdRatio:
      break;
  }
  std::uint64_t low = 0;
  for (std::size_t i = 8; i < 16; ++i) low = low << 8 | trace_id[i];  // big-endian, as on the wire
  return (low & 0x7fffffffffffffffULL) < ratio_bound_;
}

bool Sampler::ShouldSample(const SpanContext* parent,
                           const std::array<std::uint8_t, 16>& trace_id) const {
  if (IsParentBased(config_.kind) && parent != nullptr && parent->IsValid()) {
    return parent->Sampled();
  }
  return RootDecision(trace_id);
}

std::string Sampler::Description() const {
  std::ostringstream root;
  switch (config_.kind) {
    case SamplerKind::kAlwaysOn:
    case SamplerKind::kParentBasedAlwaysOn:
      root << "AlwaysOnSampler";
      break;
    case SamplerKind::kAlwaysOff:
    case SamplerKind::kParentBasedAlwaysOff:
      root << "AlwaysOffSampler";
      break;
    case SamplerKind::kTraceIdRatio:
    case SamplerKind::kParentBasedTraceIdRatio:
      root << "TraceIdRatioBased{" << config_.ratio << "}";
      break;
  }
  return IsParentBased(config_.kind) ? "ParentBased{root:" + root.str() + "}" : root.str();
}

}  // namespace fo::telemetry
