#pragma once
// A span handle: move-only, ends itself when destroyed. When not recording (not sampled, tracing
// disabled or already ended) every mutator is a cheap no-op, but Context() stays usable for
// propagation and log correlation. One owner at a time: a Span is not for concurrent mutation.
#include <chrono>
#include <concepts>
#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>

#include "platform/telemetry/tracing/span_context.hpp"
#include "platform/telemetry/tracing/span_data.hpp"

namespace fo::telemetry {
namespace detail {
// Integers become int64 attributes; bool has its own overload.
template <typename T>
concept NonBoolIntegral = std::integral<T> && !std::same_as<T, bool>;
}  // namespace detail

class Span {
 public:
  Span();  // non-recording, invalid context
  // Non-recording span that only carries `context` (what a no-op tracer hands out).
  explicit Span(SpanContext context);
  // Recording span; stamps the start time now. Used by Tracer, which owns `processor` for longer
  // than any span it starts.
  Span(std::unique_ptr<SpanData> data, SpanProcessor* processor);
  ~Span();

  Span(Span&& other) noexcept;
  Span& operator=(Span&& other) noexcept;  // ends the span it replaces
  Span(const Span&) = delete;
  Span& operator=(const Span&) = delete;

  const SpanContext& Context() const { return context_; }
  bool IsRecording() const { return data_ != nullptr; }

  // Empty keys are ignored; setting a key again replaces its value.
  // Beyond kMaxSpanAttributes keys, new ones are dropped and counted.
  void SetAttribute(std::string_view key, const AttributeValue& value) { Record(key, value); }
  void SetAttribute(std::string_view key, std::string_view value) { Record(key, value); }
  void SetAttribute(std::string_view key, const char* value);
  void SetAttribute(std::string_view key, const std::string& value) {
    Record(key, std::string_view(value));
  }
  void SetAttribute(std::string_view key, bool value) { Record(key, value); }
  template <detail::NonBoolIntegral T>
  void SetAttribute(std::string_view key, T value) {
    Record(key, static_cast<std::int64_t>(value));
  }
  template <std::floating_point T>
  void SetAttribute(std::string_view key, T value) {
    Record(key, static_cast<double>(value));
  }

  void AddEvent(std::string_view name, Attributes attributes = {});
  // Adds the semantic-convention "exception" event (exception.type, exception.message).
  void RecordException(const std::exception& error);
  // Per the OTel API: kUnset is ignored, kOk is final, the description is kept only for kError.
  void SetStatus(StatusCode code, std::string_view description = {});
  void UpdateName(std::string_view name);
  // Idempotent; hands the span to the processor. Afterwards IsRecording() is false.
  void End();

 private:
  template <typename Value>
  void Record(std::string_view key, const Value& value) {
    if (data_ && !key.empty() && !data_->attributes.Set(key, value)) ++data_->dropped_attributes;
  }

  SpanContext context_;
  std::unique_ptr<SpanData> data_;      // null when not recording
  SpanProcessor* processor_ = nullptr;  // owned by the tracer
  std::chrono::steady_clock::time_point start_steady_;
};

}  // namespace fo::telemetry
