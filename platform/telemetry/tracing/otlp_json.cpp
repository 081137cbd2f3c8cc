#include <boost/json.hpp>
#include <cmath>
#include <variant>

#include "platform/telemetry/tracing/hex.hpp"
#include "platform/telemetry/tracing/otlp_encoding.hpp"
#include "platform/telemetry/tracing/text.hpp"

namespace fo::telemetry {
namespace {

namespace json = boost::json;

// OTLP strings are UTF-8: a strict decoder rejects the whole request over one that is not.
json::string Utf8(std::string_view text) {
  if (detail::IsValidUtf8(text)) return json::string(text);
  return json::string(detail::ReplaceInvalidUtf8(text));
}

json::value DoubleValue(double value) {
  // The protobuf JSON mapping spells non-finite doubles as strings.
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  return value;
}

json::object AnyValue(const AttributeValue& value) {
  json::object out;
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) {
          out["stringValue"] = Utf8(v);
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          out["intValue"] = std::to_string(v);
        } else if constexpr (std::is_same_v<T, double>) {
          out["doubleValue"] = DoubleValue(v);
        } else {
          out["boolValue"] = v;
        }
      },
      value);
  return out;
}

json::array EncodeAttributes(std::span<const Attribute> attributes) {
  json::array out;
  out.reserve(attributes.size());
  for (const auto& [key, value] : attributes) {
    out.push_back(json::object{{"key", Utf8(key)}, {"value", AnyValue(value)}});
  }
  return out;
}

json::object EncodeSpan(const SpanData& span) {
  json::object out;
  out["traceId"] = span.context.TraceIdHex();
  out["spanId"] = span.context.SpanIdHex();
  if (!span.context.trace_state.empty()) out["traceState"] = Utf8(span.context.trace_state);
  const bool has_parent = !detail::AllZero(span.parent_span_id);
  if (has_parent) out["parentSpanId"] = detail::ToHex(span.parent_span_id);
  out["flags"] = OtlpSpanFlags(span, has_parent);
  out["name"] = Utf8(span.name);
  out["kind"] = OtlpSpanKind(span.kind);
  out["startTimeUnixNano"] = std::to_string(span.start_unix_nano);
  out["endTimeUnixNano"] = std::to_string(span.end_unix_nano);
  out["attributes"] = EncodeAttributes(span.attributes);
  if (span.dropped_attributes != 0) out["droppedAttributesCount"] = span.dropped_attributes;
  if (!span.events.empty()) {
    json::array events;
    for (const SpanEvent& event : span.events) {
      events.push_back(json::object{{"timeUnixNano", std::to_string(event.time_unix_nano)},
                                    {"name", Utf8(event.name)},
                                    {"attributes", EncodeAttributes(event.attributes)}});
    }
    out["events"] = std::move(events);
  }
  if (span.dropped_events != 0) out["droppedEventsCount"] = span.dropped_events;
  json::object status{{"code", static_cast<int>(span.status)}};  // UNSET 0, OK 1, ERROR 2
  if (!span.status_message.empty()) status["message"] = Utf8(span.status_message);
  out["status"] = std::move(status);
  return out;
}

}  // namespace

void AppendOtlpJsonSpan(const SpanData& span, std::string& out) {
  out.append(json::serialize(EncodeSpan(span)));
  out.push_back(',');
}

void FrameOtlpJsonRequest(const KeyValues& resource, std::string_view spans,
                          OtlpRequestFrame& frame) {
  json::array resource_attributes;
  for (const auto& [key, value] : resource) {
    resource_attributes.push_back(
        json::object{{"key", Utf8(key)}, {"value", json::object{{"stringValue", Utf8(value)}}}});
  }
  if (!spans.empty()) spans.remove_suffix(1);  // the last span's comma
  std::string& head = frame.head;
  head.clear();
  head.append(R"({"resourceSpans":[{"resource":{"attributes":)");
  head.append(json::serialize(resource_attributes));
  head.append(R"(},"scopeSpans":[{"scope":{"name":)");
  head.append(json::serialize(json::string(kInstrumentationScope)));
  head.append(R"(},"spans":[)");
  frame.spans = spans;
  frame.tail = "]}]}]}";
}

std::string EncodeOtlpJson(const KeyValues& resource,
                           std::span<const std::unique_ptr<SpanData>> spans) {
  std::string encoded;
  for (const auto& span : spans) AppendOtlpJsonSpan(*span, encoded);
  OtlpRequestFrame frame;
  FrameOtlpJsonRequest(resource, encoded, frame);
  return frame.Joined();
}

}  // namespace fo::telemetry
