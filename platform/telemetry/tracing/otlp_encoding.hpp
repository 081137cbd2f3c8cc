#pragma once
// Encodes spans as an OTLP ExportTraceServiceRequest, in either of OTLP/HTTP's two encodings:
// binary protobuf (the default, and the cheaper one to write and to read) or the JSON mapping
// (ids as hex, 64-bit integers as decimal strings, enums as integers).
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "platform/telemetry/tracing/config.hpp"
#include "platform/telemetry/tracing/span_data.hpp"

namespace fo::telemetry {

inline constexpr std::string_view kInstrumentationScope = "full-observability";

// `resource` holds the resource's string attributes (service.name among them).
std::string EncodeOtlpJson(const KeyValues& resource,
                           std::span<const std::unique_ptr<SpanData>> spans);
// Replaces `out` with the request; reusing one buffer saves an allocation per batch. Strings that
// are not valid UTF-8 are repaired (U+FFFD): protobuf's own decoders reject the whole request over
// one, and Jaeger shows it as base64.
void EncodeOtlpProtobuf(const KeyValues& resource, std::span<const std::unique_ptr<SpanData>> spans,
                        std::string& out);

}  // namespace fo::telemetry
