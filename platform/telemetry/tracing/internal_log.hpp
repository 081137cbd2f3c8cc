#pragma once
// Where the SDK reports its own problems (export failures, bad settings). Stderr by default; a
// service can route them to its logger.
#include <functional>
#include <string_view>

namespace fo::telemetry {

using ErrorHandler = std::function<void(std::string_view message)>;

// Thread-safe; pass nullptr to restore the stderr default.
void SetTracingErrorHandler(ErrorHandler handler);
void ReportTracingError(std::string_view message);

}  // namespace fo::telemetry
