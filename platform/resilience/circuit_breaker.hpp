#pragma once
// A circuit breaker for one upstream instance, with the seed's semantics made exact: after
// `failure_threshold` consecutive failures it opens; after `open_for` the next caller gets the
// single half-open probe; the probe's success closes it, its failure opens it again. Thread-safe.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string_view>

namespace fo::resilience {

struct BreakerOptions {
  int failure_threshold = 5;
  std::chrono::milliseconds open_for{30'000};
};

class CircuitBreaker {
 public:
  using Clock = std::chrono::steady_clock;
  enum class State { kClosed, kOpen, kHalfOpen };

  // What a caller was allowed: a normal request or the half-open probe. Results are recorded
  // against it, so a slow request admitted before the breaker opened cannot decide the probe.
  struct Permit {
    bool allowed = false;
    bool probe = false;
    std::uint64_t epoch = 0;  // which closed period admitted it
  };

  explicit CircuitBreaker(BreakerOptions options = {}) : options_(options) {}

  Permit Allow(Clock::time_point now = Clock::now());
  // Without taking the probe: would Allow() say yes now? For choosing among instances.
  bool WouldAllow(Clock::time_point now = Clock::now()) const;
  void Record(const Permit& permit, bool success, Clock::time_point now = Clock::now());

  State Current(Clock::time_point now = Clock::now()) const;
  // When an open breaker admits its probe (meaningful while open).
  Clock::time_point ProbeAt() const;
  int ConsecutiveFailures() const;

 private:
  bool ProbeDue(Clock::time_point now) const;  // holds mutex_

  BreakerOptions options_;
  mutable std::mutex mutex_;
  State state_ = State::kClosed;
  int failures_ = 0;
  Clock::time_point opened_at_{};
  bool probe_in_flight_ = false;
  Clock::time_point probe_started_{};
  std::uint64_t epoch_ = 0;
};

std::string_view ToString(CircuitBreaker::State state);

}  // namespace fo::resilience
