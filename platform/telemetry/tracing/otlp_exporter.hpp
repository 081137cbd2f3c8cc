#pragma once
// Sends batches over OTLP/HTTP (protobuf or JSON) to the configured endpoint, retrying a failed
// request once.
#include <memory>
#include <string>

#include "platform/telemetry/tracing/config.hpp"
#include "platform/telemetry/tracing/exporter.hpp"
#include "platform/telemetry/tracing/http_client.hpp"
#include "platform/telemetry/tracing/otlp_encoding.hpp"

namespace fo::telemetry {

// The resource every span is reported under: telemetry.sdk.*, OTEL_RESOURCE_ATTRIBUTES and
// service.name.
KeyValues BuildResource(const TracingConfig& config);

class OtlpHttpExporter final : public SpanExporter {
 public:
  OtlpHttpExporter(const TracingConfig& config, HttpUrl url);

  void Encode(const SpanData& span, std::string& out) const override {
    encoder_.AppendSpan(span, out);
  }
  bool Export(std::string_view spans, std::size_t count,
              std::chrono::steady_clock::time_point deadline) override;
  void Cancel() override { client_.Cancel(); }

 private:
  OtlpEncoder encoder_;
  std::chrono::milliseconds request_timeout_;
  HttpClient client_;
  OtlpRequestFrame frame_;  // reused: its head and tail keep their buffers
  bool failing_ = false;    // report the first failure and the recovery, not every batch
};

}  // namespace fo::telemetry
