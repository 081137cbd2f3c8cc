#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <type_traits>
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

// A span is written straight as JSON text, like the protobuf encoding: building boost::json
// objects first cost about 5 us per read request (two spans), nine times the protobuf encoding.

// A JSON string: invalid UTF-8 repaired, '"', '\\' and control characters escaped.
void AppendString(std::string& out, std::string_view raw) {
  std::string repaired;
  const std::string_view text =
      detail::IsValidUtf8(raw) ? raw : std::string_view(repaired = detail::ReplaceInvalidUtf8(raw));
  out += '"';
  std::size_t plain_from = 0;  // the start of the run of bytes copied as they are
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.substr(plain_from, i - plain_from));
    plain_from = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        static constexpr char kDigits[] = "0123456789abcdef";
        const char escape[] = {'\\', 'u', '0', '0', kDigits[c >> 4], kDigits[c & 0x0f]};
        out.append(escape, sizeof escape);
      }
    }
  }
  out.append(text.substr(plain_from));
  out += '"';
}

template <typename Integer>
void AppendNumber(std::string& out, Integer value) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
}

// 64-bit integers are strings in the protobuf JSON mapping (JavaScript loses precision past 2^53).
template <typename Integer>
void AppendQuotedNumber(std::string& out, Integer value) {
  out += '"';
  AppendNumber(out, value);
  out += '"';
}

// The shortest text that reads back as the same double; the mapping spells non-finite ones as
// strings.
void AppendDouble(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "\"NaN\"";
  } else if (std::isinf(value)) {
    out += value > 0 ? "\"Infinity\"" : "\"-Infinity\"";
  } else {
    char digits[32];
    const std::string_view text(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
    out.append(text);
    // "2" would read back as an integer, and "-0" as 0: a fraction keeps it a double.
    if (text.find_first_of(".e") == std::string_view::npos) out += ".0";
  }
}

// One {"key":..,"value":{..}} object; `value` is an AttributeValue or an AttributeValueRef.
template <typename Value>
void AppendAttribute(std::string& out, std::string_view key, const Value& value) {
  out += "{\"key\":";
  AppendString(out, key);
  out += ",\"value\":{";
  std::visit(
      [&out](const auto& member) {
        using Member = std::decay_t<decltype(member)>;
        if constexpr (std::is_same_v<Member, std::int64_t>) {
          out += "\"intValue\":";
          AppendQuotedNumber(out, member);
        } else if constexpr (std::is_same_v<Member, double>) {
          out += "\"doubleValue\":";
          AppendDouble(out, member);
        } else if constexpr (std::is_same_v<Member, bool>) {
          out += member ? "\"boolValue\":true" : "\"boolValue\":false";
        } else {  // std::string or std::string_view
          out += "\"stringValue\":";
          AppendString(out, member);
        }
      },
      value);
  out += "}}";
}

void AppendAttributes(std::string& out, std::span<const Attribute> attributes) {
  out += '[';
  for (const auto& [key, value] : attributes) {
    if (out.back() != '[') out += ',';
    AppendAttribute(out, key, value);
  }
  out += ']';
}

void AppendAttributes(std::string& out, const AttributeList& attributes) {
  out += '[';
  for (std::size_t i = 0; i < attributes.size(); ++i) {
    if (i != 0) out += ',';
    const AttributeRef attribute = attributes.Ref(i);
    AppendAttribute(out, attribute.key, attribute.value);
  }
  out += ']';
}

void AppendHexField(std::string& out, std::string_view name, std::span<const std::uint8_t> id) {
  out += name;
  out += '"';
  detail::AppendHex(out, id);
  out += '"';
}

}  // namespace

void AppendOtlpJsonSpan(const SpanData& span, std::string& out) {
  AppendHexField(out, "{\"traceId\":", span.context.trace_id);
  AppendHexField(out, ",\"spanId\":", span.context.span_id);
  if (!span.context.trace_state.empty()) {
    out += ",\"traceState\":";
    AppendString(out, span.context.trace_state);
  }
  const bool has_parent = !detail::AllZero(span.parent_span_id);
  if (has_parent) AppendHexField(out, ",\"parentSpanId\":", span.parent_span_id);
  out += ",\"flags\":";
  AppendNumber(out, OtlpSpanFlags(span, has_parent));
  out += ",\"name\":";
  AppendString(out, span.name);
  out += ",\"kind\":";
  AppendNumber(out, OtlpSpanKind(span.kind));
  out += ",\"startTimeUnixNano\":";
  AppendQuotedNumber(out, span.start_unix_nano);
  out += ",\"endTimeUnixNano\":";
  AppendQuotedNumber(out, span.end_unix_nano);
  out += ",\"attributes\":";
  AppendAttributes(out, span.attributes);
  if (span.dropped_attributes != 0) {
    out += ",\"droppedAttributesCount\":";
    AppendNumber(out, span.dropped_attributes);
  }
  if (!span.events.empty()) {
    out += ",\"events\":[";
    for (const SpanEvent& event : span.events) {
      if (out.back() != '[') out += ',';
      out += "{\"timeUnixNano\":";
      AppendQuotedNumber(out, event.time_unix_nano);
      out += ",\"name\":";
      AppendString(out, event.name);
      out += ",\"attributes\":";
      AppendAttributes(out, event.attributes);
      out += '}';
    }
    out += ']';
  }
  if (span.dropped_events != 0) {
    out += ",\"droppedEventsCount\":";
    AppendNumber(out, span.dropped_events);
  }
  out += ",\"status\":{\"code\":";  // UNSET 0, OK 1, ERROR 2
  AppendNumber(out, static_cast<int>(span.status));
  if (!span.status_message.empty()) {
    out += ",\"message\":";
    AppendString(out, span.status_message);
  }
  out += "}},";  // the comma before the next span; the frame drops the last one
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
