#include "platform/resilience/circuit_breaker.hpp"

namespace fo::resilience {

std::string_view ToString(CircuitBreaker::State state) {
  switch (state) {
    case CircuitBreaker::State::kClosed:
      return "closed";
    case CircuitBreaker::State::kOpen:
      return "open";
    case CircuitBreaker::State::kHalfOpen:
      return "half_open";
  }
  return "closed";
}

// An open breaker whose wait is over, or a half-open one whose probe never reported back (its
// caller vanished): a probe may go now.
bool CircuitBreaker::ProbeDue(Clock::time_point now) const {
  if (state_ == State::kOpen) return now - opened_at_ >= options_.open_for;
  if (state_ == State::kHalfOpen) {
    return !probe_in_flight_ || now - probe_started_ >= options_.open_for;
  }
  return false;
}

CircuitBreaker::Permit CircuitBreaker::Allow(Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (state_ == State::kClosed) return {true, false, epoch_};
  if (!ProbeDue(now)) return {};
  state_ = State::kHalfOpen;
  probe_in_flight_ = true;
  probe_started_ = now;
  return {true, true, epoch_};
}

bool CircuitBreaker::WouldAllow(Clock::time_point now) const {
  std::lock_guard lock(mutex_);
  return state_ == State::kClosed || ProbeDue(now);
}

void CircuitBreaker::Record(const Permit& permit, bool success, Clock::time_point now) {
  if (!permit.allowed) return;
  std::lock_guard lock(mutex_);
  if (permit.probe) {
    if (state_ != State::kHalfOpen) return;
    probe_in_flight_ = false;
    if (success) {
      state_ = State::kClosed;
      failures_ = 0;
      ++epoch_;
    } else {
      state_ = State::kOpen;
      opened_at_ = now;
    }
    return;
  }
  // A normal request counts only while the period that admitted it lasts.
  if (state_ != State::kClosed || permit.epoch != epoch_) return;
  if (success) {
    failures_ = 0;
    return;
  }
  if (++failures_ >= options_.failure_threshold) {
    state_ = State::kOpen;
    opened_at_ = now;
    ++epoch_;
  }
}

CircuitBreaker::State CircuitBreaker::Current(Clock::time_point now) const {
  std::lock_guard lock(mutex_);
  // An open breaker past its wait reads as half-open: the next request is its probe.
  if (state_ == State::kOpen && ProbeDue(now)) return State::kHalfOpen;
  return state_;
}

CircuitBreaker::Clock::time_point CircuitBreaker::ProbeAt() const {
  std::lock_guard lock(mutex_);
  return opened_at_ + options_.open_for;
}

int CircuitBreaker::ConsecutiveFailures() const {
  std::lock_guard lock(mutex_);
  return failures_;
}

}  // namespace fo::resilience
