#include "services/gateway/domain/balancer.hpp"

#include <algorithm>
#include <random>

namespace fo::gateway {

std::uint64_t StableHash(std::string_view text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  // splitmix64's finaliser: neighbouring inputs ("a#1", "a#2") land far apart on the ring.
  hash ^= hash >> 30;
  hash *= 0xbf58476d1ce4e5b9ULL;
  hash ^= hash >> 27;
  hash *= 0x94d049bb133111ebULL;
  hash ^= hash >> 31;
  return hash;
}

namespace {

class RoundRobin final : public Balancer {
 public:
  std::optional<std::size_t> Pick(std::span<const char> eligible, std::span<const std::int64_t>,
                                  std::string_view) override {
    // The k-th eligible instance, so the turns spread evenly over those that are left.
    const auto count = static_cast<std::size_t>(
        std::count_if(eligible.begin(), eligible.end(), [](char e) { return e != 0; }));
    if (count == 0) return std::nullopt;
    std::size_t k = next_.fetch_add(1, std::memory_order_relaxed) % count;
    for (std::size_t i = 0; i < eligible.size(); ++i) {
      if (eligible[i] != 0 && k-- == 0) return i;
    }
    return std::nullopt;
  }

 private:
  std::atomic<std::size_t> next_{0};
};

// Two eligible instances at random, the less busy one wins: nearly as good as scanning for the
// least busy, without every gateway thread herding onto the same instance.
class LeastRequest final : public Balancer {
 public:
  std::optional<std::size_t> Pick(std::span<const char> eligible,
                                  std::span<const std::int64_t> in_flight,
                                  std::string_view) override {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    std::size_t choices[64];
    std::size_t count = 0;
    for (std::size_t i = 0; i < eligible.size() && count < 64; ++i) {
      if (eligible[i] != 0) choices[count++] = i;
    }
    if (count == 0) return std::nullopt;
    if (count == 1) return choices[0];
    std::uniform_int_distribution<std::size_t> pick(0, count - 1);
    const std::size_t a = choices[pick(rng)];
    std::size_t b = choices[pick(rng)];
    while (b == a) b = choices[pick(rng)];
    return in_flight[b] < in_flight[a] ? b : a;
  }
};

// Each instance owns many points on a ring; a key goes to the first eligible instance at or
// after its hash. Losing an instance moves only its keys.
class ConsistentHash final : public Balancer {
 public:
  explicit ConsistentHash(const std::vector<std::string>& ids) {
    for (std::size_t i = 0; i < ids.size(); ++i) {
      for (int point = 0; point < kPointsPerInstance; ++point) {
        ring_.emplace_back(StableHash(ids[i] + "#" + std::to_string(point)), i);
      }
    }
    std::sort(ring_.begin(), ring_.end());
  }

  std::optional<std::size_t> Pick(std::span<const char> eligible,
                                  std::span<const std::int64_t> in_flight,
                                  std::string_view key) override {
    if (key.empty()) return fallback_.Pick(eligible, in_flight, key);  // nothing to hash on
    const auto hash = StableHash(key);
    auto it = std::lower_bound(ring_.begin(), ring_.end(), std::make_pair(hash, std::size_t{0}));
    for (std::size_t step = 0; step < ring_.size(); ++step, ++it) {
      if (it == ring_.end()) it = ring_.begin();
      if (it->second < eligible.size() && eligible[it->second] != 0) return it->second;
    }
    return std::nullopt;
  }

 private:
  static constexpr int kPointsPerInstance = 160;
  std::vector<std::pair<std::uint64_t, std::size_t>> ring_;
  RoundRobin fallback_;
};

}  // namespace

std::unique_ptr<Balancer> MakeBalancer(Balance balance, const std::vector<std::string>& ids) {
  switch (balance) {
    case Balance::kLeastRequest:
      return std::make_unique<LeastRequest>();
    case Balance::kConsistentHash:
      return std::make_unique<ConsistentHash>(ids);
    case Balance::kRoundRobin:
      break;
  }
  return std::make_unique<RoundRobin>();
}

}  // namespace fo::gateway
