#pragma once
// Bearer tokens -> Principal, for every program that verifies the user service's tokens.
#include "platform/auth/jwt_verifier.hpp"
#include "platform/http/server.hpp"

namespace fo::http {

// Accepts a token only if it verifies (signature, alg, exp, nbf, iss, aud) and carries a
// positive integer `sub`, a known `role` (user or admin) and a `jti`. The verifier must outlive
// the returned function.
Authenticator MakeJwtAuthenticator(const auth::JwtVerifier& verifier);

// The same decision for one token; exposed for tests.
std::optional<Principal> PrincipalFromToken(const auth::JwtVerifier& verifier,
                                            std::string_view token);

}  // namespace fo::http
