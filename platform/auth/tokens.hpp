#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fo::auth {

// A random opaque secret (refresh tokens, idempotency secrets): `bytes` bytes from libsodium's
// CSPRNG as base64url without padding. Throws std::invalid_argument for bytes == 0.
std::string RandomToken(std::size_t bytes = 32);

// Lowercase hex SHA-256, e.g. to store only a digest of a refresh token.
std::string Sha256Hex(std::string_view data);

}  // namespace fo::auth
