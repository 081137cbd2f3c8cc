#include "platform/telemetry/tracing/batch_processor.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "platform/telemetry/tracing/hex.hpp"

namespace fo::telemetry {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::unique_ptr<SpanData> MakeSpan() {
  auto span = std::make_unique<SpanData>();
  span->name = "s";
  return span;
}

// Records batch sizes; can be told to fail, or to block until released or cancelled.
class FakeExporter : public SpanExporter {
 public:
  struct Shared {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<std::size_t> batches;
    bool block = false;
    bool cancelled = false;
    bool fail = false;
  };

  explicit FakeExporter(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}

  bool Export(std::span<const std::unique_ptr<SpanData>> batch, Clock::time_point) override {
    std::unique_lock lock(shared_->mutex);
    shared_->changed.wait(lock, [&] { return !shared_->block || shared_->cancelled; });
    shared_->batches.push_back(batch.size());
    shared_->changed.notify_all();
    return !shared_->fail && !shared_->cancelled;
  }

  void Cancel() override {
    const std::lock_guard lock(shared_->mutex);
    shared_->cancelled = true;
    shared_->changed.notify_all();
  }

 private:
  std::shared_ptr<Shared> shared_;
};

struct Fixture {
  explicit Fixture(BatchOptions options, bool block = false) {
    shared->block = block;
    processor =
        std::make_unique<BatchSpanProcessor>(std::make_unique<FakeExporter>(shared), options);
  }
  void Release() {
    const std::lock_guard lock(shared->mutex);
    shared->block = false;
    shared->changed.notify_all();
  }
  std::shared_ptr<FakeExporter::Shared> shared = std::make_shared<FakeExporter::Shared>();
  std::unique_ptr<BatchSpanProcessor> processor;
};

TEST(BatchSpanProcessorTest, ExportsInBatchesOnFlush) {
  Fixture f({.max_queue_size = 100, .max_export_batch_size = 3, .schedule_delay = 10s});
  for (int i = 0; i < 7; ++i) f.processor->OnEnd(MakeSpan());
  ASSERT_TRUE(f.processor->ForceFlush(5s));
  EXPECT_EQ(f.processor->Stats().exported, 7U);
  std::size_t total = 0;
  for (std::size_t size : f.shared->batches) {
    EXPECT_LE(size, 3U);
    total += size;
  }
  EXPECT_EQ(total, 7U);
  f.processor->Shutdown(1s);
}

TEST(BatchSpanProcessorTest, ExportedSpansAreHandedOutAgainBlankAndThePoolIsBounded) {
  Fixture f({.max_queue_size = 2, .max_export_batch_size = 2, .schedule_delay = 10s});
  std::vector<std::unique_ptr<SpanData>> taken(4);
  for (auto& span : taken) span = f.processor->NewSpanData();  // the pool is empty: all new
  std::vector<const SpanData*> exported;
  for (int i = 0; i < 4; ++i) {
    auto span = std::move(taken[static_cast<std::size_t>(i)]);
    span->context.trace_id[0] = 1;
    span->context.span_id[0] = 2;
    span->context.flags = 1;
    span->context.trace_state = "k=v";
    span->context.remote = true;
    span->parent_span_id[0] = 3;
    span->parent_remote = true;
    span->name = "GET /a/long/route/name/{id}";
    span->kind = SpanKind::kServer;
    span->start_unix_nano = 10;
    span->end_unix_nano = 20;
    span->attributes = {{"http.request.method", std::string("GET")}};
    span->dropped_attributes = 4;
    span->events.push_back(SpanEvent{"exception", 15, {}});
    span->dropped_events = 5;
    span->status = StatusCode::kError;
    span->status_message = "boom";
    exported.push_back(span.get());
    f.processor->OnEnd(std::move(span));
    if (i % 2 == 1) {  // the queue holds two
      ASSERT_TRUE(f.processor->ForceFlush(5s));
    }
  }
  // The first two come back (as many as the queue holds; the last two were freed), emptied but
  // with their capacity.
  exported.resize(2);
  std::vector<std::unique_ptr<SpanData>> again(3);
  for (auto& span : again) span = f.processor->NewSpanData();
  int reused = 0;
  for (const auto& span : again) {
    if (std::find(exported.begin(), exported.end(), span.get()) == exported.end()) continue;
    ++reused;
    EXPECT_FALSE(span->context.IsValid());
    EXPECT_EQ(span->context.flags, 0);
    EXPECT_TRUE(span->context.trace_state.empty());
    EXPECT_FALSE(span->context.remote);
    EXPECT_TRUE(detail::AllZero(span->parent_span_id));
    EXPECT_FALSE(span->parent_remote);
    EXPECT_TRUE(span->name.empty());
    EXPECT_GE(span->name.capacity(), 27U);
    EXPECT_EQ(span->kind, SpanKind::kInternal);
    EXPECT_EQ(span->start_unix_nano, 0U);
    EXPECT_EQ(span->end_unix_nano, 0U);
    EXPECT_TRUE(span->attributes.empty());
    EXPECT_EQ(span->dropped_attributes, 0U);
    EXPECT_TRUE(span->events.empty());
    EXPECT_EQ(span->dropped_events, 0U);
    EXPECT_EQ(span->status, StatusCode::kUnset);
    EXPECT_TRUE(span->status_message.empty());
  }
  EXPECT_EQ(reused, 2);
  f.processor->Shutdown(1s);
}

TEST(BatchSpanProcessorTest, ExportsAfterTheScheduleDelay) {
  Fixture f({.max_queue_size = 100, .max_export_batch_size = 50, .schedule_delay = 20ms});
  f.processor->OnEnd(MakeSpan());
  const auto give_up = Clock::now() + 5s;
  while (f.processor->Stats().exported == 0 && Clock::now() < give_up) {
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_EQ(f.processor->Stats().exported, 1U);
}

TEST(BatchSpanProcessorTest, FullQueueDropsAndCountsWithoutBlocking) {
  Fixture f({.max_queue_size = 4, .max_export_batch_size = 2, .schedule_delay = 1ms},
            /*block=*/true);
  constexpr int kSpans = 1000;
  const auto start = Clock::now();
  for (int i = 0; i < kSpans; ++i) f.processor->OnEnd(MakeSpan());
  const auto elapsed = Clock::now() - start;
  EXPECT_LT(elapsed, 500ms);  // the exporter is stuck, yet ending spans never waited for it
  const ExporterStats stuck = f.processor->Stats();
  EXPECT_GE(stuck.dropped, static_cast<std::uint64_t>(kSpans - 8));
  EXPECT_EQ(stuck.exported, 0U);

  f.Release();
  f.processor->Shutdown(5s);
  const ExporterStats done = f.processor->Stats();
  EXPECT_EQ(done.exported + done.dropped, static_cast<std::uint64_t>(kSpans));
  EXPECT_EQ(done.failed_batches, 0U);
}

TEST(BatchSpanProcessorTest, FailedExportCountsBatch) {
  Fixture f({.max_queue_size = 100, .max_export_batch_size = 2, .schedule_delay = 10s});
  f.shared->fail = true;
  for (int i = 0; i < 4; ++i) f.processor->OnEnd(MakeSpan());
  f.processor->ForceFlush(5s);
  EXPECT_EQ(f.processor->Stats().failed_batches, 2U);
  EXPECT_EQ(f.processor->Stats().exported, 0U);
}

TEST(BatchSpanProcessorTest, ShutdownFlushesPendingSpans) {
  Fixture f({.max_queue_size = 100, .max_export_batch_size = 10, .schedule_delay = 10s});
  for (int i = 0; i < 25; ++i) f.processor->OnEnd(MakeSpan());
  f.processor->Shutdown(5s);
  EXPECT_EQ(f.processor->Stats().exported, 25U);
  f.processor->OnEnd(MakeSpan());  // after shutdown: dropped, not queued
  EXPECT_EQ(f.processor->Stats().dropped, 1U);
  f.processor->Shutdown(5s);  // idempotent
}

TEST(BatchSpanProcessorTest, ShutdownHonoursItsTimeoutWhenTheExportHangs) {
  Fixture f({.max_queue_size = 100,
             .max_export_batch_size = 1,
             .schedule_delay = 1ms,
             .export_timeout = 60s},
            /*block=*/true);
  f.processor->OnEnd(MakeSpan());
  f.processor->OnEnd(MakeSpan());
  std::this_thread::sleep_for(20ms);  // let the worker get stuck in the first export
  const auto start = Clock::now();
  f.processor->Shutdown(200ms);
  EXPECT_LT(Clock::now() - start, 2s);
  const ExporterStats stats = f.processor->Stats();
  EXPECT_EQ(stats.failed_batches, 1U);  // the cancelled export
  EXPECT_EQ(stats.dropped, 1U);         // the one still queued when time ran out
}

}  // namespace
}  // namespace fo::telemetry
