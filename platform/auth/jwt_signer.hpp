#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "platform/auth/claims.hpp"

namespace fo::auth {

// Issues ES256 access tokens (header: alg ES256, typ JWT, kid) with libjwt.
// Cheap to copy (shared immutable state) and safe to use from many threads.
class JwtSigner {
 public:
  // Throws std::invalid_argument unless the PEM is an unencrypted EC P-256 private key, or if
  // kid/issuer/audience is empty or ttl is not positive.
  static JwtSigner FromPem(std::string_view private_key_pem, std::string kid, std::string issuer,
                           std::string audience, std::chrono::seconds ttl);

  // iat = nbf = now, exp = now + ttl, our iss/aud, a random jti.
  std::string Sign(std::string_view subject, std::string_view role) const;
  // Signs exactly the given claims; empty strings and zero times are left out of the token.
  std::string Sign(const Claims& claims) const;

  // {"keys":[{"kty":"EC","crv":"P-256","x","y","kid","use":"sig","alg":"ES256"}]}, served at
  // /.well-known/jwks.json.
  std::string PublicJwks() const;
  // The matching SubjectPublicKeyInfo PEM, for verifiers configured with a PEM.
  std::string PublicPem() const;

 private:
  struct Impl;
  explicit JwtSigner(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

}  // namespace fo::auth
