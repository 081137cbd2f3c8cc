#pragma once
// Encodes spans as an OTLP ExportTraceServiceRequest, in either of OTLP/HTTP's two encodings:
// binary protobuf (the default, and the cheaper one to write and to read) or the JSON mapping
// (ids as hex, 64-bit integers as decimal strings, enums as integers).
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "platform/telemetry/tracing/config.hpp"
#include "platform/telemetry/tracing/span_data.hpp"

namespace fo::telemetry {

inline constexpr std::string_view kInstrumentationScope = "full-observability";

// Span.kind: SPAN_KIND_INTERNAL = 1 ... SPAN_KIND_CONSUMER = 5, in SpanKind's order.
inline int OtlpSpanKind(SpanKind kind) { return static_cast<int>(kind) + 1; }

// Span.flags: the W3C trace flags, SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK (we always know), and
// SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK when the parent came from another process.
inline std::uint32_t OtlpSpanFlags(const SpanData& span, bool has_parent) {
  constexpr std::uint32_t kHasIsRemote = 0x100;
  constexpr std::uint32_t kIsRemote = 0x200;
  return std::uint32_t{span.context.flags} | kHasIsRemote |
         (has_parent && span.parent_remote ? kIsRemote : 0);
}

// `resource` holds the resource's string attributes (service.name among them).
std::string EncodeOtlpJson(const KeyValues& resource,
                           std::span<const std::unique_ptr<SpanData>> spans);
// Replaces `out` with the request; reusing one buffer saves an allocation per batch. Strings that
// are not valid UTF-8 are repaired (U+FFFD): protobuf's own decoders reject the whole request over
// one, and Jaeger shows it as base64.
void EncodeOtlpProtobuf(const KeyValues& resource, std::span<const std::unique_ptr<SpanData>> spans,
                        std::string& out);

}  // namespace fo::telemetry
