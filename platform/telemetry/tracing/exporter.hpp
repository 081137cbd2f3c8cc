#pragma once
// Where batches of ended spans go. Implementations run on the batch processor's single thread.
#include <chrono>
#include <memory>
#include <span>

#include "platform/telemetry/tracing/span_data.hpp"

namespace fo::telemetry {

class SpanExporter {
 public:
  virtual ~SpanExporter() = default;
  // Returns true when the receiver accepted the batch. Must give up by `deadline`.
  virtual bool Export(std::span<const std::unique_ptr<SpanData>> batch,
                      std::chrono::steady_clock::time_point deadline) = 0;
  // Called from another thread when a shutdown runs out of time: the running Export and any later
  // one must return false promptly. Thread-safe.
  virtual void Cancel() {}
};

}  // namespace fo::telemetry
