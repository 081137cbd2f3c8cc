#pragma once
// What a recording span collects, and the interface that receives it when the span ends.
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "platform/telemetry/tracing/attribute_list.hpp"
#include "platform/telemetry/tracing/span_context.hpp"

namespace fo::telemetry {

enum class SpanKind { kInternal, kServer, kClient, kProducer, kConsumer };
enum class StatusCode { kUnset, kOk, kError };

// OTel's default span limit (OTEL_SPAN_EVENT_COUNT_LIMIT), like kMaxSpanAttributes.
inline constexpr std::size_t kMaxSpanEvents = 128;

struct SpanEvent {
  std::string name;
  std::uint64_t time_unix_nano = 0;
  Attributes attributes;
};

struct SpanData {
  SpanContext context;
  std::array<std::uint8_t, 8> parent_span_id{};  // all-zero for a root span
  bool parent_remote = false;
  std::string name;
  SpanKind kind = SpanKind::kInternal;
  std::uint64_t start_unix_nano = 0;
  std::uint64_t end_unix_nano = 0;
  AttributeList attributes;
  std::uint32_t dropped_attributes = 0;
  std::vector<SpanEvent> events;
  std::uint32_t dropped_events = 0;
  StatusCode status = StatusCode::kUnset;
  std::string status_message;  // only kept with StatusCode::kError
};

// Empties `span` for another use but keeps what its strings and vectors hold.
void ResetForReuse(SpanData& span);

// Receives every ended, sampled span. Must be thread-safe and must not block the caller.
class SpanProcessor {
 public:
  virtual ~SpanProcessor() = default;
  // A blank SpanData for a new recording span; a processor may hand out recycled ones.
  virtual std::unique_ptr<SpanData> NewSpanData() { return std::make_unique<SpanData>(); }
  virtual void OnEnd(std::unique_ptr<SpanData> span) = 0;
};

}  // namespace fo::telemetry
