#pragma once
// Token-bucket arithmetic, the one definition shared by the in-process limiter and (mirrored
// line by line) the gateway's Redis script. A rejected request takes nothing, so a client that
// is refused does not push its own recovery further away.
#include <chrono>
#include <cstdint>

namespace fo::resilience {

struct BucketPolicy {
  double rate_per_second = 10;  // refill
  double burst = 20;            // capacity
};

struct BucketState {
  double tokens = -1;  // negative: a new bucket, which starts full
  std::int64_t updated_ms = 0;
};

struct BucketDecision {
  bool allowed = false;
  std::int64_t remaining = 0;               // whole tokens left after this request
  std::chrono::milliseconds retry_after{};  // until one token is back (0 when allowed)
  std::chrono::milliseconds reset{};        // until the bucket is full again
};

BucketDecision TakeToken(BucketState& state, const BucketPolicy& policy, std::int64_t now_ms);

}  // namespace fo::resilience
