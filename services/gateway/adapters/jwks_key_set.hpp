#pragma once
// The user service's public keys, fetched from its /.well-known/jwks.json through the user
// pool at start and every `refresh_every`, and again when a token names a key we do not have
// (a rotation), at most once per `min_refresh_gap`. Verified tokens are cached per key set.
// With JWT_JWKS / JWT_PUBLIC_KEY configured, those keys are used and nothing is fetched.
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "platform/app/background_loop.hpp"
#include "platform/auth/jwt_verifier.hpp"
#include "services/gateway/app/ports.hpp"

namespace fo::gateway::adapters {

struct KeySetOptions {
  std::string issuer;
  std::string audience;
  std::string path = "/.well-known/jwks.json";
  std::chrono::milliseconds refresh_every{300'000};
  std::chrono::milliseconds min_refresh_gap{30'000};
  std::chrono::milliseconds retry_every{1'000};  // while no keys are loaded
  static KeySetOptions FromEnv();                // JWT_ISSUER, JWT_AUDIENCE, GATEWAY_JWKS_*
};

class JwksKeySet final : public app::KeySet {
 public:
  // Keys fetched from `user_pool`.
  JwksKeySet(app::Pool& user_pool, KeySetOptions options);
  // Fixed keys (from configuration); Refresh is a no-op.
  JwksKeySet(auth::JwtVerifier verifier, KeySetOptions options);
  ~JwksKeySet() override;

  boost::asio::awaitable<std::optional<auth::VerifyResult>> Verify(std::string_view token) override;
  bool Loaded() const override { return keys_.load() != nullptr; }

  // One fetch now; false (and a log line) when it failed.
  boost::asio::awaitable<bool> Refresh();
  void Start(const boost::asio::any_io_executor& executor);  // the periodic refresh
  boost::asio::awaitable<void> Stop();

 private:
  struct Keys;
  void Install(auth::JwtVerifier verifier);

  app::Pool* pool_ = nullptr;
  KeySetOptions options_;
  std::atomic<std::shared_ptr<Keys>> keys_;
  std::atomic<std::int64_t> next_forced_refresh_ms_{0};
  fo::app::BackgroundLoop loop_;
};

}  // namespace fo::gateway::adapters
