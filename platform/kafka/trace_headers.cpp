#include "platform/kafka/trace_headers.hpp"

#include <algorithm>

#include "platform/telemetry/tracing/trace_context.hpp"

namespace fo::kafka::detail {

std::optional<telemetry::SpanContext> ExtractTraceContext(const Headers& headers) {
  const auto traceparent = FindHeader(headers, telemetry::kTraceparentHeader);
  if (!traceparent) return std::nullopt;
  return telemetry::ParseTraceparent(
      *traceparent, FindHeader(headers, telemetry::kTracestateHeader).value_or(""));
}

void InjectTraceContext(Headers& headers, const telemetry::SpanContext& context) {
  if (!context.IsValid()) return;
  ReplaceHeader(headers, telemetry::kTraceparentHeader, telemetry::FormatTraceparent(context));
  if (context.trace_state.empty()) {
    RemoveHeader(headers, telemetry::kTracestateHeader);
  } else {
    ReplaceHeader(headers, telemetry::kTracestateHeader, context.trace_state);
  }
}

void RemoveHeader(Headers& headers, std::string_view key) {
  std::erase_if(headers, [key](const Header& header) { return header.key == key; });
}

void ReplaceHeader(Headers& headers, std::string_view key, std::string value) {
  RemoveHeader(headers, key);
  headers.push_back(Header{std::string(key), std::move(value)});
}

}  // namespace fo::kafka::detail
