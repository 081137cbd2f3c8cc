#include "platform/resilience/token_bucket.hpp"

#include <algorithm>
#include <cmath>

namespace fo::resilience {

BucketDecision TakeToken(BucketState& state, const BucketPolicy& policy, std::int64_t now_ms) {
  const double per_ms = policy.rate_per_second / 1000.0;
  double tokens = policy.burst;
  if (state.tokens >= 0) {
    const auto elapsed = static_cast<double>(std::max<std::int64_t>(0, now_ms - state.updated_ms));
    tokens = std::min(policy.burst, state.tokens + elapsed * per_ms);
  }
  BucketDecision decision;
  decision.allowed = tokens >= 1;
  if (decision.allowed) tokens -= 1;
  state.tokens = tokens;
  state.updated_ms = now_ms;
  decision.remaining = static_cast<std::int64_t>(std::floor(tokens));
  if (!decision.allowed) {
    decision.retry_after =
        std::chrono::milliseconds(static_cast<std::int64_t>(std::ceil((1 - tokens) / per_ms)));
  }
  decision.reset = std::chrono::milliseconds(
      static_cast<std::int64_t>(std::ceil((policy.burst - tokens) / per_ms)));
  return decision;
}

}  // namespace fo::resilience
