#pragma once
// The W3C trace context of one span: what crosses process boundaries and what logs print.
#include <array>
#include <cstdint>
#include <string>

namespace fo::telemetry {

inline constexpr std::uint8_t kTraceFlagSampled = 0x01;

struct SpanContext {
  std::array<std::uint8_t, 16> trace_id{};
  std::array<std::uint8_t, 8> span_id{};
  std::uint8_t flags = 0;   // bit 0 = sampled; other bits are reserved and kept zero
  std::string trace_state;  // validated, normalised tracestate header value (may be empty)
  bool remote = false;      // true when extracted from an incoming request or message

  bool IsValid() const;  // both ids non-zero
  bool Sampled() const { return (flags & kTraceFlagSampled) != 0; }
  std::string TraceIdHex() const;  // 32 lowercase hex digits
  std::string SpanIdHex() const;   // 16 lowercase hex digits
};

}  // namespace fo::telemetry
