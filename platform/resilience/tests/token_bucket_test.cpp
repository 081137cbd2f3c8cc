#include "platform/resilience/token_bucket.hpp"

#include <gtest/gtest.h>

namespace fo::resilience {
namespace {
using namespace std::chrono_literals;

TEST(TokenBucket, ANewBucketIsFullAndEmptiesAfterItsBurst) {
  BucketState state;
  const BucketPolicy policy{.rate_per_second = 1, .burst = 3};
  for (int i = 2; i >= 0; --i) {
    auto decision = TakeToken(state, policy, 1000);
    EXPECT_TRUE(decision.allowed);
    EXPECT_EQ(decision.remaining, i);
  }
  auto refused = TakeToken(state, policy, 1000);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.remaining, 0);
  EXPECT_EQ(refused.retry_after, 1000ms);
  EXPECT_EQ(refused.reset, 3000ms);
}

TEST(TokenBucket, RefillsAtItsRateUpToTheBurst) {
  BucketState state;
  const BucketPolicy policy{.rate_per_second = 10, .burst = 2};
  TakeToken(state, policy, 0);
  TakeToken(state, policy, 0);
  EXPECT_FALSE(TakeToken(state, policy, 50).allowed);  // half a token back
  EXPECT_EQ(TakeToken(state, policy, 50).retry_after, 50ms);
  EXPECT_TRUE(TakeToken(state, policy, 100).allowed);
  auto after_idle = TakeToken(state, policy, 60'000);  // never more than the burst
  EXPECT_TRUE(after_idle.allowed);
  EXPECT_EQ(after_idle.remaining, 1);
}

TEST(TokenBucket, RefusalsTakeNothing) {
  BucketState state;
  const BucketPolicy policy{.rate_per_second = 1, .burst = 1};
  TakeToken(state, policy, 0);
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(TakeToken(state, policy, 500).allowed);
  EXPECT_TRUE(TakeToken(state, policy, 1000).allowed);  // on time, despite 100 refusals
}

}  // namespace
}  // namespace fo::resilience
