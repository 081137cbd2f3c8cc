#pragma once
// The OTel batch span processor: a bounded queue filled by ending spans and drained by one
// background thread that exports in batches. A full queue drops (and counts) spans rather than
// ever blocking a request. Exported SpanData return to a pool that new spans are taken from, so
// a span's memory is freed and allocated again on the request's thread (where the allocator's
// thread cache serves it), not freed by the export thread.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "platform/telemetry/tracing/exporter.hpp"
#include "platform/telemetry/tracing/span_data.hpp"

namespace fo::telemetry {

struct ExporterStats {
  std::uint64_t exported = 0;        // spans the receiver accepted
  std::uint64_t dropped = 0;         // spans never sent: queue full, ended after shutdown, or
                                     // still queued when the shutdown timeout ran out
  std::uint64_t failed_batches = 0;  // batches the exporter gave up on (their spans are lost)
};

struct BatchOptions {
  std::size_t max_queue_size = 2048;
  std::size_t max_export_batch_size = 512;
  std::chrono::milliseconds schedule_delay{5000};
  std::chrono::milliseconds export_timeout{30000};
};

class BatchSpanProcessor final : public SpanProcessor {
 public:
  BatchSpanProcessor(std::unique_ptr<SpanExporter> exporter, BatchOptions options);
  ~BatchSpanProcessor() override;  // shuts down with the export timeout if not done yet
  BatchSpanProcessor(const BatchSpanProcessor&) = delete;
  BatchSpanProcessor& operator=(const BatchSpanProcessor&) = delete;

  std::unique_ptr<SpanData> NewSpanData() override;     // a short lock and a pop
  void OnEnd(std::unique_ptr<SpanData> span) override;  // a short lock and a push
  // Exports everything queued before the call; false if that did not finish within `timeout`.
  bool ForceFlush(std::chrono::milliseconds timeout);
  // Exports what is queued (within `timeout`), then stops the thread. Later spans are dropped.
  void Shutdown(std::chrono::milliseconds timeout);
  ExporterStats Stats() const;

 private:
  using Clock = std::chrono::steady_clock;
  using Queue = std::vector<std::unique_ptr<SpanData>>;

  void Run();
  void ExportAll(Queue& spans);
  void Recycle(Queue& spans);
  Clock::time_point StopDeadline() const;

  const BatchOptions options_;
  const std::unique_ptr<SpanExporter> exporter_;

  std::mutex mutex_;
  std::condition_variable wake_worker_;
  std::condition_variable flushed_;
  Queue queue_;                        // capacity reserved up front: pushing never allocates
  std::uint64_t flush_requested_ = 0;  // flush generations, guarded by mutex_
  std::uint64_t flush_done_ = 0;
  bool stopping_ = false;
  bool worker_done_ = false;
  // Set once by Shutdown; atomic so an export loop that started earlier sees it between batches.
  std::atomic<Clock::rep> stop_deadline_{Clock::time_point::max().time_since_epoch().count()};

  std::mutex pool_mutex_;  // apart from mutex_: taking a span never waits for an ending one
  // Exported SpanData, as many as the queue holds: a pool smaller than the spans in flight made the
  // request thread allocate what the export thread then freed, the costly cross-thread pattern.
  Queue pool_;

  std::atomic<std::uint64_t> exported_{0};
  std::atomic<std::uint64_t> dropped_{0};
  std::atomic<std::uint64_t> failed_batches_{0};

  std::once_flag join_once_;
  std::thread worker_;  // last: started once every other member exists
};

}  // namespace fo::telemetry
