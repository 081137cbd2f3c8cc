#include "platform/telemetry/tracing/otlp_exporter.hpp"

#include <algorithm>

#include "platform/telemetry/tracing/internal_log.hpp"
#include "platform/telemetry/tracing/text.hpp"

namespace fo::telemetry {

KeyValues BuildResource(const TracingConfig& config) {
  KeyValues resource = {{"telemetry.sdk.language", "cpp"},
                        {"telemetry.sdk.name", std::string(kInstrumentationScope)}};
  for (const auto& [key, value] : config.resource_attributes) detail::Upsert(resource, key, value);
  detail::Upsert(resource, "service.name",
                 config.service_name.empty() ? "unknown_service" : config.service_name);
  return resource;
}

OtlpHttpExporter::OtlpHttpExporter(const TracingConfig& config, HttpUrl url)
    : encoder_(config.protocol, BuildResource(config)),
      // Capped so adding it to now() cannot overflow.
      request_timeout_(std::clamp(config.request_timeout, std::chrono::milliseconds(1),
                                  std::chrono::milliseconds(std::chrono::hours(24)))),
      client_(std::move(url), config.headers) {}

bool OtlpHttpExporter::Export(std::string_view spans, std::size_t /*count*/,
                              std::chrono::steady_clock::time_point deadline) {
  encoder_.FrameRequest(spans, frame_);
  const HttpClient::BodyParts body{frame_.head, frame_.spans, frame_.tail};
  HttpResult result;
  // At most one retry: a keep-alive connection closed by the collector fails the first write, and
  // a collector that is down should not pile up work on this thread.
  for (int attempt = 0; attempt < 2; ++attempt) {
    const auto attempt_deadline =
        std::min(deadline, std::chrono::steady_clock::now() + request_timeout_);
    result = client_.Post(encoder_.ContentType(), body, attempt_deadline);
    if (result.ok || !result.retryable || std::chrono::steady_clock::now() >= deadline) break;
  }
  if (!result.ok && !failing_) {
    ReportTracingError("span export failed, dropping batches until it recovers: " + result.error);
  } else if (result.ok && failing_) {
    ReportTracingError("span export recovered");
  }
  failing_ = !result.ok;
  return result.ok;
}

}  // namespace fo::telemetry
