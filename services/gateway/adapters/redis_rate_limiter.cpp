#include "services/gateway/adapters/redis_rate_limiter.hpp"

#include <algorithm>
#include <cmath>

#include "platform/config/env.hpp"
#include "platform/telemetry/log/log.hpp"
#include "platform/telemetry/metrics/metrics.hpp"

namespace fo::gateway::adapters {
namespace asio = boost::asio;

namespace {

// resilience::TakeToken, line by line, over every bucket in KEYS at once: one token from each,
// or none from any. Redis' own clock, so replicas on skewed hosts agree.
const redis::Script& TakeScript() {
  static const redis::Script script(R"lua(
local per_ms = tonumber(ARGV[1]) / 1000
local burst = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local levels = {}
local allowed = 1
for i, key in ipairs(KEYS) do
  local state = redis.call('HMGET', key, 'tokens', 'updated')
  local level = burst
  if state[1] then
    level = math.min(burst, tonumber(state[1]) + math.max(0, now - tonumber(state[2])) * per_ms)
  end
  levels[i] = level
  if level < 1 then allowed = 0 end
end
local lowest = burst
for i, key in ipairs(KEYS) do
  local level = levels[i]
  if allowed == 1 then level = level - 1 end
  redis.call('HSET', key, 'tokens', string.format('%.6f', level), 'updated', now)
  redis.call('PEXPIRE', key, math.ceil(burst / per_ms) + 1000)
  lowest = math.min(lowest, level)
end
local retry_after = 0
if allowed == 0 then retry_after = math.ceil((1 - lowest) / per_ms) end
return {allowed, math.floor(lowest), retry_after, math.ceil((burst - lowest) / per_ms)}
)lua");
  return script;
}

struct Metrics {
  metrics::CounterChildren decisions{
      metrics::Global().Counter(
          "gateway_rate_limit_decisions_total",
          "Rate-limit decisions by class, decision (allowed, limited) and source (redis, local, "
          "open, closed: the fallbacks while Redis is unreachable)."),
      {"class", "decision", "source"}};
  prometheus::Counter& fallbacks =
      metrics::Global()
          .Counter("gateway_rate_limit_fallbacks_total",
                   "Rate-limit checks that could not reach Redis and used the fallback.")
          .Add({});
};

Metrics& M() {
  static Metrics metrics;
  return metrics;
}

std::int64_t WallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::vector<std::string> BucketKeys(const app::RateRequest& request, const RateClass& rate) {
  std::vector<std::string> keys{"gw:rl:" + request.rate_class + ":" + request.identity};
  if (rate.per_username && !request.username.empty()) {
    keys.push_back("gw:rl:" + request.rate_class + ":account:" + request.username);
  }
  return keys;
}

std::string Number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6f", value);
  return text;
}

}  // namespace

RateFallback RateFallbackFromEnv() {
  const auto text = config::String("GATEWAY_RATE_LIMIT_FALLBACK", "local");
  if (text == "local") return RateFallback::kLocal;
  if (text == "open") return RateFallback::kOpen;
  if (text == "closed") return RateFallback::kClosed;
  throw config::ConfigError("GATEWAY_RATE_LIMIT_FALLBACK must be local, open or closed");
}

app::RateDecision LocalBuckets::Take(const std::vector<std::string>& keys,
                                     const resilience::BucketPolicy& policy, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  if (buckets_.size() + keys.size() > capacity_) buckets_.clear();  // a flood of new callers
  // Look on copies first, then commit only if every bucket had a token, as the script does.
  std::vector<resilience::BucketState> next;
  bool allowed = true;
  app::RateDecision decision;
  decision.limit = static_cast<std::int64_t>(policy.burst);
  decision.remaining = decision.limit;
  for (const auto& key : keys) {
    auto state = buckets_[key];
    auto look = resilience::TakeToken(state, policy, now_ms);
    allowed = allowed && look.allowed;
    next.push_back(state);
    decision.remaining = std::min(decision.remaining, look.remaining);
    decision.retry_after = std::max(decision.retry_after, look.retry_after);
    decision.reset = std::max(decision.reset, look.reset);
  }
  decision.allowed = allowed;
  // A refusal leaves every bucket as it was: refilling is a function of time alone, so the
  // untouched state already says what the refilled one would.
  if (allowed) {
    for (std::size_t i = 0; i < keys.size(); ++i) buckets_[keys[i]] = next[i];
    decision.retry_after = {};
  }
  return decision;
}

RedisRateLimiter::RedisRateLimiter(redis::Client& redis,
                                   std::map<std::string, RateClass, std::less<>> classes,
                                   RateFallback fallback)
    : redis_(redis), classes_(std::move(classes)), fallback_(fallback) {
  for (const auto& [name, rate] : classes_) {
    script_args_[name] = {Number(rate.bucket.rate_per_second), Number(rate.bucket.burst)};
  }
}

asio::awaitable<app::RateDecision> RedisRateLimiter::Check(const app::RateRequest& request,
                                                           const Context& ctx) {
  auto found = classes_.find(request.rate_class);
  const RateClass& rate = found != classes_.end() ? found->second : classes_.at("default");
  auto keys = BucketKeys(request, rate);
  std::string failure;
  try {
    const auto& args = script_args_.at(found != classes_.end() ? request.rate_class : "default");
    auto reply = co_await redis_.Eval(TakeScript(), keys, args, ctx);
    if (reply.type == redis::Reply::Type::kArray && reply.elements.size() == 4) {
      app::RateDecision decision;
      decision.allowed = reply.elements[0].integer == 1;
      decision.limit = static_cast<std::int64_t>(rate.bucket.burst);
      decision.remaining = reply.elements[1].integer;
      decision.retry_after = std::chrono::milliseconds(reply.elements[2].integer);
      decision.reset = std::chrono::milliseconds(reply.elements[3].integer);
      M().decisions.With({request.rate_class, decision.allowed ? "allowed" : "limited", "redis"})
          .Increment();
      co_return decision;
    }
    failure = reply.IsError() ? reply.text : "unexpected reply to the rate-limit script";
  } catch (const redis::Unavailable& e) {
    failure = e.what();
  }
  M().fallbacks.Increment();
  log::Debug("rate limit fallback", {{"error", failure}});
  app::RateDecision decision;
  decision.limit = static_cast<std::int64_t>(rate.bucket.burst);
  std::string source;
  switch (fallback_) {
    case RateFallback::kLocal:
      decision = local_.Take(keys, rate.bucket, WallMs());
      source = "local";
      break;
    case RateFallback::kOpen:
      decision.remaining = decision.limit;
      source = "open";
      break;
    case RateFallback::kClosed:
      decision.allowed = false;
      decision.unavailable = true;
      decision.retry_after = std::chrono::seconds(1);
      source = "closed";
      break;
  }
  M().decisions.With({request.rate_class, decision.allowed ? "allowed" : "limited", source})
      .Increment();
  co_return decision;
}

}  // namespace fo::gateway::adapters
