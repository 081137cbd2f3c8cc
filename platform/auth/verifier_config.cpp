#include "platform/auth/verifier_config.hpp"

#include <stdexcept>

#include "platform/config/env.hpp"

namespace fo::auth {

JwtVerifier VerifierFromEnv() {
  auto issuer = config::String("JWT_ISSUER", kDefaultIssuer);
  auto audience = config::String("JWT_AUDIENCE", kDefaultAudience);
  try {
    if (auto jwks = config::Secret("JWT_JWKS")) {
      return JwtVerifier::FromJwks(*jwks, std::move(issuer), std::move(audience));
    }
    if (auto pem = config::Secret("JWT_PUBLIC_KEY")) {
      return JwtVerifier::FromPublicPem(*pem, std::move(issuer), std::move(audience));
    }
  } catch (const std::invalid_argument& e) {
    throw config::ConfigError(std::string("JWT_JWKS / JWT_PUBLIC_KEY: ") + e.what());
  }
  // No committed default: the key belongs to whoever runs the user service.
  throw config::ConfigError(
      "JWT_PUBLIC_KEY_FILE (or JWT_PUBLIC_KEY, JWT_JWKS_FILE, JWT_JWKS) must give the user "
      "service's token key; derive it with: openssl ec -in jwt.pem -pubout -out jwt.pub.pem");
}

}  // namespace fo::auth
