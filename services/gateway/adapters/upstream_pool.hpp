#pragma once
// One upstream service's instances over HTTP: keep-alive connection pools, a circuit breaker
// per instance (passive outlier ejection: 5 consecutive failures take an instance out for
// 30 s), active health checks, balancing, and the figures /health/services reports.
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <memory>
#include <string>
#include <vector>

#include "platform/app/background_loop.hpp"
#include "platform/http/client.hpp"
#include "services/gateway/app/ports.hpp"
#include "services/gateway/domain/balancer.hpp"
#include "services/gateway/domain/route_table.hpp"

namespace fo::gateway::adapters {

struct PoolOptions {
  resilience::BreakerOptions breaker;
  http::ClientOptions client;
  std::chrono::milliseconds health_interval{5'000};
  std::chrono::milliseconds health_timeout{1'000};
  int unhealthy_threshold = 2;   // consecutive failed checks before an instance is skipped
  int healthy_threshold = 1;     // consecutive passed checks before it is used again
  static PoolOptions FromEnv();  // GATEWAY_BREAKER_*, GATEWAY_HEALTH_*, GATEWAY_UPSTREAM_*
};

struct InstanceStatus {
  std::string address;
  bool healthy = true;
  resilience::CircuitBreaker::State breaker = resilience::CircuitBreaker::State::kClosed;
  int consecutive_failures = 0;
  std::int64_t in_flight = 0;
  std::uint64_t requests = 0;
  std::uint64_t failures = 0;
  double latency_ms = 0;         // moving average of answered requests
  double check_latency_ms = -1;  // the last health check's, -1 before the first
  std::string last_check_error;
};

class UpstreamPool final : public app::Pool {
 public:
  UpstreamPool(boost::asio::any_io_executor executor, UpstreamSpec spec, PoolOptions options);
  ~UpstreamPool() override;

  const std::string& Name() const override { return spec_.name; }
  std::string_view Authority(std::size_t instance) const override;
  std::string_view HashHeader() const override {
    return spec_.balance == Balance::kConsistentHash ? std::string_view(spec_.hash_header)
                                                     : std::string_view();
  }
  std::optional<Choice> Choose(std::string_view hash_key,
                               std::span<const std::size_t> tried) override;
  std::chrono::milliseconds RetryAfter() const override;
  boost::asio::awaitable<http::ClientResponse> Send(
      std::size_t instance, const http::ClientRequest& request,
      std::chrono::steady_clock::time_point deadline) override;
  void Report(const Choice& choice, bool success, std::chrono::nanoseconds latency) override;

  const UpstreamSpec& Spec() const { return spec_; }
  Balance Balancing() const { return spec_.balance; }
  std::vector<InstanceStatus> Status() const;
  bool AnyHealthy() const;

  // Active health checks on the pool's own strand until StopHealthChecks.
  void StartHealthChecks();
  boost::asio::awaitable<void> StopHealthChecks();

 private:
  struct Instance;
  boost::asio::awaitable<std::chrono::milliseconds> CheckAll();
  void Publish(const Instance& instance) const;  // gauges for breaker state and health

  boost::asio::any_io_executor executor_;
  UpstreamSpec spec_;
  PoolOptions options_;
  std::vector<std::unique_ptr<Instance>> instances_;
  std::unique_ptr<Balancer> balancer_;
  fo::app::BackgroundLoop checks_;
};

}  // namespace fo::gateway::adapters
