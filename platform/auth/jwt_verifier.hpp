#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "platform/auth/claims.hpp"

namespace fo::auth {

// Verifies ES256 access tokens without libjwt: libjwt 1.10 neither checks exp/nbf nor pins the
// algorithm (it accepts HS256 keyed with the public PEM). Keys are parsed once at construction.
// Cheap to copy; Verify is thread-safe.
class JwtVerifier {
 public:
  // Throws std::invalid_argument on a key that is not EC P-256, or an empty issuer/audience.
  static JwtVerifier FromPublicPem(std::string_view public_key_pem, std::string issuer,
                                   std::string audience,
                                   std::chrono::seconds leeway = std::chrono::seconds(30));
  // Uses every EC P-256 key of a JWKS (others, e.g. RSA, are skipped) and picks one by the
  // token's kid. Throws std::invalid_argument on bad JSON or when no usable key is present.
  static JwtVerifier FromJwks(std::string_view jwks_json, std::string issuer, std::string audience,
                              std::chrono::seconds leeway = std::chrono::seconds(30));

  VerifyResult Verify(std::string_view token) const;
  // Same, at a given time (tests, or callers that already read the clock).
  VerifyResult Verify(std::string_view token, std::chrono::system_clock::time_point now) const;
  std::chrono::seconds Leeway() const;  // clock skew allowed on exp and nbf

 private:
  struct Impl;
  explicit JwtVerifier(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

}  // namespace fo::auth
