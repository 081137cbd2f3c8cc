#pragma once
// W3C trace context in Kafka record headers (`traceparent`, `tracestate`).
#include <optional>
#include <string>
#include <string_view>

#include "platform/kafka/record.hpp"
#include "platform/telemetry/tracing/span_context.hpp"

namespace fo::kafka::detail {

// The remote context a record carries, if its traceparent header is present and valid.
std::optional<telemetry::SpanContext> ExtractTraceContext(const Headers& headers);
// Replaces the record's trace context headers with `context` (no-op for an invalid context,
// which leaves any existing headers untouched).
void InjectTraceContext(Headers& headers, const telemetry::SpanContext& context);

void RemoveHeader(Headers& headers, std::string_view key);
// Removes every header named `key`, then appends one with `value`.
void ReplaceHeader(Headers& headers, std::string_view key, std::string value);

}  // namespace fo::kafka::detail
