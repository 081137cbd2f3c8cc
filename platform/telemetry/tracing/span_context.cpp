#include "platform/telemetry/tracing/span_context.hpp"

#include "platform/telemetry/tracing/hex.hpp"

namespace fo::telemetry {

bool SpanContext::IsValid() const {
  return !detail::AllZero(trace_id) && !detail::AllZero(span_id);
}

std::string SpanContext::TraceIdHex() const { return detail::ToHex(trace_id); }

std::string SpanContext::SpanIdHex() const { return detail::ToHex(span_id); }

}  // namespace fo::telemetry
