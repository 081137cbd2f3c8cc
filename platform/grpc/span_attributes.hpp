#pragma once
// OpenTelemetry's RPC conventions for gRPC spans: rpc.system, rpc.service and rpc.method from
// the full method name, and which status codes make a span an error on each side.
#include <grpcpp/support/status.h>

#include <string_view>

#include "platform/telemetry/tracing/span.hpp"

namespace fo::rpc {

// `method` as gRPC names it: "package.Service/Method" (a leading '/' is allowed).
void SetRpcAttributes(telemetry::Span& span, std::string_view method);

// Sets rpc.grpc.status_code and, when the code is an error for this side, the error status: a
// client's call failed on any code but OK; a server failed only on the codes that mean its own
// fault (UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS), not the
// caller's (NOT_FOUND, INVALID_ARGUMENT, FAILED_PRECONDITION, ...).
void SetRpcStatus(telemetry::Span& span, const ::grpc::Status& status, bool server);

}  // namespace fo::rpc
