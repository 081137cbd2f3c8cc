#pragma once
// fo::Error kinds <-> gRPC status codes, in one place for servers and clients.
#include <grpcpp/support/status.h>

#include <exception>

#include "platform/errors/error.hpp"

namespace fo::rpc {

::grpc::StatusCode CodeOf(ErrorKind kind);
// The status to answer with for a caught exception; unexpected ones hide their text.
::grpc::Status StatusFromException(std::exception_ptr error, bool& internal);
// The error a client raises for a failed call.
Error ErrorFromStatus(const ::grpc::Status& status, std::string_view method);

}  // namespace fo::rpc
