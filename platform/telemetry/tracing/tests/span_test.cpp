#include "platform/telemetry/tracing/span.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "platform/telemetry/tracing/trace_context.hpp"
#include "platform/telemetry/tracing/tracer.hpp"

namespace fo::telemetry {
namespace {

class RecordingProcessor : public SpanProcessor {
 public:
  void OnEnd(std::unique_ptr<SpanData> span) override { spans.push_back(std::move(span)); }
  std::vector<std::unique_ptr<SpanData>> spans;
};

class SpanTest : public ::testing::Test {
 protected:
  std::shared_ptr<RecordingProcessor> processor_ = std::make_shared<RecordingProcessor>();
  Tracer tracer_{Sampler({.kind = SamplerKind::kParentBasedAlwaysOn}), processor_};

  const SpanData& OnlySpan() {
    EXPECT_EQ(processor_->spans.size(), 1U);
    return *processor_->spans.front();
  }
};

std::optional<AttributeValue> Find(const SpanData& span, std::string_view key) {
  for (const auto& [k, v] : span.attributes) {
    if (k == key) return v;
  }
  return std::nullopt;
}

TEST(SpanBasicsTest, DefaultSpanIsInvalidAndNotRecording) {
  Span span;
  EXPECT_FALSE(span.IsRecording());
  EXPECT_FALSE(span.Context().IsValid());
  span.SetAttribute("k", 1);
  span.SetStatus(StatusCode::kError, "x");
  span.End();
}

TEST(SpanBasicsTest, NoopTracerPropagatesTheParentContext) {
  const Tracer noop;
  const auto parent = ParseTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  ASSERT_TRUE(parent.has_value());
  const Span child = noop.StartSpan("child", SpanKind::kClient, &*parent);
  EXPECT_FALSE(child.IsRecording());
  EXPECT_EQ(FormatTraceparent(child.Context()), FormatTraceparent(*parent));
  EXPECT_FALSE(noop.StartSpan("root", SpanKind::kServer, nullptr).Context().IsValid());
}

TEST_F(SpanTest, RootSpanGetsIdsAndIsRecorded) {
  {
    Span span = tracer_.StartSpan("GET /products/{id}", SpanKind::kServer, nullptr);
    EXPECT_TRUE(span.IsRecording());
    EXPECT_TRUE(span.Context().IsValid());
    EXPECT_TRUE(span.Context().Sampled());
    EXPECT_FALSE(span.Context().remote);
  }  // ended by the destructor
  const SpanData& data = OnlySpan();
  EXPECT_EQ(data.name, "GET /products/{id}");
  EXPECT_EQ(data.kind, SpanKind::kServer);
  EXPECT_TRUE(std::all_of(data.parent_span_id.begin(), data.parent_span_id.end(),
                          [](auto b) { return b == 0; }));
  EXPECT_GT(data.start_unix_nano, 0U);
  EXPECT_GE(data.end_unix_nano, data.start_unix_nano);
}

std::uint64_t WallNanos() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

// Start times come from the monotonic clock anchored to the wall clock at most 100 ms earlier:
// each still lies between wall-clock readings taken around it, before and after a re-anchoring.
TEST_F(SpanTest, StartAndEndTimesFollowTheWallClock) {
  constexpr std::uint64_t kSlack = 1'000'000;  // 1 ms: the slew the anchor may miss, and more
  for (int i = 0; i < 6; ++i) {
    const std::uint64_t before = WallNanos();
    { const Span span = tracer_.StartSpan("s", SpanKind::kInternal, nullptr); }
    const std::uint64_t after = WallNanos();
    const SpanData& data = *processor_->spans.back();
    EXPECT_GE(data.start_unix_nano + kSlack, before) << i;
    EXPECT_LE(data.start_unix_nano, after + kSlack) << i;
    EXPECT_GE(data.end_unix_nano, data.start_unix_nano) << i;
    EXPECT_LE(data.end_unix_nano, after + kSlack) << i;
    std::this_thread::sleep_for(std::chrono::milliseconds(i % 2 == 0 ? 1 : 120));
  }
}

TEST_F(SpanTest, ChildOfRemoteParentKeepsTraceIdAndTracestate) {
  const auto parent = ParseTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                                       "rojo=00f067aa0ba902b7");
  ASSERT_TRUE(parent.has_value());
  Span span = tracer_.StartSpan("consume", SpanKind::kConsumer, *parent);
  EXPECT_EQ(span.Context().TraceIdHex(), "0af7651916cd43dd8448eb211c80319c");
  EXPECT_NE(span.Context().SpanIdHex(), "b7ad6b7169203331");
  EXPECT_EQ(span.Context().trace_state, "rojo=00f067aa0ba902b7");
  span.End();
  const SpanData& data = OnlySpan();
  EXPECT_EQ(data.parent_span_id, parent->span_id);
  EXPECT_TRUE(data.parent_remote);
}

TEST_F(SpanTest, UnsampledParentGivesValidButUnrecordedChild) {
  const auto parent = ParseTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00");
  Span span = tracer_.StartSpan("work", SpanKind::kInternal, &*parent);
  EXPECT_FALSE(span.IsRecording());
  EXPECT_TRUE(span.Context().IsValid());
  EXPECT_FALSE(span.Context().Sampled());
  EXPECT_EQ(span.Context().trace_id, parent->trace_id);
  span.End();
  EXPECT_TRUE(processor_->spans.empty());
}

TEST(SpanBasicsTest, AlwaysOffAndNoExporterStillGiveIds) {
  const Tracer off(Sampler({.kind = SamplerKind::kAlwaysOff}),
                   std::make_shared<RecordingProcessor>());
  const Span unsampled = off.StartSpan("x", SpanKind::kInternal, nullptr);
  EXPECT_TRUE(unsampled.Context().IsValid());
  EXPECT_FALSE(unsampled.Context().Sampled());

  const Tracer no_export(Sampler({.kind = SamplerKind::kAlwaysOn}), nullptr);
  const Span sampled = no_export.StartSpan("x", SpanKind::kInternal, nullptr);
  EXPECT_TRUE(sampled.Context().IsValid());
  EXPECT_TRUE(sampled.Context().Sampled());  // downstream services still see the decision
  EXPECT_FALSE(sampled.IsRecording());
}

TEST_F(SpanTest, AttributeOverloadsPickTheRightType) {
  Span span = tracer_.StartSpan("s", SpanKind::kInternal, nullptr);
  const std::string owned = "owned";
  span.SetAttribute("int", 5);
  span.SetAttribute("unsigned", std::uint16_t{7});
  span.SetAttribute("long", 1LL << 40);
  span.SetAttribute("literal", "str");
  span.SetAttribute("string", owned);
  span.SetAttribute("view", std::string_view("sv"));
  span.SetAttribute("bool", true);
  span.SetAttribute("double", 1.5);
  span.SetAttribute("float", 0.5F);
  span.SetAttribute("variant", AttributeValue(std::int64_t{9}));
  span.End();
  const SpanData& data = OnlySpan();
  EXPECT_EQ(std::get<std::int64_t>(*Find(data, "int")), 5);
  EXPECT_EQ(std::get<std::int64_t>(*Find(data, "unsigned")), 7);
  EXPECT_EQ(std::get<std::int64_t>(*Find(data, "long")), 1LL << 40);
  EXPECT_EQ(std::get<std::string>(*Find(data, "literal")), "str");
  EXPECT_EQ(std::get<std::string>(*Find(data, "string")), "owned");
  EXPECT_EQ(std::get<std::string>(*Find(data, "view")), "sv");
  EXPECT_EQ(std::get<bool>(*Find(data, "bool")), true);
  EXPECT_DOUBLE_EQ(std::get<double>(*Find(data, "double")), 1.5);
  EXPECT_DOUBLE_EQ(std::get<double>(*Find(data, "float")), 0.5);
  EXPECT_EQ(std::get<std::int64_t>(*Find(data, "variant")), 9);
}

TEST_F(SpanTest, AttributesReplaceAndAreLimited) {
  Span span = tracer_.StartSpan("s", SpanKind::kInternal, nullptr);
  span.SetAttribute("k", 1);
  span.SetAttribute("k", "two");
  span.SetAttribute("", 3);  // invalid key: ignored
  for (std::size_t i = 0; i < kMaxSpanAttributes + 5; ++i) {
    span.SetAttribute("n" + std::to_string(i), static_cast<std::int64_t>(i));
  }
  span.End();
  const SpanData& data = OnlySpan();
  EXPECT_EQ(std::get<std::string>(*Find(data, "k")), "two");
  EXPECT_FALSE(Find(data, "").has_value());
  EXPECT_EQ(data.attributes.size(), kMaxSpanAttributes);
  EXPECT_EQ(data.dropped_attributes, 6U);
}

TEST_F(SpanTest, StatusRules) {
  Span span = tracer_.StartSpan("s", SpanKind::kInternal, nullptr);
  span.SetStatus(StatusCode::kError, "db down");
  span.End();
  EXPECT_EQ(processor_->spans.back()->status, StatusCode::kError);
  EXPECT_EQ(processor_->spans.back()->status_message, "db down");

  Span ok = tracer_.StartSpan("s", SpanKind::kInternal, nullptr);
  ok.SetStatus(StatusCode::kOk, "ignored description");
  ok.SetStatus(StatusCode::kError, "too late");  // Ok is final
  ok.End();
  EXPECT_EQ(processor_->spans.back()->status, StatusCode::kOk);
  EXPECT_EQ(processor_->spans.back()->status_message, "");

  Span unset = tracer_.StartSpan("s", SpanKind::kInternal, nullptr);
  unset.SetStatus(StatusCode::kError, "e");
  unset.SetStatus(StatusCode::kUnset);  // ignored
  unset.End();
  EXPECT_EQ(processor_->spans.back()->status, StatusCode::kError);
}

TEST_F(SpanTest, EventsAndExceptions) {
  Span span = tracer_.StartSpan("s", SpanKind::kInternal, nullptr);
  span.AddEvent("cache miss", {{"key", std::string("p:1")}});
  span.RecordException(std::runtime_error("boom"));
  span.End();
  const SpanData& data = OnlySpan();
  ASSERT_EQ(data.events.size(), 2U);
  EXPECT_EQ(data.events[0].name, "cache miss");
  EXPECT_EQ(data.events[1].name, "exception");
  EXPECT_EQ(std::get<std::string>(data.events[1].attributes[0].second), "std::runtime_error");
  EXPECT_EQ(std::get<std::string>(data.events[1].attributes[1].second), "boom");
}

TEST_F(SpanTest, EndIsIdempotentAndMovesTransferOwnership) {
  Span first = tracer_.StartSpan("first", SpanKind::kInternal, nullptr);
  const SpanContext context = first.Context();
  Span moved = std::move(first);
  EXPECT_EQ(moved.Context().span_id, context.span_id);
  moved.End();
  moved.End();
  EXPECT_FALSE(moved.IsRecording());
  EXPECT_TRUE(moved.Context().IsValid());  // still usable for logs after End
  EXPECT_EQ(processor_->spans.size(), 1U);

  Span a = tracer_.StartSpan("a", SpanKind::kInternal, nullptr);
  a = tracer_.StartSpan("b", SpanKind::kInternal, nullptr);  // ends "a"
  EXPECT_EQ(processor_->spans.size(), 2U);
  EXPECT_EQ(processor_->spans.back()->name, "a");
  a.UpdateName("renamed");
  a.End();
  EXPECT_EQ(processor_->spans.back()->name, "renamed");
}

// Spans hold their processor by pointer, so the tracer must keep a replaced processor alive: a
// span started before Configure ends into the processor it started with, even when nothing else
// refers to that processor any more.
TEST(SpanBasicsTest, ASpanEndsIntoItsOwnProcessorAfterTheTracerIsReconfigured) {
  std::vector<std::string> first_ended;
  class Forwarding : public SpanProcessor {
   public:
    explicit Forwarding(std::vector<std::string>& ended) : ended_(ended) {}
    void OnEnd(std::unique_ptr<SpanData> span) override { ended_.push_back(span->name); }

   private:
    std::vector<std::string>& ended_;
  };
  Tracer tracer(Sampler({.kind = SamplerKind::kAlwaysOn}),
                std::make_shared<Forwarding>(first_ended));  // the tracer holds the only owner
  Span before = tracer.StartSpan("before", SpanKind::kInternal, nullptr);
  auto second = std::make_shared<RecordingProcessor>();
  tracer.Configure(true, Sampler({.kind = SamplerKind::kAlwaysOn}), second);
  Span after = tracer.StartSpan("after", SpanKind::kInternal, nullptr);
  tracer.Configure(false, Sampler(), nullptr);
  EXPECT_FALSE(tracer.StartSpan("off", SpanKind::kInternal, nullptr).IsRecording());
  before.End();
  after.End();
  EXPECT_EQ(first_ended, std::vector<std::string>{"before"});
  ASSERT_EQ(second->spans.size(), 1U);
  EXPECT_EQ(second->spans.front()->name, "after");
}

}  // namespace
}  // namespace fo::telemetry
