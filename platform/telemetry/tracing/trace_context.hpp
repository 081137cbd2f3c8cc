#pragma once
// W3C Trace Context (https://www.w3.org/TR/trace-context/): traceparent and tracestate headers.
#include <optional>
#include <string>
#include <string_view>

#include "platform/telemetry/tracing/span_context.hpp"

namespace fo::telemetry {

inline constexpr std::string_view kTraceparentHeader = "traceparent";
inline constexpr std::string_view kTracestateHeader = "tracestate";

// Returns the remote parent context, or nullopt when traceparent is absent or invalid (the caller
// then starts a new trace). An invalid tracestate is dropped without rejecting the traceparent.
// Several tracestate header lines must be joined with ',' by the caller, as HTTP allows.
std::optional<SpanContext> ParseTraceparent(std::string_view traceparent,
                                            std::string_view tracestate = {});
// Always version 00: "00-<trace-id>-<span-id>-<flags>". Inject only valid contexts (IsValid()),
// and send context.trace_state as the tracestate header when it is not empty.
std::string FormatTraceparent(const SpanContext& context);
// Validates a tracestate value and normalises it (no OWS, no empty members), truncated to the
// spec's 512 characters; returns "" when the value is invalid.
std::string NormalizeTracestate(std::string_view tracestate);

}  // namespace fo::telemetry
