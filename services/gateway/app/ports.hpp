#pragma once
// What the gateway's use cases need from the outside, as interfaces: upstream pools, the rate
// limiter, the response cache and the token keys. Adapters implement them; tests fake them.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "platform/auth/claims.hpp"
#include "platform/context/context.hpp"
#include "platform/http/client.hpp"
#include "platform/resilience/circuit_breaker.hpp"
#include "platform/resilience/token_bucket.hpp"

namespace fo::gateway::app {

// One upstream service's instances, behind balancing, health checks and circuit breakers.
class Pool {
 public:
  struct Choice {
    std::size_t instance = 0;
    resilience::CircuitBreaker::Permit permit;
  };
  virtual ~Pool() = default;
  virtual const std::string& Name() const = 0;
  virtual std::string_view Authority(std::size_t instance) const = 0;
  // The request header whose value picks the instance (consistent hashing); empty otherwise.
  virtual std::string_view HashHeader() const = 0;
  // An instance that may take a request now, preferring ones not in `tried`; nullopt when none
  // is healthy with a breaker that lets requests through.
  virtual std::optional<Choice> Choose(std::string_view hash_key,
                                       std::span<const std::size_t> tried) = 0;
  // When Choose would next have something to offer (for Retry-After).
  virtual std::chrono::milliseconds RetryAfter() const = 0;
  // Throws http::ClientError.
  virtual boost::asio::awaitable<http::ClientResponse> Send(
      std::size_t instance, const http::ClientRequest& request,
      std::chrono::steady_clock::time_point deadline) = 0;
  // Every chosen instance is reported exactly once: breakers, outlier stats and load.
  virtual void Report(const Choice& choice, bool success, std::chrono::nanoseconds latency) = 0;
};

struct RateRequest {
  std::string rate_class;
  std::string identity;  // "user:<id>" for signed-in callers, "ip:<address>" otherwise
  std::string username;  // login only: the account being tried (may be empty)
};

struct RateDecision {
  bool allowed = true;
  std::int64_t limit = 0;  // the burst
  std::int64_t remaining = 0;
  std::chrono::milliseconds retry_after{};
  std::chrono::milliseconds reset{};
  bool unavailable = false;  // refused because the limiter's store is down (fail-closed)
};

class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // Never throws: when its store is unreachable it decides by its fallback rule.
  virtual boost::asio::awaitable<RateDecision> Check(const RateRequest& request,
                                                     const Context& ctx) = 0;
};

struct CachedResponse {
  int status = 200;
  std::string content_type;
  std::string etag;
  std::string body;
};

class ResponseCache {
 public:
  virtual ~ResponseCache() = default;
  // A miss when the store is unreachable: the cache is an optimisation, never a dependency.
  virtual boost::asio::awaitable<std::optional<CachedResponse>> Get(const std::string& key,
                                                                    const Context& ctx) = 0;
  virtual boost::asio::awaitable<void> Put(const std::string& key, const std::string& tag,
                                           const CachedResponse& response, std::chrono::seconds ttl,
                                           const Context& ctx) = 0;
  // Entries tagged `tag` (or every entry when `tag` is empty); returns how many went. Throws
  // when the store is unreachable: an invalidation must not be lost silently.
  virtual boost::asio::awaitable<std::int64_t> Invalidate(const std::string& tag,
                                                          const Context& ctx) = 0;
};

// Verifies access tokens against the user service's published keys.
class KeySet {
 public:
  virtual ~KeySet() = default;
  // nullopt while no keys could be loaded yet (the caller answers 503, not 401).
  virtual boost::asio::awaitable<std::optional<auth::VerifyResult>> Verify(
      std::string_view token) = 0;
  virtual bool Loaded() const = 0;
};

}  // namespace fo::gateway::app
