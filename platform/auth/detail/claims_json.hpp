#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fo::auth::detail {

// A JWT payload with its registered claims type-checked; value checks (time, iss, aud) are the
// verifier's job. Absent claims stay empty.
struct PayloadClaims {
  std::optional<std::string> sub, role, iss, jti;
  std::optional<std::vector<std::string>> aud;  // a single string becomes a one-element list
  std::optional<std::int64_t> iat, nbf, exp;
};

// nullopt when the payload is not a JSON object or a known claim has the wrong type.
std::optional<PayloadClaims> ParsePayload(std::string_view json);

}  // namespace fo::auth::detail
