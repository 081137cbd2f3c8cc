#pragma once
// Tracing settings from the standard OTEL_* environment variables. Malformed values fall back to
// the spec's defaults and leave a warning (the SDK must not stop a service over telemetry).
#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "platform/telemetry/tracing/sampler.hpp"

namespace fo::telemetry {

using KeyValues = std::vector<std::pair<std::string, std::string>>;
// Returns a variable's value; unset and empty are both nullopt (the OTel spec treats them alike).
using EnvLookup = std::function<std::optional<std::string>(const char* name)>;

// OTEL_EXPORTER_OTLP_PROTOCOL: the spec's default is http/protobuf.
enum class OtlpProtocol { kHttpProtobuf, kHttpJson };

struct TracingConfig {
  bool enabled = true;            // OTEL_SDK_DISABLED=true turns every span into a no-op
  bool export_enabled = true;     // OTEL_TRACES_EXPORTER=none: ids and sampling, no export
  std::string service_name;       // OTEL_SERVICE_NAME, else service.name from the attributes
  KeyValues resource_attributes;  // OTEL_RESOURCE_ATTRIBUTES without service.name
  SamplerConfig sampler;          // OTEL_TRACES_SAMPLER + OTEL_TRACES_SAMPLER_ARG
  std::string endpoint = "http://localhost:4318/v1/traces";  // full URL of the OTLP/HTTP endpoint
  OtlpProtocol protocol = OtlpProtocol::kHttpProtobuf;       // OTEL_EXPORTER_OTLP[_TRACES]_PROTOCOL
  KeyValues headers;  // OTEL_EXPORTER_OTLP_HEADERS merged with OTEL_EXPORTER_OTLP_TRACES_HEADERS
  std::chrono::milliseconds request_timeout{10000};  // OTEL_EXPORTER_OTLP[_TRACES]_TIMEOUT
  std::chrono::milliseconds schedule_delay{5000};    // OTEL_BSP_SCHEDULE_DELAY
  std::size_t max_queue_size = 2048;                 // OTEL_BSP_MAX_QUEUE_SIZE
  std::size_t max_export_batch_size = 512;           // OTEL_BSP_MAX_EXPORT_BATCH_SIZE
  std::chrono::milliseconds export_timeout{30000};   // OTEL_BSP_EXPORT_TIMEOUT
  std::vector<std::string> warnings;                 // one line per ignored or malformed setting

  // `fallback_service_name` replaces the spec's "unknown_service:<executable>" default.
  static TracingConfig FromEnv(std::string_view fallback_service_name = {});
  static TracingConfig FromLookup(const EnvLookup& lookup,
                                  std::string_view fallback_service_name = {});
};

}  // namespace fo::telemetry
