#include "platform/grpc/status.hpp"

#include <string>

namespace fo::rpc {

::grpc::StatusCode CodeOf(ErrorKind kind) {
  using ::grpc::StatusCode;
  switch (kind) {
    case ErrorKind::kInvalidArgument:
      return StatusCode::INVALID_ARGUMENT;
    case ErrorKind::kUnauthenticated:
      return StatusCode::UNAUTHENTICATED;
    case ErrorKind::kPermissionDenied:
      return StatusCode::PERMISSION_DENIED;
    case ErrorKind::kNotFound:
      return StatusCode::NOT_FOUND;
    case ErrorKind::kConflict:
      return StatusCode::ALREADY_EXISTS;
    case ErrorKind::kPrecondition:
    case ErrorKind::kPreconditionRequired:
    case ErrorKind::kUnprocessable:
      return StatusCode::FAILED_PRECONDITION;
    case ErrorKind::kOverloaded:
      return StatusCode::RESOURCE_EXHAUSTED;
    case ErrorKind::kUnavailable:
      return StatusCode::UNAVAILABLE;
    case ErrorKind::kDeadlineExceeded:
      return StatusCode::DEADLINE_EXCEEDED;
  }
  return StatusCode::INTERNAL;
}

::grpc::Status StatusFromException(std::exception_ptr error, bool& internal) {
  internal = false;
  try {
    std::rethrow_exception(error);
  } catch (const Error& e) {
    return {CodeOf(e.kind()), e.what()};
  } catch (...) {
    internal = true;
    return {::grpc::StatusCode::INTERNAL, "internal error"};
  }
}

Error ErrorFromStatus(const ::grpc::Status& status, std::string_view method) {
  using ::grpc::StatusCode;
  std::string message = std::string(method) + ": " + status.error_message();
  switch (status.error_code()) {
    case StatusCode::INVALID_ARGUMENT:
      return {ErrorKind::kInvalidArgument, message};
    case StatusCode::UNAUTHENTICATED:
      return {ErrorKind::kUnauthenticated, message};
    case StatusCode::PERMISSION_DENIED:
      return {ErrorKind::kPermissionDenied, message};
    case StatusCode::NOT_FOUND:
      return {ErrorKind::kNotFound, message};
    case StatusCode::ALREADY_EXISTS:
    case StatusCode::ABORTED:
      return {ErrorKind::kConflict, message};
    case StatusCode::FAILED_PRECONDITION:
      return {ErrorKind::kPrecondition, message};
    case StatusCode::RESOURCE_EXHAUSTED:
      return {ErrorKind::kOverloaded, message};
    case StatusCode::DEADLINE_EXCEEDED:
      return {ErrorKind::kDeadlineExceeded, message};
    default:
      return {ErrorKind::kUnavailable, message};
  }
}

}  // namespace fo::rpc
