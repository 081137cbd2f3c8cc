#include "platform/telemetry/tracing/otlp_encoding.hpp"

namespace fo::telemetry {

void OtlpEncoder::AppendSpan(const SpanData& span, std::string& out) const {
  if (protocol_ == OtlpProtocol::kHttpJson) {
    AppendOtlpJsonSpan(span, out);
  } else {
    AppendOtlpProtobufSpan(span, out);
  }
}

void OtlpEncoder::EncodeRequest(std::string_view spans, std::string& out) const {
  if (protocol_ == OtlpProtocol::kHttpJson) {
    EncodeOtlpJsonRequest(resource_, spans, out);
  } else {
    EncodeOtlpProtobufRequest(resource_, spans, out);
  }
}

std::string_view OtlpEncoder::ContentType() const {
  return protocol_ == OtlpProtocol::kHttpJson ? "application/json" : "application/x-protobuf";
}

}  // namespace fo::telemetry
