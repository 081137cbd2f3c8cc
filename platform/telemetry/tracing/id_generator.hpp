#pragma once
// Random trace and span ids from a per-thread xoshiro256++ generator: no lock, no syscall per id.
#include <array>
#include <cstdint>

namespace fo::telemetry {

using TraceId = std::array<std::uint8_t, 16>;
using SpanId = std::array<std::uint8_t, 8>;

TraceId NewTraceId();  // never all-zero
SpanId NewSpanId();    // never all-zero

}  // namespace fo::telemetry
