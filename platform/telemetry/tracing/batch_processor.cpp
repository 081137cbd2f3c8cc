#include "platform/telemetry/tracing/batch_processor.hpp"

#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <array>
#include <string_view>

namespace fo::telemetry {
namespace {

// Caps every duration so adding it to now() cannot overflow the clock.
std::chrono::milliseconds Bounded(std::chrono::milliseconds value) {
  constexpr std::chrono::milliseconds kMax = std::chrono::hours(24);
  return std::clamp(value, std::chrono::milliseconds(1), kMax);
}

BatchOptions Sanitize(BatchOptions options) {
  options.max_queue_size = std::max<std::size_t>(options.max_queue_size, 1);
  options.max_export_batch_size =
      std::clamp<std::size_t>(options.max_export_batch_size, 1, options.max_queue_size);
  options.schedule_delay = Bounded(options.schedule_delay);  // zero would make the worker spin
  options.export_timeout = Bounded(options.export_timeout);
  return options;
}

// A typical span's encoding is about 250 bytes (protobuf): room for a full batch up front, so a
// steady load never grows the buffers.
constexpr std::size_t kReservedBytesPerSpan = 384;
// A thread's encoding buffer is dropped after a giant span rather than kept at that size.
constexpr std::size_t kMaxKeptEncodingBuffer = std::size_t{64} * 1024;

// The export thread is background work. SCHED_BATCH (no privileges needed) keeps its wake-ups
// from preempting a request thread in the middle of a request; it still gets a normal share of
// the CPU, so, unlike SCHED_IDLE, a busy service cannot starve it into dropping spans. On the
// product read route with every thread on one CPU, this took about 1 µs of the service's CPU
// per request off tracing's cost. Its name sets it apart in `top -H` and /proc/PID/task.
void MakeThisABackgroundThread() {
  sched_param param{};
  static_cast<void>(::pthread_setschedparam(::pthread_self(), SCHED_BATCH, &param));
  static_cast<void>(::pthread_setname_np(::pthread_self(), "otel-export"));
}

// The SpanData a thread ended last, emptied, for the next spans it starts (kSpansKeptPerThread).
// They belong to one processor at a time, so each processor's pool keeps its bound and its order.
struct KeptSpans {
  std::uint64_t owner = 0;  // processor ids start at 1
  std::array<std::unique_ptr<SpanData>, BatchSpanProcessor::kSpansKeptPerThread> spans;
  std::size_t count = 0;
};
KeptSpans& ThisThreadsSpans() {
  thread_local KeptSpans kept;
  return kept;
}
std::atomic<std::uint64_t> next_processor_id{1};

}  // namespace

BatchSpanProcessor::BatchSpanProcessor(std::unique_ptr<SpanExporter> exporter, BatchOptions options)
    : id_(next_processor_id.fetch_add(1, std::memory_order_relaxed)),
      options_(Sanitize(options)),
      exporter_(std::move(exporter)) {
  queue_.bytes.reserve(options_.max_export_batch_size * kReservedBytesPerSpan);
  queue_.ends.reserve(options_.max_queue_size);
  pool_.reserve(options_.max_queue_size);
  worker_ = std::thread([this] { Run(); });
}

BatchSpanProcessor::~BatchSpanProcessor() { Shutdown(options_.export_timeout); }

std::unique_ptr<SpanData> BatchSpanProcessor::NewSpanData() {
  KeptSpans& kept = ThisThreadsSpans();
  if (kept.owner == id_ && kept.count > 0) return std::move(kept.spans[--kept.count]);
  {
    const std::lock_guard lock(pool_mutex_);
    if (!pool_.empty()) {
      std::unique_ptr<SpanData> span = std::move(pool_.back());
      pool_.pop_back();
      return span;
    }
  }
  return std::make_unique<SpanData>();
}

void BatchSpanProcessor::Recycle(std::unique_ptr<SpanData> span) {
  ResetForReuse(*span);  // keeps its strings' buffers for the next span's values
  KeptSpans& kept = ThisThreadsSpans();
  if (kept.owner != id_) {  // another processor's, or none: those are freed
    for (std::size_t i = 0; i < kept.count; ++i) kept.spans[i].reset();
    kept.count = 0;
    kept.owner = id_;
  }
  if (kept.count < kept.spans.size()) {
    kept.spans[kept.count++] = std::move(span);
    return;
  }
  const std::lock_guard lock(pool_mutex_);
  if (pool_.size() < options_.max_queue_size) pool_.push_back(std::move(span));
}  // beyond the pool's bound: freed here, after the lock

void BatchSpanProcessor::OnEnd(std::unique_ptr<SpanData> span) {
  // Encoded outside the lock, into this thread's buffer, so threads ending spans only contend
  // for a copy of the bytes.
  thread_local std::string encoded;
  if (encoded.capacity() > kMaxKeptEncodingBuffer) std::string().swap(encoded);
  encoded.clear();
  exporter_->Encode(*span, encoded);
  Recycle(std::move(span));
  bool wake = false;
  {
    const std::lock_guard lock(mutex_);
    if (stopping_ || queue_.ends.size() >= options_.max_queue_size) {
      dropped_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    queue_.bytes.append(encoded);
    queue_.ends.push_back(queue_.bytes.size());
    wake = queue_.ends.size() == options_.max_export_batch_size;  // a full batch: export it now
  }
  if (wake) wake_worker_.notify_one();
}

bool BatchSpanProcessor::ForceFlush(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (worker_done_) return queue_.ends.empty();
  const std::uint64_t generation = ++flush_requested_;
  wake_worker_.notify_one();
  return flushed_.wait_for(lock, Bounded(timeout), [&] {
    return flush_done_ >= generation || worker_done_;
  }) && flush_done_ >= generation;
}

void BatchSpanProcessor::Shutdown(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (!stopping_) {
    stopping_ = true;
    stop_deadline_.store((Clock::now() + Bounded(timeout)).time_since_epoch().count());
  }
  wake_worker_.notify_one();
  // An export that began before the shutdown may have a later deadline: cut it short.
  if (!flushed_.wait_until(lock, StopDeadline(), [&] { return worker_done_; })) {
    lock.unlock();
    exporter_->Cancel();
  } else {
    lock.unlock();
  }
  std::call_once(join_once_, [this] {
    if (worker_.joinable()) worker_.join();
  });
}

ExporterStats BatchSpanProcessor::Stats() const {
  return ExporterStats{.exported = exported_.load(std::memory_order_relaxed),
                       .dropped = dropped_.load(std::memory_order_relaxed),
                       .failed_batches = failed_batches_.load(std::memory_order_relaxed)};
}

void BatchSpanProcessor::Run() {
  MakeThisABackgroundThread();
  EncodedSpans batch;
  batch.bytes.reserve(options_.max_export_batch_size * kReservedBytesPerSpan);
  batch.ends.reserve(options_.max_queue_size);
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_worker_.wait_for(lock, options_.schedule_delay, [&] {
      return stopping_ || flush_requested_ != flush_done_ ||
             queue_.ends.size() >= options_.max_export_batch_size;
    });
    // Swap rather than copy: producers keep appending to the emptied (still reserved) buffers.
    std::swap(queue_, batch);
    const std::uint64_t flush_target = flush_requested_;
    const bool stopping = stopping_;
    lock.unlock();
    ExportAll(batch);
    lock.lock();
    flush_done_ = flush_target;
    flushed_.notify_all();
    if (stopping) break;  // OnEnd refuses spans once stopping_ is set, so nothing is left
  }
  worker_done_ = true;
  flushed_.notify_all();
}

BatchSpanProcessor::Clock::time_point BatchSpanProcessor::StopDeadline() const {
  return Clock::time_point(Clock::duration(stop_deadline_.load()));
}

void BatchSpanProcessor::ExportAll(EncodedSpans& spans) {
  const std::size_t total = spans.ends.size();
  const std::string_view bytes = spans.bytes;
  for (std::size_t start = 0; start < total; start += options_.max_export_batch_size) {
    const std::size_t count = std::min(options_.max_export_batch_size, total - start);
    const Clock::time_point hard_deadline = StopDeadline();
    const Clock::time_point now = Clock::now();
    if (now >= hard_deadline) {
      dropped_.fetch_add(total - start, std::memory_order_relaxed);
      break;
    }
    const Clock::time_point deadline = std::min(hard_deadline, now + options_.export_timeout);
    const std::size_t from = start == 0 ? 0 : spans.ends[start - 1];
    const std::size_t to = spans.ends[start + count - 1];
    if (exporter_->Export(bytes.substr(from, to - from), count, deadline)) {
      exported_.fetch_add(count, std::memory_order_relaxed);
    } else {
      failed_batches_.fetch_add(1, std::memory_order_relaxed);
    }
  }
  spans.Clear();
}

}  // namespace fo::telemetry
