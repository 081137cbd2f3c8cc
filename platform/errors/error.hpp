#pragma once
// Transport-neutral errors: the domain and use cases throw these, and each transport maps the
// kind to its own status in one place (HTTP problem+json, gRPC status codes).
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace fo {

enum class ErrorKind {
  kInvalidArgument,       // 400 / INVALID_ARGUMENT
  kUnauthenticated,       // 401 / UNAUTHENTICATED
  kPermissionDenied,      // 403 / PERMISSION_DENIED
  kNotFound,              // 404 / NOT_FOUND
  kConflict,              // 409 / ALREADY_EXISTS or ABORTED
  kPrecondition,          // 412 / FAILED_PRECONDITION
  kPreconditionRequired,  // 428 / FAILED_PRECONDITION: a conditional request was required
  kUnprocessable,         // 422 / FAILED_PRECONDITION
  kOverloaded,            // 429 or 503 / RESOURCE_EXHAUSTED
  kUnavailable,           // 503 / UNAVAILABLE
  kDeadlineExceeded,      // 504 / DEADLINE_EXCEEDED
};

struct FieldError {
  std::string field;
  std::string message;
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string message, std::vector<FieldError> fields = {})
      : std::runtime_error(message), kind_(kind), fields_(std::move(fields)) {}
  ErrorKind kind() const { return kind_; }
  const std::vector<FieldError>& fields() const { return fields_; }

 private:
  ErrorKind kind_;
  std::vector<FieldError> fields_;
};

inline Error InvalidArgument(std::string message, std::vector<FieldError> fields = {}) {
  return {ErrorKind::kInvalidArgument, std::move(message), std::move(fields)};
}
inline Error NotFound(std::string message) { return {ErrorKind::kNotFound, std::move(message)}; }
inline Error Conflict(std::string message) { return {ErrorKind::kConflict, std::move(message)}; }
inline Error Unauthenticated(std::string message) {
  return {ErrorKind::kUnauthenticated, std::move(message)};
}
inline Error PermissionDenied(std::string message) {
  return {ErrorKind::kPermissionDenied, std::move(message)};
}
inline Error Unprocessable(std::string message) {
  return {ErrorKind::kUnprocessable, std::move(message)};
}
inline Error PreconditionFailed(std::string message) {
  return {ErrorKind::kPrecondition, std::move(message)};
}
inline Error PreconditionRequired(std::string message) {
  return {ErrorKind::kPreconditionRequired, std::move(message)};
}
inline Error Unavailable(std::string message) {
  return {ErrorKind::kUnavailable, std::move(message)};
}

}  // namespace fo
