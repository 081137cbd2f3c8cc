#pragma once
// Token buckets in Redis, taken atomically by one Lua script (several gateway replicas share
// one budget per caller), with an in-process fallback while Redis is unreachable: per-process
// buckets (the default), or let everything through (open), or refuse everything (closed).
// Recovery is automatic: the Redis client reconnects and the next request uses it again.
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

#include "platform/redis/client.hpp"
#include "services/gateway/app/ports.hpp"
#include "services/gateway/domain/route_table.hpp"

namespace fo::gateway::adapters {

enum class RateFallback { kLocal, kOpen, kClosed };
RateFallback RateFallbackFromEnv();  // GATEWAY_RATE_LIMIT_FALLBACK=local|open|closed

// The same arithmetic as the script, per process, bounded in memory. Only used while Redis
// is unreachable, so one lock is enough.
class LocalBuckets {
 public:
  explicit LocalBuckets(std::size_t capacity = 100'000) : capacity_(capacity) {}
  // All-or-nothing over `keys`, like the script.
  app::RateDecision Take(const std::vector<std::string>& keys,
                         const resilience::BucketPolicy& policy, std::int64_t now_ms);

 private:
  std::size_t capacity_;
  std::mutex mutex_;
  std::unordered_map<std::string, resilience::BucketState> buckets_;
};

class RedisRateLimiter final : public app::RateLimiter {
 public:
  RedisRateLimiter(redis::Client& redis, std::map<std::string, RateClass, std::less<>> classes,
                   RateFallback fallback);
  boost::asio::awaitable<app::RateDecision> Check(const app::RateRequest& request,
                                                  const Context& ctx) override;

 private:
  redis::Client& redis_;
  std::map<std::string, RateClass, std::less<>> classes_;
  std::map<std::string, std::vector<std::string>, std::less<>> script_args_;  // per class
  RateFallback fallback_;
  LocalBuckets local_;
};

}  // namespace fo::gateway::adapters
