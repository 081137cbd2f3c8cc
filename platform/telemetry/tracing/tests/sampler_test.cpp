#include "platform/telemetry/tracing/sampler.hpp"

#include <gtest/gtest.h>

#include "platform/telemetry/tracing/id_generator.hpp"

namespace fo::telemetry {
namespace {

SpanContext Parent(bool sampled, bool remote) {
  SpanContext parent;
  parent.trace_id = NewTraceId();
  parent.span_id = NewSpanId();
  parent.flags = sampled ? kTraceFlagSampled : 0;
  parent.remote = remote;
  return parent;
}

double SampledFraction(const Sampler& sampler, int n) {
  int sampled = 0;
  for (int i = 0; i < n; ++i) sampled += sampler.ShouldSample(nullptr, NewTraceId()) ? 1 : 0;
  return static_cast<double>(sampled) / n;
}

TEST(SamplerTest, AlwaysOnAndOffIgnoreTheParent) {
  const Sampler on({.kind = SamplerKind::kAlwaysOn});
  const Sampler off({.kind = SamplerKind::kAlwaysOff});
  const SpanContext unsampled = Parent(false, true);
  const SpanContext sampled = Parent(true, true);
  EXPECT_TRUE(on.ShouldSample(nullptr, NewTraceId()));
  EXPECT_TRUE(on.ShouldSample(&unsampled, unsampled.trace_id));
  EXPECT_FALSE(off.ShouldSample(nullptr, NewTraceId()));
  EXPECT_FALSE(off.ShouldSample(&sampled, sampled.trace_id));
}

TEST(SamplerTest, RatioZeroAndOne) {
  EXPECT_EQ(SampledFraction(Sampler({.kind = SamplerKind::kTraceIdRatio, .ratio = 0.0}), 10000),
            0.0);
  EXPECT_EQ(SampledFraction(Sampler({.kind = SamplerKind::kTraceIdRatio, .ratio = 1.0}), 10000),
            1.0);
}

TEST(SamplerTest, RatioHalfWithinTolerance) {
  const double fraction =
      SampledFraction(Sampler({.kind = SamplerKind::kTraceIdRatio, .ratio = 0.5}), 100000);
  EXPECT_NEAR(fraction, 0.5, 0.01);
  const double tenth =
      SampledFraction(Sampler({.kind = SamplerKind::kTraceIdRatio, .ratio = 0.1}), 100000);
  EXPECT_NEAR(tenth, 0.1, 0.006);
}

TEST(SamplerTest, RatioUsesTheLowerEightBytesOfTheTraceId) {
  const Sampler half({.kind = SamplerKind::kTraceIdRatio, .ratio = 0.5});
  std::array<std::uint8_t, 16> id{};
  id.fill(0xff);  // upper bytes do not matter
  for (std::size_t i = 8; i < 16; ++i) id[i] = 0;
  id[15] = 1;
  EXPECT_TRUE(half.ShouldSample(nullptr, id));  // 1 < 2^62
  id[8] = 0x40;                                 // 2^62 + 1: not below the bound
  EXPECT_FALSE(half.ShouldSample(nullptr, id));
  id[8] = 0x3f;
  EXPECT_TRUE(half.ShouldSample(nullptr, id));
}

TEST(SamplerTest, SameTraceIdSameDecision) {
  const Sampler sampler({.kind = SamplerKind::kTraceIdRatio, .ratio = 0.3});
  for (int i = 0; i < 100; ++i) {
    const auto id = NewTraceId();
    EXPECT_EQ(sampler.ShouldSample(nullptr, id), sampler.ShouldSample(nullptr, id));
  }
}

TEST(SamplerTest, ParentBasedFollowsTheParentFlag) {
  for (auto kind : {SamplerKind::kParentBasedAlwaysOn, SamplerKind::kParentBasedAlwaysOff,
                    SamplerKind::kParentBasedTraceIdRatio}) {
    const Sampler sampler({.kind = kind, .ratio = 0.0});
    for (bool remote : {true, false}) {
      const SpanContext sampled = Parent(true, remote);
      const SpanContext unsampled = Parent(false, remote);
      EXPECT_TRUE(sampler.ShouldSample(&sampled, sampled.trace_id));
      EXPECT_FALSE(sampler.ShouldSample(&unsampled, unsampled.trace_id));
    }
  }
}

TEST(SamplerTest, ParentBasedUsesRootSamplerWithoutValidParent) {
  const SpanContext invalid;
  EXPECT_TRUE(
      Sampler({.kind = SamplerKind::kParentBasedAlwaysOn}).ShouldSample(nullptr, NewTraceId()));
  EXPECT_FALSE(
      Sampler({.kind = SamplerKind::kParentBasedAlwaysOff}).ShouldSample(&invalid, NewTraceId()));
  const double fraction = SampledFraction(
      Sampler({.kind = SamplerKind::kParentBasedTraceIdRatio, .ratio = 0.5}), 20000);
  EXPECT_NEAR(fraction, 0.5, 0.02);
}

TEST(SamplerTest, Description) {
  EXPECT_EQ(Sampler({.kind = SamplerKind::kParentBasedTraceIdRatio, .ratio = 0.25}).Description(),
            "ParentBased{root:TraceIdRatioBased{0.25}}");
  EXPECT_EQ(Sampler({.kind = SamplerKind::kAlwaysOff}).Description(), "AlwaysOffSampler");
}

TEST(IdGeneratorTest, IdsAreNonZeroAndDistinct) {
  SpanContext a;
  a.trace_id = NewTraceId();
  a.span_id = NewSpanId();
  SpanContext b;
  b.trace_id = NewTraceId();
  b.span_id = NewSpanId();
  EXPECT_TRUE(a.IsValid());
  EXPECT_TRUE(b.IsValid());
  EXPECT_NE(a.trace_id, b.trace_id);
  EXPECT_NE(a.span_id, b.span_id);
}

}  // namespace
}  // namespace fo::telemetry
