#pragma once
// Plain request/response types. Beast stays inside server.cpp so that handlers compile fast
// and know nothing of the wire.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "platform/context/context.hpp"
#include "platform/telemetry/tracing/span_context.hpp"

namespace fo::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

// Case-insensitive header lookup; empty when absent.
std::string_view FindHeader(const Headers& headers, std::string_view name);

// Who may call a route; checked by the server before the handler runs.
enum class Access { kPublic, kUser, kAdmin };

// Who is calling, from a verified access token.
struct Principal {
  std::int64_t user_id = 0;
  std::string role;
  std::string token_id;
  bool IsAdmin() const { return role == "admin"; }
};

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // raw request target, e.g. /users?limit=5
  std::string path;    // percent-decoded path without the query
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  Headers headers;
  std::string body;
  std::string remote_address;

  // Filled by the server and its middleware.
  std::string route;  // the matched pattern, e.g. /admin/users/{id}; "unmatched" otherwise
  Access access = Access::kPublic;  // what the matched route requires
  std::vector<std::pair<std::string, std::string>> params;
  std::string request_id;
  telemetry::SpanContext span;  // the server span of this request
  std::chrono::steady_clock::time_point deadline;
  std::optional<Principal> principal;

  std::string_view Header(std::string_view name) const { return FindHeader(headers, name); }
  std::optional<std::string_view> Query(std::string_view name) const;
  std::string_view Param(std::string_view name) const;
  // A path parameter that must be a positive 64-bit integer; otherwise a 400 naming it.
  std::int64_t IdParam(std::string_view name) const;
  // The authenticated caller; only call on routes that require authentication.
  const Principal& Caller() const;
  // Trace context and deadline for the layers below.
  Context Ctx() const { return {span, deadline}; }
  // Time left before the deadline (zero when passed).
  std::chrono::milliseconds Remaining() const;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;

  Response& With(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

namespace status {
inline constexpr int kOk = 200, kCreated = 201, kNoContent = 204, kBadRequest = 400,
                     kUnauthorized = 401, kForbidden = 403, kNotFound = 404,
                     kMethodNotAllowed = 405, kRequestTimeout = 408, kConflict = 409,
                     kPreconditionFailed = 412, kPayloadTooLarge = 413, kUnsupportedMediaType = 415,
                     kUnprocessable = 422, kPreconditionRequired = 428, kTooManyRequests = 429,
                     kHeadersTooLarge = 431, kInternal = 500, kUnavailable = 503,
                     kGatewayTimeout = 504;
}  // namespace status

std::string_view ReasonPhrase(int status);

Response Json(int status, std::string body);
Response NoContent();
Response Text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");

}  // namespace fo::http
