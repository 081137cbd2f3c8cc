#pragma once
// The token verifier of a program that checks the user service's access tokens without
// signing any: the services behind the gateway, and the gateway itself.
#include "platform/auth/jwt_verifier.hpp"

namespace fo::auth {

inline constexpr const char* kDefaultIssuer = "full-observability/user";
inline constexpr const char* kDefaultAudience = "full-observability";

// Keys from JWT_JWKS (a JWKS document, as served at the user service's /.well-known/jwks.json)
// or JWT_PUBLIC_KEY (one EC P-256 public key in PEM), each inline or via its _FILE variant;
// JWT_ISSUER and JWT_AUDIENCE default to the user service's values. Throws
// config::ConfigError when no key is configured or the key does not parse.
JwtVerifier VerifierFromEnv();

}  // namespace fo::auth
