#pragma once
// application/problem+json (RFC 9457) responses, and the one place where errors thrown by
// handlers become HTTP statuses.
#include <exception>
#include <string_view>
#include <vector>

#include "platform/errors/error.hpp"
#include "platform/http/message.hpp"

namespace fo::http {

Response Problem(int status, std::string_view detail, const std::vector<FieldError>& errors = {},
                 std::string_view trace_id = {});

// Maps fo::Error kinds to statuses; anything else is a 500 whose detail never leaks internals.
// `internal` is set when the error is unexpected and must be logged with its trace id.
Response ProblemFromException(std::exception_ptr error, std::string_view trace_id, bool& internal);

int StatusOf(ErrorKind kind);

// Adds `trace_id` to a problem+json body that has none (a handler's own 402 or 409), so every
// error a user sees can be quoted; other responses, and bodies that quote one already (an
// idempotent replay keeps the original request's), are left alone.
void QuoteTraceId(Response& response, std::string_view trace_id);

}  // namespace fo::http
