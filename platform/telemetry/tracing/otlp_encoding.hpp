#pragma once
// Encodes spans as an OTLP ExportTraceServiceRequest in the OTLP/HTTP JSON mapping (ids as hex,
// 64-bit integers as decimal strings, enums as integers).
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

}  // namespace fo::telemetry
