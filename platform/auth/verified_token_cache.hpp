#pragma once
// Remembers tokens that verified, so a client that sends the same access token on every
// request pays for the ECDSA check once (it is half the CPU of a cheap authenticated route).
// Keyed by the whole token, so a token that differs in any byte is verified afresh; an entry is
// used only until the token's own expiry, exactly as the verifier would judge it.
#include <array>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

#include "platform/auth/jwt_verifier.hpp"

namespace fo::auth {

class VerifiedTokenCache {
 public:
  explicit VerifiedTokenCache(const JwtVerifier& verifier, std::size_t capacity = 16384);
  VerifyResult Verify(std::string_view token);  // thread-safe
  VerifyResult Verify(std::string_view token, std::chrono::system_clock::time_point now);
  std::size_t Size();  // entries held now

 private:
  static constexpr std::size_t kShards = 16;
  struct Hash {  // lets find() take a string_view without copying the token
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };
  struct Shard {
    std::mutex mutex;
    std::unordered_map<std::string, Claims, Hash, std::equal_to<>> verified;
  };
  const JwtVerifier& verifier_;
  std::size_t shard_capacity_;
  std::int64_t leeway_seconds_;
  std::array<Shard, kShards> shards_;
};

}  // namespace fo::auth
