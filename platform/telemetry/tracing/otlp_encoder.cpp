#include "platform/telemetry/tracing/otlp_encoding.hpp"

namespace fo::telemetry {

void OtlpEncoder::AppendSpan(const SpanData& span, std::string& out) const {
  if (protocol_ == OtlpProtocol::kHttpJson) {
    AppendOtlpJsonSpan(span, out);
  } else {
    AppendOtlpProtobufSpan(span, out);
  }
}

std::string OtlpRequestFrame::Joined() const {
  std::string out;
  out.reserve(head.size() + spans.size() + tail.size());
  out.append(head).append(spans).append(tail);
  return out;
}

void OtlpEncoder::FrameRequest(std::string_view spans, OtlpRequestFrame& frame) const {
  if (protocol_ == OtlpProtocol::kHttpJson) {
    FrameOtlpJsonRequest(resource_, spans, frame);
  } else {
    FrameOtlpProtobufRequest(resource_, spans, frame);
  }
}

std::string_view OtlpEncoder::ContentType() const {
  return protocol_ == OtlpProtocol::kHttpJson ? "application/json" : "application/x-protobuf";
}

}  // namespace fo::telemetry
