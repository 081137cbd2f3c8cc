#include "platform/http/problem.hpp"

#include <boost/json.hpp>
#include <string>

namespace fo::http {

int StatusOf(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidArgument:
      return status::kBadRequest;
    case ErrorKind::kUnauthenticated:
      return status::kUnauthorized;
    case ErrorKind::kPermissionDenied:
      return status::kForbidden;
    case ErrorKind::kNotFound:
      return status::kNotFound;
    case ErrorKind::kConflict:
      return status::kConflict;
    case ErrorKind::kPrecondition:
      return status::kPreconditionFailed;
    case ErrorKind::kPreconditionRequired:
      return status::kPreconditionRequired;
    case ErrorKind::kUnprocessable:
      return status::kUnprocessable;
    case ErrorKind::kOverloaded:
    case ErrorKind::kUnavailable:
      return status::kUnavailable;
    case ErrorKind::kDeadlineExceeded:
      return status::kGatewayTimeout;
  }
  return status::kInternal;
}

Response Problem(int code, std::string_view detail, const std::vector<FieldError>& errors,
                 std::string_view trace_id) {
  boost::json::object body;
  body["type"] = "about:blank";
  body["title"] = ReasonPhrase(code);
  body["status"] = code;
  body["detail"] = detail;
  if (!errors.empty()) {
    boost::json::array list;
    for (const auto& e : errors) list.push_back({{"field", e.field}, {"message", e.message}});
    body["errors"] = std::move(list);
  }
  if (!trace_id.empty()) body["trace_id"] = trace_id;
  Response response{
      code, {{"Content-Type", "application/problem+json"}}, boost::json::serialize(body)};
  if (code == status::kUnauthorized) response.With("WWW-Authenticate", "Bearer");
  return response;
}

Response ProblemFromException(std::exception_ptr error, std::string_view trace_id, bool& internal) {
  internal = false;
  try {
    std::rethrow_exception(error);
  } catch (const Error& e) {
    auto response = Problem(StatusOf(e.kind()), e.what(), e.fields(), trace_id);
    if (e.kind() == ErrorKind::kOverloaded) response.With("Retry-After", "1");
    return response;
  } catch (...) {
    internal = true;
    return Problem(status::kInternal, "internal error; quote the trace_id when reporting it", {},
                   trace_id);
  }
}

void QuoteTraceId(Response& response, std::string_view trace_id) {
  if (response.status < 400 || trace_id.empty() ||
      !FindHeader(response.headers, "Content-Type").starts_with("application/problem+json")) {
    return;
  }
  boost::system::error_code ec;
  auto body = boost::json::parse(response.body, ec);
  if (ec || !body.is_object() || body.as_object().contains("trace_id")) return;
  body.as_object()["trace_id"] = trace_id;
  response.body = boost::json::serialize(body);
}

}  // namespace fo::http
