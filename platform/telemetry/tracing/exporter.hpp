#pragma once
// Where ended spans go. Each span is encoded by the thread that ends it, while its memory is still
// in that thread's cache, and the processor's single thread sends the encodings in batches.
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "platform/telemetry/tracing/span_data.hpp"

namespace fo::telemetry {

class SpanExporter {
 public:
  virtual ~SpanExporter() = default;
  // Appends the span's encoding to `out`. Called concurrently by every thread that ends spans.
  virtual void Encode(const SpanData& span, std::string& out) const = 0;
  // Sends `count` spans whose encodings are concatenated in `spans`, on the processor's thread.
  // Returns true when the receiver accepted them. Must give up by `deadline`.
  virtual bool Export(std::string_view spans, std::size_t count,
                      std::chrono::steady_clock::time_point deadline) = 0;
  // Called from another thread when a shutdown runs out of time: the running Export and any later
  // one must return false promptly. Thread-safe.
  virtual void Cancel() {}
};

}  // namespace fo::telemetry
