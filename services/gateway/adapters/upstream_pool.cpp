#include "services/gateway/adapters/upstream_pool.hpp"

#include <algorithm>
#include <mutex>

#include "platform/config/env.hpp"
#include "platform/telemetry/log/log.hpp"
#include "platform/telemetry/metrics/metrics.hpp"

namespace fo::gateway::adapters {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using BreakerState = resilience::CircuitBreaker::State;

namespace {

constexpr std::size_t kMaxInstances = 64;  // the balancer's scratch space

struct Gauges {
  prometheus::Family<prometheus::Gauge>& breaker = metrics::Global().Gauge(
      "gateway_circuit_breaker_state",
      "Circuit breaker per upstream instance: 0 closed, 1 half-open, 2 open.");
  prometheus::Family<prometheus::Gauge>& healthy = metrics::Global().Gauge(
      "gateway_upstream_healthy", "1 while the instance passes its active health checks.");
};

Gauges& G() {
  static Gauges gauges;
  return gauges;
}

double StateValue(BreakerState state) {
  switch (state) {
    case BreakerState::kClosed:
      return 0;
    case BreakerState::kHalfOpen:
      return 1;
    case BreakerState::kOpen:
      return 2;
  }
  return 0;
}

}  // namespace

PoolOptions PoolOptions::FromEnv() {
  PoolOptions o;
  o.breaker.failure_threshold = static_cast<int>(
      config::Int("GATEWAY_BREAKER_FAILURES", o.breaker.failure_threshold, 1, 1000));
  o.breaker.open_for = config::Millis("GATEWAY_BREAKER_OPEN_MS", o.breaker.open_for);
  o.health_interval = config::Millis("GATEWAY_HEALTH_INTERVAL_MS", o.health_interval);
  o.health_timeout = config::Millis("GATEWAY_HEALTH_TIMEOUT_MS", o.health_timeout);
  o.unhealthy_threshold = static_cast<int>(
      config::Int("GATEWAY_HEALTH_UNHEALTHY_THRESHOLD", o.unhealthy_threshold, 1, 100));
  o.healthy_threshold = static_cast<int>(
      config::Int("GATEWAY_HEALTH_HEALTHY_THRESHOLD", o.healthy_threshold, 1, 100));
  o.client.connect_timeout =
      config::Millis("GATEWAY_UPSTREAM_CONNECT_TIMEOUT_MS", o.client.connect_timeout);
  o.client.body_limit = static_cast<std::size_t>(config::Int(
      "GATEWAY_UPSTREAM_BODY_LIMIT_BYTES", static_cast<std::int64_t>(o.client.body_limit), 1024));
  return o;
}

struct UpstreamPool::Instance {
  Instance(const asio::any_io_executor& executor, const HostPort& address,
           const PoolOptions& options)
      : endpoint(executor, address.host, address.port, options.client), breaker(options.breaker) {}

  http::HttpEndpoint endpoint;
  resilience::CircuitBreaker breaker;
  prometheus::Gauge* breaker_gauge = nullptr;
  prometheus::Gauge* healthy_gauge = nullptr;
  std::atomic<bool> healthy{true};  // until a check says otherwise: serve from the start
  std::atomic<std::int64_t> in_flight{0};
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> failures{0};
  std::atomic<double> latency_ms{0};
  // Health-check bookkeeping: touched by the checking loop only, read under the mutex.
  mutable std::mutex check_mutex;
  int passed_in_a_row = 0;
  int failed_in_a_row = 0;
  double check_latency_ms = -1;
  std::string last_check_error;
};

UpstreamPool::UpstreamPool(asio::any_io_executor executor, UpstreamSpec spec, PoolOptions options)
    : executor_(std::move(executor)),
      spec_(std::move(spec)),
      options_(options),
      checks_(
          "health checks " + spec_.name, [this] { return CheckAll(); }, options.health_interval) {
  if (spec_.instances.empty() || spec_.instances.size() > kMaxInstances) {
    throw config::ConfigError("upstream " + spec_.name + " needs 1 to 64 instances");
  }
  std::vector<std::string> ids;
  for (const auto& address : spec_.instances) {
    auto instance = std::make_unique<Instance>(executor_, address, options_);
    // Not `instance`: Prometheus sets that to the scrape target and would rename ours.
    const prometheus::Labels labels{{"upstream", spec_.name},
                                    {"upstream_instance", instance->endpoint.Authority()}};
    instance->breaker_gauge = &G().breaker.Add(labels);
    instance->healthy_gauge = &G().healthy.Add(labels);
    ids.push_back(instance->endpoint.Authority());
    Publish(*instance);
    instances_.push_back(std::move(instance));
  }
  balancer_ = MakeBalancer(spec_.balance, ids);
}

UpstreamPool::~UpstreamPool() = default;

std::string_view UpstreamPool::Authority(std::size_t instance) const {
  return instances_.at(instance)->endpoint.Authority();
}

std::optional<app::Pool::Choice> UpstreamPool::Choose(std::string_view hash_key,
                                                      std::span<const std::size_t> tried) {
  const auto now = Clock::now();
  const std::size_t n = instances_.size();
  std::array<char, kMaxInstances> eligible{};
  std::array<std::int64_t, kMaxInstances> load{};
  bool any_untried = false;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& instance = *instances_[i];
    eligible[i] = static_cast<char>(instance.healthy.load() && instance.breaker.WouldAllow(now));
    load[i] = instance.in_flight.load(std::memory_order_relaxed);
    if (eligible[i] != 0 && std::find(tried.begin(), tried.end(), i) == tried.end()) {
      any_untried = true;
    }
  }
  // Another instance when there is one; the same one again when it is all we have.
  if (any_untried) {
    for (auto i : tried) eligible[i] = 0;
  }
  for (;;) {
    auto pick = balancer_->Pick({eligible.data(), n}, {load.data(), n}, hash_key);
    if (!pick) return std::nullopt;
    auto permit = instances_[*pick]->breaker.Allow(now);
    if (permit.allowed) {
      instances_[*pick]->in_flight.fetch_add(1, std::memory_order_relaxed);
      return Choice{*pick, permit};
    }
    eligible[*pick] = 0;  // another request took its half-open probe meanwhile
  }
}

std::chrono::milliseconds UpstreamPool::RetryAfter() const {
  const auto now = Clock::now();
  auto soonest = options_.health_interval;  // unhealthy instances: the next check
  for (const auto& instance : instances_) {
    if (instance->breaker.Current(now) == BreakerState::kOpen) {
      soonest = std::min(soonest, std::chrono::duration_cast<std::chrono::milliseconds>(
                                      instance->breaker.ProbeAt() - now));
    }
  }
  return std::max(soonest, std::chrono::milliseconds(1));
}

asio::awaitable<http::ClientResponse> UpstreamPool::Send(std::size_t instance,
                                                         const http::ClientRequest& request,
                                                         Clock::time_point deadline) {
  co_return co_await instances_.at(instance)->endpoint.Send(request, deadline);
}

void UpstreamPool::Report(const Choice& choice, bool success, std::chrono::nanoseconds latency) {
  auto& instance = *instances_.at(choice.instance);
  instance.in_flight.fetch_sub(1, std::memory_order_relaxed);
  const auto before = instance.breaker.Current();
  instance.breaker.Record(choice.permit, success);
  instance.requests.fetch_add(1, std::memory_order_relaxed);
  if (!success) instance.failures.fetch_add(1, std::memory_order_relaxed);
  const double ms = std::chrono::duration<double, std::milli>(latency).count();
  // An exponential moving average: recent requests count most; a race only blurs it.
  const double previous = instance.latency_ms.load(std::memory_order_relaxed);
  instance.latency_ms.store(previous == 0 ? ms : previous * 0.9 + ms * 0.1,
                            std::memory_order_relaxed);
  const auto after = instance.breaker.Current();
  if (after != before) {
    const auto level = after == BreakerState::kClosed ? log::Level::kInfo : log::Level::kWarn;
    log::Write(level, "circuit breaker changed",
               {{"upstream", spec_.name},
                {"instance", instance.endpoint.Authority()},
                {"from", resilience::ToString(before)},
                {"to", resilience::ToString(after)}});
    Publish(instance);
  }
}

void UpstreamPool::Publish(const Instance& instance) const {
  instance.breaker_gauge->Set(StateValue(instance.breaker.Current()));
  instance.healthy_gauge->Set(instance.healthy.load() ? 1 : 0);
}

std::vector<InstanceStatus> UpstreamPool::Status() const {
  std::vector<InstanceStatus> out;
  const auto now = Clock::now();
  for (const auto& instance : instances_) {
    InstanceStatus status;
    status.address = instance->endpoint.Authority();
    status.healthy = instance->healthy.load();
    status.breaker = instance->breaker.Current(now);
    status.consecutive_failures = instance->breaker.ConsecutiveFailures();
    status.in_flight = instance->in_flight.load();
    status.requests = instance->requests.load();
    status.failures = instance->failures.load();
    status.latency_ms = instance->latency_ms.load();
    {
      std::lock_guard lock(instance->check_mutex);
      status.check_latency_ms = instance->check_latency_ms;
      status.last_check_error = instance->last_check_error;
    }
    out.push_back(std::move(status));
    Publish(*instance);  // an open breaker turns half-open by time alone
  }
  return out;
}

bool UpstreamPool::AnyHealthy() const {
  const auto now = Clock::now();
  return std::any_of(instances_.begin(), instances_.end(), [&](const auto& instance) {
    return instance->healthy.load() && instance->breaker.Current(now) != BreakerState::kOpen;
  });
}

void UpstreamPool::StartHealthChecks() { checks_.Start(executor_); }

asio::awaitable<void> UpstreamPool::StopHealthChecks() { co_await checks_.Stop(); }

asio::awaitable<std::chrono::milliseconds> UpstreamPool::CheckAll() {
  http::ClientRequest probe;
  probe.method = "GET";
  probe.target = spec_.health_path;
  probe.replayable = true;
  for (auto& instance : instances_) {
    probe.headers = {{"Host", instance->endpoint.Authority()}, {"User-Agent", "fo-gateway/health"}};
    const auto started = Clock::now();
    std::string error;
    try {
      auto response = co_await instance->endpoint.Send(probe, started + options_.health_timeout);
      if (response.status != 200) error = "status " + std::to_string(response.status);
    } catch (const http::ClientError& e) {
      error = e.what();
    }
    const bool passed = error.empty();
    bool changed = false;
    {
      std::lock_guard lock(instance->check_mutex);
      instance->check_latency_ms =
          std::chrono::duration<double, std::milli>(Clock::now() - started).count();
      instance->last_check_error = error;
      instance->passed_in_a_row = passed ? instance->passed_in_a_row + 1 : 0;
      instance->failed_in_a_row = passed ? 0 : instance->failed_in_a_row + 1;
      const bool healthy = instance->healthy.load();
      if (healthy && instance->failed_in_a_row >= options_.unhealthy_threshold) {
        instance->healthy = false;
        changed = true;
      } else if (!healthy && instance->passed_in_a_row >= options_.healthy_threshold) {
        instance->healthy = true;
        changed = true;
      }
    }
    if (changed) {
      const bool healthy = instance->healthy.load();
      log::Write(healthy ? log::Level::kInfo : log::Level::kWarn,
                 healthy ? "upstream instance healthy again" : "upstream instance unhealthy",
                 {{"upstream", spec_.name},
                  {"instance", instance->endpoint.Authority()},
                  {"error", error}});
      Publish(*instance);
    }
  }
  co_return options_.health_interval;
}

}  // namespace fo::gateway::adapters
