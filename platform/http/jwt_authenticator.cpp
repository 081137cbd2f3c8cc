#include "platform/http/jwt_authenticator.hpp"

#include <charconv>
#include <memory>

#include "platform/auth/verified_token_cache.hpp"

namespace fo::http {

std::optional<Principal> PrincipalFromClaims(const auth::VerifyResult& result) {
  if (!result) return std::nullopt;
  const auth::Claims& claims = *result.claims;
  std::int64_t user_id = 0;
  const auto* end = claims.sub.data() + claims.sub.size();
  auto [ptr, ec] = std::from_chars(claims.sub.data(), end, user_id);
  if (ec != std::errc() || ptr != end || user_id <= 0) return std::nullopt;
  if (claims.role != "user" && claims.role != "admin") return std::nullopt;
  if (claims.jti.empty()) return std::nullopt;
  return Principal{user_id, claims.role, claims.jti};
}

Authenticator MakeJwtAuthenticator(const auth::JwtVerifier& verifier) {
  auto cache = std::make_shared<auth::VerifiedTokenCache>(verifier);
  return [cache](std::string_view token) { return PrincipalFromClaims(cache->Verify(token)); };
}

}  // namespace fo::http
