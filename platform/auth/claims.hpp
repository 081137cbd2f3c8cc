#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fo::auth {

// The access-token claims every service relies on (ARCHITECTURE.md §5). Times are Unix seconds.
struct Claims {
  std::string sub;
  std::string role;
  std::string iss;
  std::string aud;
  std::string jti;
  std::int64_t iat = 0, nbf = 0, exp = 0;
};

enum class VerifyError {
  kMalformed,      // not a compact JWS, bad base64url, non-JSON, wrong claim types, crit header
  kBadAlgorithm,   // header alg is anything but "ES256" (none, HS256, RS256, ...)
  kBadSignature,   // signature does not verify or has the wrong size
  kUnknownKey,     // the header's kid names none of our keys
  kExpired,        // exp (plus leeway) has passed
  kNotYetValid,    // nbf is still ahead (beyond leeway)
  kWrongIssuer,    // iss differs from ours
  kWrongAudience,  // aud is neither our audience nor an array containing it
  kMissingClaim,   // sub, exp, iss or aud absent (or sub empty)
};

// Stable snake_case names, suitable for metric labels and logs.
std::string_view ToString(VerifyError error);

struct VerifyResult {
  std::optional<Claims> claims;
  VerifyError error{};  // meaningful only when claims is empty
  explicit operator bool() const { return claims.has_value(); }
};

}  // namespace fo::auth
