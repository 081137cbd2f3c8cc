#pragma once
// Retry delays: `base`, then twice that, and so on, each spread by +-`jitter` so that clients
// failed by the same outage do not all come back in the same millisecond.
#include <chrono>

namespace fo::resilience {

// retry: 1 for the first retry. Thread-safe.
std::chrono::milliseconds Backoff(int retry,
                                  std::chrono::milliseconds base = std::chrono::milliseconds(100),
                                  double jitter = 0.2);

}  // namespace fo::resilience
