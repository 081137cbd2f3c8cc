#include "platform/resilience/backoff.hpp"

#include <algorithm>
#include <random>

namespace fo::resilience {

std::chrono::milliseconds Backoff(int retry, std::chrono::milliseconds base, double jitter) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const double nominal =
      static_cast<double>(base.count()) * static_cast<double>(1 << std::clamp(retry - 1, 0, 16));
  std::uniform_real_distribution<double> spread(1 - jitter, 1 + jitter);
  return std::chrono::milliseconds(static_cast<std::int64_t>(nominal * spread(rng)));
}

}  // namespace fo::resilience
