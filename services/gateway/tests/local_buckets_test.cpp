#include <gtest/gtest.h>

#include "services/gateway/adapters/redis_rate_limiter.hpp"

namespace fo::gateway::adapters {
namespace {

TEST(LocalBuckets, AllOrNothingOverEveryKey) {
  LocalBuckets buckets;
  const resilience::BucketPolicy policy{.rate_per_second = 0.001, .burst = 2};
  EXPECT_TRUE(buckets.Take({"ip:a", "account:x"}, policy, 0).allowed);
  EXPECT_TRUE(buckets.Take({"ip:b", "account:x"}, policy, 0).allowed);
  // The account is spent: the fresh address is refused too, and keeps its token.
  auto refused = buckets.Take({"ip:c", "account:x"}, policy, 0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_GT(refused.retry_after.count(), 0);
  auto only_c = buckets.Take({"ip:c"}, policy, 0);
  EXPECT_TRUE(only_c.allowed);
  EXPECT_EQ(only_c.remaining, 1);
}

TEST(LocalBuckets, StaysBoundedUnderAFloodOfCallers) {
  LocalBuckets buckets(100);
  const resilience::BucketPolicy policy{.rate_per_second = 1, .burst = 1};
  for (int i = 0; i < 1000; ++i) {
    EXPECT_TRUE(buckets.Take({"ip:" + std::to_string(i)}, policy, 0).allowed);
  }
}

}  // namespace
}  // namespace fo::gateway::adapters
