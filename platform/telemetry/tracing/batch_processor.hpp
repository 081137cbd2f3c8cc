#pragma once
// The OTel batch span processor: a bounded queue filled by ending spans and drained by one
// background thread that exports in batches. A full queue drops (and counts) spans rather than
// ever blocking a request.
//
// A span is encoded when it ends, on its own thread, and its SpanData is at once emptied and kept
// for the next span that thread starts: the span's memory is written, read and written again while
// it is in that core's cache, and the queue holds compact bytes. (Queued SpanData, encoded later by
// the export thread, were cold by then: perf put 1.7 µs a request in the SDK's functions on a
// product read route, 3 to 5 times what the same functions cost on warm memory.)
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
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

  // Each thread keeps this many of the SpanData it ended for the spans it starts next, without a
  // lock: a request's spans nest (its server span, then the SQL or RPC client spans inside it),
  // so these cover most requests. The rest go through a pool shared under a lock.
  static constexpr std::size_t kSpansKeptPerThread = 4;

  std::unique_ptr<SpanData> NewSpanData() override;  // this thread's last ended, or the pool's
  // Encodes the span, returns its SpanData to the pool, and appends the encoding to the queue.
  void OnEnd(std::unique_ptr<SpanData> span) override;
  // Exports everything queued before the call; false if that did not finish within `timeout`.
  bool ForceFlush(std::chrono::milliseconds timeout);
  // Exports what is queued (within `timeout`), then stops the thread. Later spans are dropped.
  void Shutdown(std::chrono::milliseconds timeout);
  ExporterStats Stats() const;

 private:
  using Clock = std::chrono::steady_clock;

  // Encoded spans, back to back; ends[i] is where span i's encoding ends in `bytes`.
  struct EncodedSpans {
    std::string bytes;
    std::vector<std::size_t> ends;
    void Clear() {
      bytes.clear();
      ends.clear();
    }
  };

  void Run();
  void ExportAll(EncodedSpans& spans);
  void Recycle(std::unique_ptr<SpanData> span);
  Clock::time_point StopDeadline() const;

  const std::uint64_t id_;  // tells the spans kept by a thread for this processor from others'
  const BatchOptions options_;
  const std::unique_ptr<SpanExporter> exporter_;

  std::mutex mutex_;
  std::condition_variable wake_worker_;
  std::condition_variable flushed_;
  EncodedSpans queue_;                 // swapped with the worker's: both keep their capacity
  std::uint64_t flush_requested_ = 0;  // flush generations, guarded by mutex_
  std::uint64_t flush_done_ = 0;
  bool stopping_ = false;
  bool worker_done_ = false;
  // Set once by Shutdown; atomic so an export loop that started earlier sees it between batches.
  std::atomic<Clock::rep> stop_deadline_{Clock::time_point::max().time_since_epoch().count()};

  std::mutex pool_mutex_;  // apart from mutex_: taking a span never waits for an export
  // Ended SpanData, emptied, beyond what threads keep; taken last-in first-out, so the next span
  // gets the warmest one.
  std::vector<std::unique_ptr<SpanData>> pool_;

  std::atomic<std::uint64_t> exported_{0};
  std::atomic<std::uint64_t> dropped_{0};
  std::atomic<std::uint64_t> failed_batches_{0};

  std::once_flag join_once_;
  std::thread worker_;  // last: started once every other member exists
};

}  // namespace fo::telemetry
