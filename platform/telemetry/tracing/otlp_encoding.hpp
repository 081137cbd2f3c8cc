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

// Spans are encoded one at a time, by the thread that ends them while their memory is still in
// its cache, and the batch's request is wrapped around the concatenated encodings later. Strings
// that are not valid UTF-8 are repaired (U+FFFD): protobuf's own decoders reject the whole request
// over one, and Jaeger shows it as base64.
//
// A request is sent as three parts: `head`, the spans from where the batch holds them, and
// `tail`, so a batch is never copied into a buffer of its own.
struct OtlpRequestFrame {
  std::string head;
  std::string_view spans;  // the batch's bytes, less what the encoding leaves out
  std::string tail;

  std::string Joined() const;  // the whole request in one buffer (tests, benchmarks)
};

// Binary protobuf: appends the span as a ScopeSpans.spans field (tag, length, Span message).
void AppendOtlpProtobufSpan(const SpanData& span, std::string& out);
// Sets `frame` to the ExportTraceServiceRequest holding `spans`, a concatenation of
// AppendOtlpProtobufSpan outputs; `resource` holds the resource's string attributes.
void FrameOtlpProtobufRequest(const KeyValues& resource, std::string_view spans,
                              OtlpRequestFrame& frame);
// The JSON mapping: appends the span's object and a comma.
void AppendOtlpJsonSpan(const SpanData& span, std::string& out);
// Sets `frame` to the request holding `spans`, a concatenation of AppendOtlpJsonSpan outputs.
void FrameOtlpJsonRequest(const KeyValues& resource, std::string_view spans,
                          OtlpRequestFrame& frame);

// One protocol's pair of the above, with the resource every span is reported under.
class OtlpEncoder {
 public:
  OtlpEncoder(OtlpProtocol protocol, KeyValues resource)
      : protocol_(protocol), resource_(std::move(resource)) {}

  // Thread-safe: called by every thread that ends a span.
  void AppendSpan(const SpanData& span, std::string& out) const;
  void FrameRequest(std::string_view spans, OtlpRequestFrame& frame) const;
  std::string_view ContentType() const;

 private:
  OtlpProtocol protocol_;
  KeyValues resource_;
};

// A whole batch in one call, through the functions above (for tests).
std::string EncodeOtlpJson(const KeyValues& resource,
                           std::span<const std::unique_ptr<SpanData>> spans);
void EncodeOtlpProtobuf(const KeyValues& resource, std::span<const std::unique_ptr<SpanData>> spans,
                        std::string& out);

}  // namespace fo::telemetry
