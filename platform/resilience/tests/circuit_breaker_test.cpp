#include "platform/resilience/circuit_breaker.hpp"

#include <gtest/gtest.h>

#include "platform/resilience/backoff.hpp"

namespace fo::resilience {
namespace {
using namespace std::chrono_literals;
using State = CircuitBreaker::State;
constexpr auto kT0 = CircuitBreaker::Clock::time_point{} + 1h;

void Fail(CircuitBreaker& breaker, int times, CircuitBreaker::Clock::time_point at = kT0) {
  for (int i = 0; i < times; ++i) breaker.Record(breaker.Allow(at), false, at);
}

TEST(CircuitBreaker, OpensAfterFiveConsecutiveFailuresOnly) {
  CircuitBreaker breaker;
  Fail(breaker, 4);
  breaker.Record(breaker.Allow(kT0), true, kT0);  // a success resets the count
  Fail(breaker, 4);
  EXPECT_EQ(breaker.Current(kT0), State::kClosed);
  EXPECT_EQ(breaker.ConsecutiveFailures(), 4);
  Fail(breaker, 1);
  EXPECT_EQ(breaker.Current(kT0), State::kOpen);
  EXPECT_FALSE(breaker.Allow(kT0 + 29s).allowed);
  EXPECT_FALSE(breaker.WouldAllow(kT0 + 29s));
  EXPECT_EQ(breaker.ProbeAt(), kT0 + 30s);
}

TEST(CircuitBreaker, HalfOpenLetsExactlyOneProbeThrough) {
  CircuitBreaker breaker;
  Fail(breaker, 5);
  const auto later = kT0 + 30s;
  EXPECT_EQ(breaker.Current(later), State::kHalfOpen);
  EXPECT_TRUE(breaker.WouldAllow(later));
  auto probe = breaker.Allow(later);
  EXPECT_TRUE(probe.allowed);
  EXPECT_TRUE(probe.probe);
  EXPECT_FALSE(breaker.Allow(later).allowed);  // everyone else waits for the probe
  EXPECT_FALSE(breaker.WouldAllow(later));
  breaker.Record(probe, true, later);
  EXPECT_EQ(breaker.Current(later), State::kClosed);
  EXPECT_EQ(breaker.ConsecutiveFailures(), 0);
  EXPECT_TRUE(breaker.Allow(later).allowed);
}

TEST(CircuitBreaker, AFailedProbeOpensItAgainForAnotherFullWait) {
  CircuitBreaker breaker;
  Fail(breaker, 5);
  const auto later = kT0 + 31s;
  breaker.Record(breaker.Allow(later), false, later);
  EXPECT_EQ(breaker.Current(later), State::kOpen);
  EXPECT_FALSE(breaker.Allow(later + 29s).allowed);
  EXPECT_TRUE(breaker.Allow(later + 30s).probe);
}

TEST(CircuitBreaker, LateResultsOfRequestsAdmittedBeforeOpeningDoNotDecide) {
  CircuitBreaker breaker;
  auto slow = breaker.Allow(kT0);  // admitted while closed, answers much later
  Fail(breaker, 5);
  const auto later = kT0 + 30s;
  auto probe = breaker.Allow(later);
  breaker.Record(slow, true, later);  // not the probe: ignored
  EXPECT_EQ(breaker.Current(later), State::kHalfOpen);
  breaker.Record(probe, false, later);
  EXPECT_EQ(breaker.Current(later), State::kOpen);
}

TEST(CircuitBreaker, AProbeThatNeverReportsIsReplacedAfterAnotherWait) {
  CircuitBreaker breaker;
  Fail(breaker, 5);
  auto lost = breaker.Allow(kT0 + 30s);
  ASSERT_TRUE(lost.probe);
  EXPECT_FALSE(breaker.Allow(kT0 + 59s).allowed);
  EXPECT_TRUE(breaker.Allow(kT0 + 60s).probe);
}

TEST(CircuitBreaker, ThresholdAndWaitAreSettings) {
  CircuitBreaker breaker({.failure_threshold = 2, .open_for = 100ms});
  Fail(breaker, 2);
  EXPECT_EQ(breaker.Current(kT0), State::kOpen);
  EXPECT_TRUE(breaker.Allow(kT0 + 100ms).probe);
  EXPECT_EQ(ToString(State::kHalfOpen), "half_open");
}

TEST(Backoff, DoublesWithBoundedJitter) {
  for (int i = 0; i < 200; ++i) {
    auto first = Backoff(1);
    auto second = Backoff(2);
    EXPECT_GE(first, 80ms);
    EXPECT_LE(first, 120ms);
    EXPECT_GE(second, 160ms);
    EXPECT_LE(second, 240ms);
  }
  EXPECT_EQ(Backoff(1, 100ms, 0), 100ms);
  EXPECT_EQ(Backoff(3, 100ms, 0), 400ms);
}

}  // namespace
}  // namespace fo::resilience
