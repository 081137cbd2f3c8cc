#include "platform/telemetry/tracing/batch_processor.hpp"

#include <algorithm>
#include <span>

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

}  // namespace

BatchSpanProcessor::BatchSpanProcessor(std::unique_ptr<SpanExporter> exporter, BatchOptions options)
    : options_(Sanitize(options)), exporter_(std::move(exporter)) {
  queue_.reserve(options_.max_queue_size);
  pool_.reserve(options_.max_queue_size);
  worker_ = std::thread([this] { Run(); });
}

BatchSpanProcessor::~BatchSpanProcessor() { Shutdown(options_.export_timeout); }

std::unique_ptr<SpanData> BatchSpanProcessor::NewSpanData() {
  std::unique_ptr<SpanData> span;
  {
    const std::lock_guard lock(pool_mutex_);
    if (!pool_.empty()) {
      span = std::move(pool_.back());
      pool_.pop_back();
    }
  }
  if (!span) return std::make_unique<SpanData>();
  // Here, on the request's thread: the attribute strings of its last use are freed where the
  // new ones are about to be allocated.
  ResetForReuse(*span);
  return span;
}

void BatchSpanProcessor::OnEnd(std::unique_ptr<SpanData> span) {
  bool wake = false;
  {
    const std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= options_.max_queue_size) {
      dropped_.fetch_add(1, std::memory_order_relaxed);
      return;  // `span` is freed after the lock is released
    }
    queue_.push_back(std::move(span));
    wake = queue_.size() == options_.max_export_batch_size;  // a full batch: export it now
  }
  if (wake) wake_worker_.notify_one();
}

bool BatchSpanProcessor::ForceFlush(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (worker_done_) return queue_.empty();
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
  Queue batch;
  batch.reserve(options_.max_queue_size);
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_worker_.wait_for(lock, options_.schedule_delay, [&] {
      return stopping_ || flush_requested_ != flush_done_ ||
             queue_.size() >= options_.max_export_batch_size;
    });
    // Swap rather than copy: producers keep pushing into the emptied (still reserved) vector.
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

void BatchSpanProcessor::ExportAll(Queue& spans) {
  const std::span<const std::unique_ptr<SpanData>> all(spans);
  for (std::size_t start = 0; start < all.size(); start += options_.max_export_batch_size) {
    const auto chunk =
        all.subspan(start, std::min(options_.max_export_batch_size, all.size() - start));
    const Clock::time_point hard_deadline = StopDeadline();
    const Clock::time_point now = Clock::now();
    if (now >= hard_deadline) {
      dropped_.fetch_add(all.size() - start, std::memory_order_relaxed);
      break;
    }
    const Clock::time_point deadline = std::min(hard_deadline, now + options_.export_timeout);
    if (exporter_->Export(chunk, deadline)) {
      exported_.fetch_add(chunk.size(), std::memory_order_relaxed);
    } else {
      failed_batches_.fetch_add(1, std::memory_order_relaxed);
    }
  }
  Recycle(spans);
}

void BatchSpanProcessor::Recycle(Queue& spans) {
  {
    const std::lock_guard lock(pool_mutex_);
    while (!spans.empty() && pool_.size() < options_.max_queue_size) {
      pool_.push_back(std::move(spans.back()));
      spans.pop_back();
    }
  }
  spans.clear();  // beyond the pool's size: freed here
}

}  // namespace fo::telemetry
