#include "platform/grpc/span_attributes.hpp"

#include <cstdint>
#include <string>

namespace fo::rpc {

void SetRpcAttributes(telemetry::Span& span, std::string_view method) {
  if (method.starts_with('/')) method.remove_prefix(1);
  span.SetAttribute("rpc.system", "grpc");
  const auto slash = method.rfind('/');
  if (slash == std::string_view::npos) {
    span.SetAttribute("rpc.method", method);
    return;
  }
  span.SetAttribute("rpc.service", method.substr(0, slash));
  span.SetAttribute("rpc.method", method.substr(slash + 1));
}

void SetRpcStatus(telemetry::Span& span, const ::grpc::Status& status, bool server) {
  const auto code = status.error_code();
  span.SetAttribute("rpc.grpc.status_code", static_cast<std::int64_t>(code));
  bool failed = code != ::grpc::StatusCode::OK;
  if (server) {
    switch (code) {
      case ::grpc::StatusCode::UNKNOWN:
      case ::grpc::StatusCode::DEADLINE_EXCEEDED:
      case ::grpc::StatusCode::UNIMPLEMENTED:
      case ::grpc::StatusCode::INTERNAL:
      case ::grpc::StatusCode::UNAVAILABLE:
      case ::grpc::StatusCode::DATA_LOSS:
        break;
      default:
        failed = false;
    }
  }
  if (failed) span.SetStatus(telemetry::StatusCode::kError, status.error_message());
}

}  // namespace fo::rpc
