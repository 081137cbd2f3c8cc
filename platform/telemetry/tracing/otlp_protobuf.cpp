// OTLP in binary protobuf, written straight from SpanData into one buffer: no generated code, no
// intermediate objects. A span's attributes come encoded already (AttributeList). Field numbers are
// those of opentelemetry/proto (collector/trace/v1, trace/v1, common/v1, resource/v1); a test
// decodes the output with the published protos.
#include <span>
#include <string>
#include <variant>

#include "platform/telemetry/tracing/hex.hpp"
#include "platform/telemetry/tracing/key_value_encoding.hpp"
#include "platform/telemetry/tracing/otlp_encoding.hpp"
#include "platform/telemetry/tracing/proto_writer.hpp"
#include "platform/telemetry/tracing/text.hpp"

namespace fo::telemetry {
namespace {

using detail::LenFieldSize;
using detail::ProtoWriter;

namespace field {
constexpr std::uint32_t kRequestResourceSpans = 1;  // ExportTraceServiceRequest
constexpr std::uint32_t kResourceSpansResource = 1;
constexpr std::uint32_t kResourceSpansScopeSpans = 2;
constexpr std::uint32_t kResourceAttributes = 1;
constexpr std::uint32_t kScopeSpansScope = 1;
constexpr std::uint32_t kScopeSpansSpans = 2;
constexpr std::uint32_t kScopeName = 1;  // InstrumentationScope
constexpr std::uint32_t kSpanTraceId = 1;
constexpr std::uint32_t kSpanSpanId = 2;
constexpr std::uint32_t kSpanTraceState = 3;
constexpr std::uint32_t kSpanParentSpanId = 4;
constexpr std::uint32_t kSpanName = 5;
constexpr std::uint32_t kSpanKind = 6;
constexpr std::uint32_t kSpanStartTime = 7;
constexpr std::uint32_t kSpanEndTime = 8;
constexpr std::uint32_t kSpanDroppedAttributes = 10;
constexpr std::uint32_t kSpanEvents = 11;
constexpr std::uint32_t kSpanDroppedEvents = 12;
constexpr std::uint32_t kSpanStatus = 15;
constexpr std::uint32_t kSpanFlags = 16;
constexpr std::uint32_t kEventTime = 1;
constexpr std::uint32_t kEventName = 2;
constexpr std::uint32_t kEventAttributes = 3;
constexpr std::uint32_t kStatusMessage = 2;
constexpr std::uint32_t kStatusCode = 3;
}  // namespace field

// `ascii`: the caller already knows `text` is ASCII (OwnStringsAreAscii), so it needs no check.
void WriteString(ProtoWriter& writer, std::uint32_t number, std::string_view text, bool ascii) {
  if (ascii) {
    writer.Bytes(number, text);
    return;
  }
  std::string scratch;
  writer.Bytes(number, detail::AsValidUtf8(text, scratch));
}

// A KeyValue from any key and value: invalid UTF-8 is repaired first. (A span's own attributes
// were encoded when they were set: see AttributeList.)
template <std::uint32_t kNumber>
void WriteKeyValue(ProtoWriter& writer, std::string_view key, const AttributeValue& value) {
  std::string key_scratch;
  std::string text_scratch;
  key = detail::AsValidUtf8(key, key_scratch);
  detail::AttributeValueRef ref = RefOf(value);
  if (auto* text = std::get_if<std::string_view>(&ref))
    *text = detail::AsValidUtf8(*text, text_scratch);
  const detail::KeyValueSizes sizes = detail::SizesOf(key, ref);
  char* at = writer.Claim(LenFieldSize(kNumber, sizes.body));  // exact: one claim
  writer.Commit(detail::PutKeyValue<kNumber>(at, key, ref, sizes));
}

// Whether the span's own strings (name, trace state, status message) are all ASCII, hence valid
// UTF-8: almost always, and then they are written without checking each one. (Its attributes were
// made valid UTF-8 when they were set; its events' strings are always checked.)
bool OwnStringsAreAscii(const SpanData& span) {
  return (detail::NonAsciiBits(span.name) | detail::NonAsciiBits(span.context.trace_state) |
          detail::NonAsciiBits(span.status_message)) == 0;
}

// Enough room for a span without events, so writing it claims room once.
std::size_t EstimatedSize(const SpanData& span) {
  constexpr std::size_t kFixedFields = 96;  // ids, kind, times, flags, status, the lengths
  return kFixedFields + span.name.size() + span.context.trace_state.size() +
         span.status_message.size() + span.attributes.Encoded().size();
}

}  // namespace

void AppendOtlpProtobufSpan(const SpanData& span, std::string& out) {
  ProtoWriter writer(out);
  writer.Reserve(EstimatedSize(span));
  const bool ascii = OwnStringsAreAscii(span);
  const std::size_t body = writer.Begin(field::kScopeSpansSpans);
  writer.Bytes(field::kSpanTraceId, span.context.trace_id);
  writer.Bytes(field::kSpanSpanId, span.context.span_id);
  if (!span.context.trace_state.empty()) {
    WriteString(writer, field::kSpanTraceState, span.context.trace_state, ascii);
  }
  const bool has_parent = !detail::AllZero(span.parent_span_id);
  if (has_parent) writer.Bytes(field::kSpanParentSpanId, span.parent_span_id);
  WriteString(writer, field::kSpanName, span.name, ascii);
  writer.Varint(field::kSpanKind, static_cast<std::uint64_t>(OtlpSpanKind(span.kind)));
  writer.Fixed64(field::kSpanStartTime, span.start_unix_nano);
  writer.Fixed64(field::kSpanEndTime, span.end_unix_nano);
  writer.Raw(span.attributes.Encoded());  // Span.attributes fields, encoded as they were set
  if (span.dropped_attributes != 0) {
    writer.Varint(field::kSpanDroppedAttributes, span.dropped_attributes);
  }
  for (const SpanEvent& event : span.events) {
    const std::size_t event_body = writer.Begin(field::kSpanEvents);
    writer.Fixed64(field::kEventTime, event.time_unix_nano);
    WriteString(writer, field::kEventName, event.name, /*ascii=*/false);
    for (const auto& [key, value] : event.attributes) {
      WriteKeyValue<field::kEventAttributes>(writer, key, value);
    }
    writer.End(event_body);
  }
  if (span.dropped_events != 0) writer.Varint(field::kSpanDroppedEvents, span.dropped_events);
  if (span.status != StatusCode::kUnset) {
    const std::size_t status_body = writer.Begin(field::kSpanStatus);
    if (!span.status_message.empty()) {
      WriteString(writer, field::kStatusMessage, span.status_message, ascii);
    }
    writer.Varint(field::kStatusCode, static_cast<std::uint64_t>(span.status));  // OK 1, ERROR 2
    writer.End(status_body);
  }
  writer.Fixed32(field::kSpanFlags, OtlpSpanFlags(span, has_parent));
  writer.End(body);
}

void FrameOtlpProtobufRequest(const KeyValues& resource, std::string_view spans,
                              OtlpRequestFrame& frame) {
  // The two small fields first, so every length is known before the head is written. The spans
  // are the last field of the innermost message, so nothing follows them: no tail.
  std::string resource_field;
  ProtoWriter resource_writer(resource_field);
  const std::size_t resource_body = resource_writer.Begin(field::kResourceSpansResource);
  for (const auto& [key, value] : resource) {
    WriteKeyValue<field::kResourceAttributes>(resource_writer, key, AttributeValue(value));
  }
  resource_writer.End(resource_body);
  resource_writer.Finish();
  std::string scope_field;
  ProtoWriter scope_writer(scope_field);
  const std::size_t scope_body = scope_writer.Begin(field::kScopeSpansScope);
  scope_writer.Bytes(field::kScopeName, kInstrumentationScope);
  scope_writer.End(scope_body);
  scope_writer.Finish();

  const std::size_t scope_spans_size = scope_field.size() + spans.size();
  const std::size_t resource_spans_size =
      resource_field.size() + LenFieldSize(field::kResourceSpansScopeSpans, scope_spans_size);
  std::string& head = frame.head;
  head.clear();
  ProtoWriter writer(head);
  writer.Header(field::kRequestResourceSpans, resource_spans_size);
  writer.Raw(resource_field);
  writer.Header(field::kResourceSpansScopeSpans, scope_spans_size);
  writer.Raw(scope_field);
  frame.spans = spans;
  frame.tail.clear();
}

void EncodeOtlpProtobuf(const KeyValues& resource, std::span<const std::unique_ptr<SpanData>> spans,
                        std::string& out) {
  std::string encoded;
  for (const auto& span : spans) AppendOtlpProtobufSpan(*span, encoded);
  OtlpRequestFrame frame;
  FrameOtlpProtobufRequest(resource, encoded, frame);
  out = frame.Joined();
}

}  // namespace fo::telemetry
