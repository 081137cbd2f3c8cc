#include "platform/telemetry/tracing/span.hpp"

#include <cxxabi.h>

#include <cstdlib>
#include <typeinfo>
#include <utility>

namespace fo::telemetry {
namespace {

using SteadyClock = std::chrono::steady_clock;

std::uint64_t UnixNanosNow() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

// The wall-clock time at `now`, from this thread's last reading of both clocks if it is under
// 100 ms old: a span's start then costs one clock read, not two (each about 40 ns on a VM). A
// wall-clock step shows within 100 ms; NTP's slew (at most 500 ppm) shifts it by under 50 µs.
std::uint64_t UnixNanosAt(SteadyClock::time_point now) {
  struct Anchor {
    SteadyClock::time_point steady;
    std::uint64_t unix_nanos = 0;
  };
  constexpr auto kMaxAge = std::chrono::milliseconds(100);
  thread_local Anchor anchor;  // unix_nanos 0: not read yet
  if (anchor.unix_nanos == 0 || now < anchor.steady || now - anchor.steady > kMaxAge) {
    anchor = Anchor{.steady = now, .unix_nanos = UnixNanosNow()};
  }
  return anchor.unix_nanos +
         static_cast<std::uint64_t>(
             std::chrono::duration_cast<std::chrono::nanoseconds>(now - anchor.steady).count());
}

std::string DemangledTypeName(const std::exception& error) {
  const char* mangled = typeid(error).name();
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> demangled(
      abi::__cxa_demangle(mangled, nullptr, nullptr, &status), std::free);
  return status == 0 && demangled ? std::string(demangled.get()) : std::string(mangled);
}

}  // namespace

void ResetForReuse(SpanData& span) {
  span.context.trace_id = {};
  span.context.span_id = {};
  span.context.flags = 0;
  span.context.trace_state.clear();
  span.context.remote = false;
  span.parent_span_id = {};
  span.parent_remote = false;
  span.name.clear();
  span.kind = SpanKind::kInternal;
  span.start_unix_nano = 0;
  span.end_unix_nano = 0;
  span.attributes.clear();
  span.dropped_attributes = 0;
  span.events.clear();
  span.dropped_events = 0;
  span.status = StatusCode::kUnset;
  span.status_message.clear();
}

Span::Span() = default;

Span::Span(SpanContext context) : context_(std::move(context)) {}

Span::Span(std::unique_ptr<SpanData> data, SpanProcessor* processor)
    : context_(data->context),
      data_(std::move(data)),
      processor_(processor),
      start_steady_(SteadyClock::now()) {
  data_->start_unix_nano = UnixNanosAt(start_steady_);
}

Span::~Span() { End(); }

Span::Span(Span&& other) noexcept
    : context_(std::exchange(other.context_, {})),
      data_(std::move(other.data_)),
      processor_(std::exchange(other.processor_, nullptr)),
      start_steady_(other.start_steady_) {}

Span& Span::operator=(Span&& other) noexcept {
  if (this != &other) {
    End();
    context_ = std::exchange(other.context_, {});
    data_ = std::move(other.data_);
    processor_ = std::exchange(other.processor_, nullptr);
    start_steady_ = other.start_steady_;
  }
  return *this;
}

void Span::SetAttribute(std::string_view key, const char* value) {
  SetAttribute(key, std::string_view(value != nullptr ? value : ""));
}

void Span::AddEvent(std::string_view name, Attributes attributes) {
  if (!data_) return;
  if (data_->events.size() >= kMaxSpanEvents) {
    ++data_->dropped_events;
    return;
  }
  data_->events.push_back(SpanEvent{std::string(name), UnixNanosNow(), std::move(attributes)});
}

void Span::RecordException(const std::exception& error) {
  if (!data_) return;
  AddEvent("exception", {{"exception.type", DemangledTypeName(error)},
                         {"exception.message", std::string(error.what())}});
}

void Span::SetStatus(StatusCode code, std::string_view description) {
  if (!data_ || code == StatusCode::kUnset || data_->status == StatusCode::kOk) return;
  data_->status = code;
  data_->status_message = code == StatusCode::kError ? std::string(description) : std::string();
}

void Span::UpdateName(std::string_view name) {
  if (data_) data_->name = name;
}

void Span::End() {
  if (!data_) return;
  // End time from the monotonic clock so a wall-clock step cannot give a negative duration.
  const auto elapsed = std::chrono::steady_clock::now() - start_steady_;
  data_->end_unix_nano = data_->start_unix_nano +
                         static_cast<std::uint64_t>(
                             std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count());
  if (processor_ != nullptr) processor_->OnEnd(std::move(data_));
  data_.reset();
  processor_ = nullptr;
}

}  // namespace fo::telemetry
