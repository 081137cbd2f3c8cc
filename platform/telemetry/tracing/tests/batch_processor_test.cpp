#include "platform/telemetry/tracing/batch_processor.hpp"

#include <gtest/gtest.h>
#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <array>
#include <condition_variable>
#include <mutex>
#include <string>
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

// Encodes a span as its name and a ';'. Records each batch's bytes and count; can be told to fail,
// or to block until released or cancelled.
class FakeExporter : public SpanExporter {
 public:
  struct Shared {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<std::size_t> batches;
    std::vector<std::string> bodies;
    bool block = false;
    bool cancelled = false;
    bool fail = false;
    int policy = -1;  // the export thread's scheduling policy and name, seen by Export
    std::string thread_name;
  };

  explicit FakeExporter(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}

  void Encode(const SpanData& span, std::string& out) const override {
    out.append(span.name);
    out.push_back(';');
  }

  bool Export(std::string_view spans, std::size_t count, Clock::time_point) override {
    std::unique_lock lock(shared_->mutex);
    shared_->changed.wait(lock, [&] { return !shared_->block || shared_->cancelled; });
    sched_param param{};
    pthread_getschedparam(pthread_self(), &shared_->policy, &param);
    std::array<char, 16> name{};
    pthread_getname_np(pthread_self(), name.data(), name.size());
    shared_->thread_name = name.data();
    shared_->batches.push_back(count);
    shared_->bodies.emplace_back(spans);
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

TEST(BatchSpanProcessorTest, ExportsEveryEncodingInOrderInBatchesOnFlush) {
  Fixture f({.max_queue_size = 100, .max_export_batch_size = 3, .schedule_delay = 10s});
  for (int i = 0; i < 7; ++i) {
    auto span = f.processor->NewSpanData();
    span->name = std::to_string(i);
    f.processor->OnEnd(std::move(span));
  }
  ASSERT_TRUE(f.processor->ForceFlush(5s));
  EXPECT_EQ(f.processor->Stats().exported, 7U);
  const std::lock_guard lock(f.shared->mutex);
  ASSERT_EQ(f.shared->bodies.size(), f.shared->batches.size());
  std::string all;
  for (std::size_t i = 0; i < f.shared->batches.size(); ++i) {
    EXPECT_LE(f.shared->batches[i], 3U);
    // Each batch holds exactly its own spans' encodings: "n;" per span.
    EXPECT_EQ(std::count(f.shared->bodies[i].begin(), f.shared->bodies[i].end(), ';'),
              static_cast<std::ptrdiff_t>(f.shared->batches[i]));
    all += f.shared->bodies[i];
  }
  EXPECT_EQ(all, "0;1;2;3;4;5;6;");
  f.processor->Shutdown(1s);
}

// Background work: its wake-ups must not preempt request threads, and top -H should name it.
TEST(BatchSpanProcessorTest, ExportsOnANamedThreadThatDoesNotPreemptRequestThreads) {
  Fixture f({.max_queue_size = 10, .max_export_batch_size = 10, .schedule_delay = 10s});
  f.processor->OnEnd(MakeSpan());
  ASSERT_TRUE(f.processor->ForceFlush(5s));
  {
    const std::lock_guard lock(f.shared->mutex);
    EXPECT_EQ(f.shared->policy, SCHED_BATCH);
    EXPECT_EQ(f.shared->thread_name, "otel-export");
  }
  // Only the export thread: the thread that ends spans keeps its own policy.
  int policy = -1;
  sched_param param{};
  ASSERT_EQ(pthread_getschedparam(pthread_self(), &policy, &param), 0);
  EXPECT_EQ(policy, SCHED_OTHER);
  f.processor->Shutdown(1s);
}

TEST(BatchSpanProcessorTest, EndedSpansAreHandedOutAgainBlankAtOnceAndThePoolIsBounded) {
  Fixture f({.max_queue_size = 2, .max_export_batch_size = 2, .schedule_delay = 10s},
            /*block=*/true);  // nothing is exported: spans come back when they end, not later
  constexpr std::size_t kKept = BatchSpanProcessor::kSpansKeptPerThread;
  std::vector<std::unique_ptr<SpanData>> taken(kKept + 4);
  for (auto& span : taken) span = f.processor->NewSpanData();  // none ended yet: all new
  std::vector<const SpanData*> ended;
  for (auto& span : taken) {
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
    ended.push_back(span.get());
    f.processor->OnEnd(std::move(span));
  }
  // This thread kept the first kKept ended, the pool as many as the queue (2) of the rest, and
  // the last two were freed. They come back the last ended first (the warmest), this thread's
  // before the pool's, emptied but with their capacity.
  std::vector<std::unique_ptr<SpanData>> again(kKept + 2);
  for (auto& span : again) span = f.processor->NewSpanData();
  for (std::size_t i = 0; i < kKept; ++i) EXPECT_EQ(again[i].get(), ended[kKept - 1 - i]) << i;
  EXPECT_EQ(again[kKept].get(), ended[kKept + 1]);
  EXPECT_EQ(again[kKept + 1].get(), ended[kKept]);
  for (std::size_t i = 0; i < again.size(); ++i) {
    const SpanData& span = *again[i];
    EXPECT_FALSE(span.context.IsValid());
    EXPECT_EQ(span.context.flags, 0);
    EXPECT_TRUE(span.context.trace_state.empty());
    EXPECT_FALSE(span.context.remote);
    EXPECT_TRUE(detail::AllZero(span.parent_span_id));
    EXPECT_FALSE(span.parent_remote);
    EXPECT_TRUE(span.name.empty());
    EXPECT_GE(span.name.capacity(), 27U);
    EXPECT_EQ(span.kind, SpanKind::kInternal);
    EXPECT_EQ(span.start_unix_nano, 0U);
    EXPECT_EQ(span.end_unix_nano, 0U);
    EXPECT_TRUE(span.attributes.empty());
    EXPECT_EQ(span.dropped_attributes, 0U);
    EXPECT_TRUE(span.events.empty());
    EXPECT_EQ(span.dropped_events, 0U);
    EXPECT_EQ(span.status, StatusCode::kUnset);
    EXPECT_TRUE(span.status_message.empty());
  }
  f.Release();
  f.processor->Shutdown(5s);
  const ExporterStats stats = f.processor->Stats();
  EXPECT_EQ(stats.exported + stats.dropped, taken.size());  // each exported or counted, once
}

// What a thread keeps is for the spans it starts itself, for the processor that ended them.
TEST(BatchSpanProcessorTest, AThreadsKeptSpansServeOnlyThatThreadAndThatProcessor) {
  Fixture f({.max_queue_size = 10, .max_export_batch_size = 10, .schedule_delay = 10s});
  Fixture other({.max_queue_size = 10, .max_export_batch_size = 10, .schedule_delay = 10s});
  auto span = f.processor->NewSpanData();
  const SpanData* ended = span.get();
  f.processor->OnEnd(std::move(span));  // kept by this thread, so alive: no new one can have its
                                        // address
  const SpanData* on_another_thread = nullptr;
  std::thread([&] {
    auto mine = f.processor->NewSpanData();
    on_another_thread = mine.get();
  }).join();
  EXPECT_NE(on_another_thread, ended);
  auto for_the_other = other.processor->NewSpanData();
  EXPECT_NE(for_the_other.get(), ended);
  auto again = f.processor->NewSpanData();
  EXPECT_EQ(again.get(), ended);
  f.processor->OnEnd(std::move(again));
  const SpanData* others = for_the_other.get();
  other.processor->OnEnd(std::move(for_the_other));  // this thread now keeps the other's instead
  EXPECT_EQ(other.processor->NewSpanData().get(), others);
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
