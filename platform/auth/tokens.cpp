#include "platform/auth/tokens.hpp"

#include <sodium.h>

#include <stdexcept>

#include "platform/auth/detail/base64url.hpp"
#include "platform/auth/detail/sodium_init.hpp"

namespace fo::auth {

std::string RandomToken(std::size_t bytes) {
  if (bytes == 0) throw std::invalid_argument("RandomToken needs at least one byte");
  detail::EnsureSodium();
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  return detail::Base64UrlEncode(raw);
}

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex, crypto_hash_sha256_BYTES * 2);
}

}  // namespace fo::auth
