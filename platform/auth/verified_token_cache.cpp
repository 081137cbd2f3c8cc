#include "platform/auth/verified_token_cache.hpp"

#include <functional>

namespace fo::auth {

VerifiedTokenCache::VerifiedTokenCache(const JwtVerifier& verifier, std::size_t capacity)
    : verifier_(verifier),
      shard_capacity_(std::max<std::size_t>(1, capacity / kShards)),
      leeway_seconds_(verifier.Leeway().count()) {}

VerifyResult VerifiedTokenCache::Verify(std::string_view token) {
  return Verify(token, std::chrono::system_clock::now());
}

VerifyResult VerifiedTokenCache::Verify(std::string_view token,
                                        std::chrono::system_clock::time_point now) {
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  auto& shard = shards_[std::hash<std::string_view>{}(token) % kShards];
  {
    std::lock_guard lock(shard.mutex);
    auto it = shard.verified.find(token);
    if (it != shard.verified.end()) {
      // The same expiry rule as the verifier's; past it, verify again (and fail as expired).
      if (seconds - leeway_seconds_ < it->second.exp) return VerifyResult{it->second, {}};
      shard.verified.erase(it);
    }
  }
  auto result = verifier_.Verify(token, now);
  if (result) {
    std::lock_guard lock(shard.mutex);
    // Crude but bounded: a full shard starts over (live clients re-verify once).
    if (shard.verified.size() >= shard_capacity_) shard.verified.clear();
    shard.verified.emplace(std::string(token), *result.claims);
  }
  return result;
}

std::size_t VerifiedTokenCache::Size() {
  std::size_t total = 0;
  for (auto& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    total += shard.verified.size();
  }
  return total;
}

}  // namespace fo::auth
