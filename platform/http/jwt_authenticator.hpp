#pragma once
// Bearer tokens -> Principal, for every program that verifies the user service's tokens.
#include "platform/auth/jwt_verifier.hpp"
#include "platform/http/server.hpp"

namespace fo::http {

// Accepts a token only if it verifies (signature, alg, exp, nbf, iss, aud) and carries a
// positive integer `sub`, a known `role` (user or admin) and a `jti`. Verified tokens are
// remembered until they expire (auth::VerifiedTokenCache). The verifier must outlive the
// returned function.
Authenticator MakeJwtAuthenticator(const auth::JwtVerifier& verifier);

// The claim checks above for one verification result.
std::optional<Principal> PrincipalFromClaims(const auth::VerifyResult& result);
inline std::optional<Principal> PrincipalFromToken(const auth::JwtVerifier& verifier,
                                                   std::string_view token) {
  return PrincipalFromClaims(verifier.Verify(token));
}

}  // namespace fo::http
