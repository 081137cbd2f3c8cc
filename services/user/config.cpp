#include "services/user/config.hpp"

#include <thread>

#include "platform/auth/verifier_config.hpp"
#include "platform/config/env.hpp"

namespace fo::user {

Config Config::FromEnv() {
  Config c;
  if (auto pem = config::Secret("JWT_PRIVATE_KEY")) {
    c.jwt_private_key_pem = std::move(*pem);
  } else {
    // No committed default: a signing key must come from the operator (make run generates one).
    throw config::ConfigError(
        "JWT_PRIVATE_KEY_FILE (or JWT_PRIVATE_KEY) must name an EC P-256 private key in PEM; "
        "generate one with: openssl ecparam -name prime256v1 -genkey -noout -out jwt.pem");
  }
  c.jwt_key_id = config::String("JWT_KEY_ID", "user-1");
  c.jwt_issuer = config::String("JWT_ISSUER", auth::kDefaultIssuer);
  c.jwt_audience = config::String("JWT_AUDIENCE", auth::kDefaultAudience);
  c.access_ttl = std::chrono::seconds(config::Int("ACCESS_TOKEN_TTL_SECONDS", 900, 10, 86400));
  constexpr std::int64_t kDay = std::int64_t{24} * 3600;
  c.refresh_ttl =
      std::chrono::seconds(config::Int("REFRESH_TOKEN_TTL_SECONDS", 14 * kDay, 60, 365 * kDay));
  c.admin_username = config::Get("ADMIN_USERNAME");
  c.admin_password = config::Get("ADMIN_PASSWORD");
  c.admin_email = config::String("ADMIN_EMAIL", "admin@example.com");
  const auto cores = std::max(1u, std::thread::hardware_concurrency());
  c.hashing.threads = static_cast<std::size_t>(
      config::Int("PASSWORD_HASH_THREADS", std::max(1u, cores / 2), 1, 64));
  c.hashing.max_queued =
      static_cast<std::size_t>(config::Int("PASSWORD_HASH_QUEUE", 64, 1, 100000));
  if (!c.hashing.SetCost(config::String("PASSWORD_HASH_COST", "interactive"))) {
    throw config::ConfigError("PASSWORD_HASH_COST must be interactive, owasp or minimum");
  }
  if (!c.hashing.SetPriority(config::String("PASSWORD_HASH_PRIORITY", "10"))) {
    throw config::ConfigError("PASSWORD_HASH_PRIORITY must be idle or a nice value 0-19");
  }
  return c;
}

}  // namespace fo::user
