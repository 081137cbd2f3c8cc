#include "platform/telemetry/tracing/internal_log.hpp"

#include <cstdio>
#include <mutex>
#include <string>

namespace fo::telemetry {
namespace {

std::mutex& HandlerMutex() {
  static std::mutex mutex;
  return mutex;
}

ErrorHandler& Handler() {
  static auto* handler = new ErrorHandler();  // never destroyed: usable until exit
  return *handler;
}

}  // namespace

void SetTracingErrorHandler(ErrorHandler handler) {
  const std::lock_guard lock(HandlerMutex());
  Handler() = std::move(handler);
}

void ReportTracingError(std::string_view message) {
  const std::lock_guard lock(HandlerMutex());
  if (Handler()) {
    Handler()(message);
  } else {
    std::fprintf(stderr, "tracing: %.*s\n", static_cast<int>(message.size()), message.data());
  }
}

}  // namespace fo::telemetry
